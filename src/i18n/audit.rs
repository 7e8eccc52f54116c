//! The console's messages for the audit log and a batch's history.

catalogue! {
    /// A message of the audit log page or a batch's History tab.
    AuditMsg {
        AuditLog { en: "Audit log", ja: "監査ログ" }
        AuditIntro {
            en: "Every change made on this instance and every refused call: who, from where, on what, and how it ended.",
            ja: "このインスタンスで行われたすべての変更と、拒否されたすべての呼び出し：誰が、どこから、何に対して行い、どう終わったか。"
        }
        NoAuditLog {
            en: "This backend keeps no audit log.",
            ja: "このバックエンドは監査ログを記録していません。"
        }
        Filters { en: "Filters", ja: "絞り込み" }
        FilterWho { en: "User or AccessKey ID", ja: "ユーザーまたは AccessKey ID" }
        FilterAction { en: "Operation", ja: "操作" }
        FilterTarget { en: "Target ID", ja: "対象 ID" }
        FilterOutcome { en: "Result", ja: "結果" }
        FilterFrom { en: "From", ja: "開始日" }
        FilterTo { en: "To", ja: "終了日" }
        AnyOutcome { en: "Any", ja: "すべて" }
        Apply { en: "Apply", ja: "適用" }
        ClearFilters { en: "Clear", ja: "クリア" }
        OutcomeSuccess { en: "Succeeded", ja: "成功" }
        OutcomeFailed { en: "Failed", ja: "失敗" }
        OutcomeRefused { en: "Refused", ja: "拒否" }
        ColumnTime { en: "Time", ja: "日時" }
        ColumnWho { en: "Who", ja: "実行者" }
        ColumnOperation { en: "Operation", ja: "操作" }
        ColumnTarget { en: "Target", ja: "対象" }
        ColumnResult { en: "Result", ja: "結果" }
        ColumnSource { en: "Source", ja: "送信元" }
        Details { en: "Details", ja: "詳細" }
        RequestId { en: "Request ID", ja: "リクエスト ID" }
        NoParameters { en: "No parameters", ja: "パラメータなし" }
        Unproven { en: "Unverified caller", ja: "未確認の呼び出し元" }
        KindUser { en: "user", ja: "ユーザー" }
        KindAccessKey { en: "access key", ja: "AccessKey" }
        NoEvents { en: "No events match these filters.", ja: "この条件に一致するイベントはありません。" }
        BadDate { en: "Enter a date as YYYY-MM-DD.", ja: "日付は YYYY-MM-DD の形式で入力してください。" }
        TabHistory { en: "History", ja: "履歴" }
        HistoryHeading { en: "Changes to this batch", ja: "このバッチへの変更" }
        NoHistory {
            en: "No changes to this batch have been recorded.",
            ja: "このバッチへの変更は記録されていません。"
        }
        HistoryUnavailable {
            en: "This backend does not record who changed a batch.",
            ja: "このバックエンドはバッチを変更したユーザーを記録していません。"
        }
        HistoryMore {
            en: "The first {shown} of {total} changes.",
            ja: "{total} 件の変更のうち最初の {shown} 件。"
        }
        ColumnChange { en: "Change", ja: "変更" }
        TargetJob { en: "Batch", ja: "バッチ" }
        TargetFirmware { en: "Update package", ja: "更新パッケージ" }
        TargetTask { en: "Device update task", ja: "デバイス更新タスク" }
        TargetDevice { en: "Device", ja: "デバイス" }
        TargetGroup { en: "Group", ja: "グループ" }
        TargetModule { en: "Module", ja: "モジュール" }
        TargetProduct { en: "Product", ja: "プロダクト" }
        TargetUser { en: "User", ja: "ユーザー" }
        ChangeCreated { en: "Created", ja: "作成" }
        ChangeEdited { en: "Edited", ja: "編集" }
        ChangeCancelled { en: "Cancelled", ja: "キャンセル" }
        ChangeStopped { en: "Stopped taking on devices", ja: "デバイスの追加を停止" }
        ChangeConfirmed { en: "Confirmed devices", ja: "デバイスの更新を確認" }
        ChangeRetried { en: "Retried devices", ja: "デバイスを再更新" }
        ChangeCancelledDevices { en: "Cancelled devices", ja: "デバイスの更新をキャンセル" }
    }
}
