//! The messages of the data-analysis charts.

catalogue! {
    /// A message of the data analysis.
    AnalysisMsg {
        VersionsHeading { en: "Versions devices report", ja: "デバイスが報告しているバージョン" }
        VersionsOf {
            en: "Shares of the {total} devices that have reported a version of module {module}.",
            ja: "モジュール {module} のバージョンを報告した {total} 台に占める割合です。"
        }
        NoDistribution {
            en: "This backend does not report the versions devices run.",
            ja: "このバックエンドは、デバイスのバージョン分布を提供していません。"
        }
        OtherVersions { en: "Others ({count} versions)", ja: "その他 ({count} バージョン)" }
        OutcomesHeading { en: "How the updates ended", ja: "更新の結果" }
        ScopeLabel { en: "Batches", ja: "バッチ" }
        AllBatches { en: "All batches of this package", ja: "この更新パッケージのすべてのバッチ" }
        OutcomesOf {
            en: "Shares of all {total} update tasks. Select a slice to see its devices.",
            ja: "すべての更新タスク {total} 件に占める割合です。項目を選ぶとそのデバイスを表示します。"
        }
        SuccessRate {
            en: "Success rate: {rate} of the {ended} tasks that succeeded or failed.",
            ja: "成功率: 成功または失敗した {ended} 件のうち {rate}。"
        }
        NoOutcomes {
            en: "This backend does not count a package's tasks; choose a batch.",
            ja: "このバックエンドは更新パッケージ単位でタスクを数えません。バッチを選択してください。"
        }
        Unfinished { en: "Not finished", ja: "未完了" }
        ChartUnavailable { en: "The chart could not be drawn; its numbers are in the table.", ja: "グラフを表示できませんでした。数値は表にあります。" }
        ColumnVersion { en: "Version", ja: "バージョン" }
        ColumnOutcome { en: "Outcome", ja: "結果" }
        ColumnCount { en: "Count", ja: "件数" }
        ColumnShare { en: "Share", ja: "割合" }
        PickVersion {
            en: "Select a version (a slice or a row) to list its devices.",
            ja: "バージョン (グラフの項目または表の行) を選ぶと、そのデバイスを一覧表示します。"
        }
        DevicesOnVersion { en: "Devices on {version}", ja: "{version} のデバイス" }
        DevicesOnVersionOf {
            en: "{total} devices last reported version {version} of module {module}.",
            ja: "{total} 台がモジュール {module} のバージョン {version} を最後に報告しました。"
        }
        ColumnChanged { en: "Last changed", ja: "最終更新" }
        SourcesHeading { en: "Versions devices updated from", ja: "更新元のバージョン" }
        SourcesOf {
            en: "All {total} update tasks of this package, by the version each device ran when its task was created.",
            ja: "この更新パッケージの更新タスク {total} 件を、タスク作成時にデバイスが報告していたバージョン別に示します。"
        }
        NoSources {
            en: "This backend does not group tasks by source version.",
            ja: "このバックエンドは、更新元バージョン別の集計を提供していません。"
        }
        NoTasksYet { en: "No update tasks yet.", ja: "更新タスクはまだありません。" }
        NoSourceVersion { en: "(none reported)", ja: "(報告なし)" }
        ColumnSourceVersion { en: "Source version", ja: "更新元バージョン" }
        ProgressHeading { en: "Progress over time", ja: "進捗の推移" }
        ProgressOf {
            en: "Tasks by state every {interval} seconds since {since}; the last point is now.",
            ja: "{since} から {interval} 秒ごとの状態別タスク数です。最後の点が現在です。"
        }
        NoProgress {
            en: "This backend does not keep a batch's progress over time.",
            ja: "このバックエンドは、バッチの進捗の推移を記録していません。"
        }
        ShowNumbers { en: "Show the numbers", ja: "数値を表示" }
        ColumnTime { en: "Time", ja: "時刻" }
        ColumnTotal { en: "All tasks", ja: "全タスク" }
        Dashboard { en: "Dashboard", ja: "ダッシュボード" }
        DashboardIntro {
            en: "The batches under way, why updates fail, and the versions the fleet runs, across this environment.",
            ja: "この環境全体の、進行中のバッチ、更新失敗の理由、デバイスが動かしているバージョンです。"
        }
        RunningHeading { en: "Batches under way", ja: "進行中のバッチ" }
        RunningOf {
            en: "{shown} of {total} scheduled or running batches, by the state of their tasks. Select a segment to see its devices.",
            ja: "予定または実行中のバッチ {total} 件のうち {shown} 件を、タスクの状態別に示します。区間を選ぶとそのデバイスを表示します。"
        }
        NothingRunning { en: "No batch is scheduled or running.", ja: "予定または実行中のバッチはありません。" }
        NoRunningJobs {
            en: "This backend does not list the environment's running batches.",
            ja: "このバックエンドは、環境全体の実行中バッチの一覧を提供していません。"
        }
        FailuresHeading { en: "Why updates failed", ja: "更新失敗の理由" }
        FailuresOf {
            en: "All {total} failed update tasks of this environment, by reason. Select a reason to see its batches.",
            ja: "この環境の失敗した更新タスク {total} 件を理由別に示します。理由を選ぶとそのバッチを表示します。"
        }
        NoFailures { en: "No update has failed.", ja: "失敗した更新はありません。" }
        NoFailureReasons {
            en: "This backend does not count failures by reason.",
            ja: "このバックエンドは、失敗の理由別の集計を提供していません。"
        }
        NoReason { en: "No reason given", ja: "理由なし" }
        ColumnReason { en: "Reason", ja: "理由" }
        ColumnFailed { en: "Failed tasks", ja: "失敗したタスク" }
        ColumnBatches { en: "Batches", ja: "バッチ数" }
        BatchesWithReason { en: "Batches with failures: {reason}", ja: "失敗のあるバッチ: {reason}" }
        ReasonBatchesHint {
            en: "A batch opens with its devices that failed for this reason.",
            ja: "バッチを開くと、この理由で失敗したデバイスを表示します。"
        }
        VersionsSeries { en: "Devices", ja: "デバイス" }
        OutcomesSeries { en: "Update tasks", ja: "更新タスク" }
        NoProducts { en: "This environment has no products yet.", ja: "この環境にはまだプロダクトがありません。" }
        FleetHeading { en: "Versions the fleet runs", ja: "デバイスのバージョン分布" }
        ColumnSuccessRate { en: "Success rate", ja: "成功率" }
    }
}
