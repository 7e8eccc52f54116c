//! The messages of the data-analysis charts.

catalogue! {
    /// A message of the data analysis.
    AnalysisMsg {
        VersionsHeading { en: "Versions devices report", ja: "デバイスが報告しているバージョン", zh: "设备上报的版本" }
        VersionsOf {
            en: "Shares of the {total} devices that have reported a version of module {module}.",
            ja: "モジュール {module} のバージョンを報告した {total} 台に占める割合です。",
            zh: "已上报OTA模块 {module} 版本的 {total} 台设备中，各版本所占的比例。"
        }
        NoDistribution {
            en: "This backend does not report the versions devices run.",
            ja: "このバックエンドは、デバイスのバージョン分布を提供していません。",
            zh: "此后端不提供设备运行版本的分布。"
        }
        OtherVersions { en: "Others ({count} versions)", ja: "その他 ({count} バージョン)", zh: "其他（{count} 个版本）" }
        OutcomesHeading { en: "How the updates ended", ja: "更新の結果", zh: "升级结果" }
        ScopeLabel { en: "Batches", ja: "バッチ", zh: "批次" }
        AllBatches { en: "All batches of this package", ja: "この更新パッケージのすべてのバッチ", zh: "此升级包的全部批次" }
        OutcomesOf {
            en: "Shares of all {total} update tasks. Select a slice to see its devices.",
            ja: "すべての更新タスク {total} 件に占める割合です。項目を選ぶとそのデバイスを表示します。",
            zh: "全部 {total} 个升级任务中各结果所占的比例。选择一项可查看其设备。"
        }
        SuccessRate {
            en: "Success rate: {rate} of the {ended} tasks that succeeded or failed.",
            ja: "成功率: 成功または失敗した {ended} 件のうち {rate}。",
            zh: "升级成功率：在已成功或已失败的 {ended} 个任务中为 {rate}。"
        }
        NoOutcomes {
            en: "This backend does not count a package's tasks; choose a batch.",
            ja: "このバックエンドは更新パッケージ単位でタスクを数えません。バッチを選択してください。",
            zh: "此后端不按升级包统计任务，请选择一个批次。"
        }
        Unfinished { en: "Not finished", ja: "未完了", zh: "未完成" }
        ChartUnavailable { en: "The chart could not be drawn; its numbers are in the table.", ja: "グラフを表示できませんでした。数値は表にあります。", zh: "无法绘制图表，数据见表格。" }
        ColumnVersion { en: "Version", ja: "バージョン", zh: "版本号" }
        ColumnOutcome { en: "Outcome", ja: "結果", zh: "结果" }
        ColumnCount { en: "Count", ja: "件数", zh: "数量" }
        ColumnShare { en: "Share", ja: "割合", zh: "占比" }
        PickVersion {
            en: "Select a version (a slice or a row) to list its devices.",
            ja: "バージョン (グラフの項目または表の行) を選ぶと、そのデバイスを一覧表示します。",
            zh: "选择一个版本（图表中的一项或表格中的一行）以列出其设备。"
        }
        DevicesOnVersion { en: "Devices on {version}", ja: "{version} のデバイス", zh: "版本为 {version} 的设备" }
        DevicesOnVersionOf {
            en: "{total} devices last reported version {version} of module {module}.",
            ja: "{total} 台がモジュール {module} のバージョン {version} を最後に報告しました。",
            zh: "{total} 台设备最近上报的OTA模块 {module} 的版本为 {version}。"
        }
        ColumnChanged { en: "Last changed", ja: "最終更新", zh: "最近变更时间" }
        SourcesHeading { en: "Versions devices updated from", ja: "更新元のバージョン", zh: "源版本分布" }
        SourcesOf {
            en: "All {total} update tasks of this package, by the version each device ran when its task was created.",
            ja: "この更新パッケージの更新タスク {total} 件を、タスク作成時にデバイスが報告していたバージョン別に示します。",
            zh: "此升级包的全部 {total} 个升级任务，按创建任务时设备运行的版本分组。"
        }
        NoSources {
            en: "This backend does not group tasks by source version.",
            ja: "このバックエンドは、更新元バージョン別の集計を提供していません。",
            zh: "此后端不按源版本号统计任务。"
        }
        NoTasksYet { en: "No update tasks yet.", ja: "更新タスクはまだありません。", zh: "还没有升级任务。" }
        NoSourceVersion { en: "(none reported)", ja: "(報告なし)", zh: "（未上报）" }
        ColumnSourceVersion { en: "Source version", ja: "更新元バージョン", zh: "源版本号" }
        ProgressHeading { en: "Progress over time", ja: "進捗の推移", zh: "进度变化" }
        ProgressOf {
            en: "Tasks by state every {interval} seconds since {since}; the last point is now.",
            ja: "{since} から {interval} 秒ごとの状態別タスク数です。最後の点が現在です。",
            zh: "自 {since} 起每 {interval} 秒各状态的任务数；最后一个点为当前。"
        }
        NoProgress {
            en: "This backend does not keep a batch's progress over time.",
            ja: "このバックエンドは、バッチの進捗の推移を記録していません。",
            zh: "此后端不记录批次进度的变化。"
        }
        ShowNumbers { en: "Show the numbers", ja: "数値を表示", zh: "显示数据" }
        ColumnTime { en: "Time", ja: "時刻", zh: "时间" }
        ColumnTotal { en: "All tasks", ja: "全タスク", zh: "全部任务" }
        Dashboard { en: "Dashboard", ja: "ダッシュボード", zh: "仪表盘" }
        DashboardIntro {
            en: "The batches under way, why updates fail, and the versions the fleet runs, across this environment.",
            ja: "この環境全体の、進行中のバッチ、更新失敗の理由、デバイスが動かしているバージョンです。",
            zh: "此环境中进行中的批次、升级失败的原因，以及设备运行的版本。"
        }
        RunningHeading { en: "Batches under way", ja: "進行中のバッチ", zh: "进行中的批次" }
        RunningOf {
            en: "{shown} of {total} scheduled or running batches, by the state of their tasks. Select a segment to see its devices.",
            ja: "予定または実行中のバッチ {total} 件のうち {shown} 件を、タスクの状態別に示します。区間を選ぶとそのデバイスを表示します。",
            zh: "计划中或进行中的 {total} 个批次中的 {shown} 个，按任务状态显示。选择一段可查看其设备。"
        }
        NothingRunning { en: "No batch is scheduled or running.", ja: "予定または実行中のバッチはありません。", zh: "没有计划中或进行中的批次。" }
        NoRunningJobs {
            en: "This backend does not list the environment's running batches.",
            ja: "このバックエンドは、環境全体の実行中バッチの一覧を提供していません。",
            zh: "此后端不列出环境中进行中的批次。"
        }
        FailuresHeading { en: "Why updates failed", ja: "更新失敗の理由", zh: "升级失败的原因" }
        FailuresOf {
            en: "All {total} failed update tasks of this environment, by reason. Select a reason to see its batches.",
            ja: "この環境の失敗した更新タスク {total} 件を理由別に示します。理由を選ぶとそのバッチを表示します。",
            zh: "此环境全部 {total} 个升级失败的任务，按原因分类。选择一个原因可查看相关批次。"
        }
        NoFailures { en: "No update has failed.", ja: "失敗した更新はありません。", zh: "没有失败的升级。" }
        NoFailureReasons {
            en: "This backend does not count failures by reason.",
            ja: "このバックエンドは、失敗の理由別の集計を提供していません。",
            zh: "此后端不按原因统计失败。"
        }
        NoReason { en: "No reason given", ja: "理由なし", zh: "未提供原因" }
        ColumnReason { en: "Reason", ja: "理由", zh: "原因" }
        ColumnFailed { en: "Failed tasks", ja: "失敗したタスク", zh: "失败的任务" }
        ColumnBatches { en: "Batches", ja: "バッチ数", zh: "批次数" }
        BatchesWithReason { en: "Batches with failures: {reason}", ja: "失敗のあるバッチ: {reason}", zh: "有失败的批次：{reason}" }
        ReasonBatchesHint {
            en: "A batch opens with its devices that failed for this reason.",
            ja: "バッチを開くと、この理由で失敗したデバイスを表示します。",
            zh: "打开批次时将显示因此原因失败的设备。"
        }
        VersionsSeries { en: "Devices", ja: "デバイス", zh: "设备" }
        OutcomesSeries { en: "Update tasks", ja: "更新タスク", zh: "升级任务" }
        NoProducts { en: "This environment has no products yet.", ja: "この環境にはまだプロダクトがありません。", zh: "此环境中还没有产品。" }
        FleetHeading { en: "Versions the fleet runs", ja: "デバイスのバージョン分布", zh: "设备版本分布" }
        ColumnSuccessRate { en: "Success rate", ja: "成功率", zh: "升级成功率" }
    }
}
