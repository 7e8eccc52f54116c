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
    }
}
