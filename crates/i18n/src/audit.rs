//! The console's messages for the audit log and a batch's history.

catalogue! {
    /// A message of the audit log page or a batch's History tab.
    AuditMsg {
        AuditLog { en: "Audit log", ja: "監査ログ", zh: "审计日志" }
        AuditIntro {
            en: "Every change made on this instance and every refused call: who, from where, on what, and how it ended.",
            ja: "このインスタンスで行われたすべての変更と、拒否されたすべての呼び出し：誰が、どこから、何に対して行い、どう終わったか。",
            zh: "此实例上的每一次变更和每一次被拒绝的调用：由谁、从哪里、针对什么、结果如何。"
        }
        NoAuditLog {
            en: "This backend keeps no audit log.",
            ja: "このバックエンドは監査ログを記録していません。",
            zh: "此后端不记录审计日志。"
        }
        Filters { en: "Filters", ja: "絞り込み", zh: "筛选" }
        FilterWho { en: "User or AccessKey ID", ja: "ユーザーまたは AccessKey ID", zh: "用户或 AccessKey ID" }
        FilterAction { en: "Operation", ja: "操作", zh: "操作" }
        FilterTarget { en: "Target ID", ja: "対象 ID", zh: "对象 ID" }
        FilterOutcome { en: "Result", ja: "結果", zh: "结果" }
        FilterFrom { en: "From", ja: "開始日", zh: "开始日期" }
        FilterTo { en: "To", ja: "終了日", zh: "结束日期" }
        AnyOutcome { en: "Any", ja: "すべて", zh: "全部" }
        Apply { en: "Apply", ja: "適用", zh: "应用" }
        ClearFilters { en: "Clear", ja: "クリア", zh: "清除" }
        OutcomeSuccess { en: "Succeeded", ja: "成功", zh: "成功" }
        OutcomeFailed { en: "Failed", ja: "失敗", zh: "失败" }
        OutcomeRefused { en: "Refused", ja: "拒否", zh: "已拒绝" }
        ColumnTime { en: "Time", ja: "日時", zh: "时间" }
        ColumnWho { en: "Who", ja: "実行者", zh: "操作者" }
        ColumnOperation { en: "Operation", ja: "操作", zh: "操作" }
        ColumnTarget { en: "Target", ja: "対象", zh: "对象" }
        ColumnResult { en: "Result", ja: "結果", zh: "结果" }
        ColumnSource { en: "Source", ja: "送信元", zh: "来源" }
        Details { en: "Details", ja: "詳細", zh: "详情" }
        RequestId { en: "Request ID", ja: "リクエスト ID", zh: "请求 ID" }
        NoParameters { en: "No parameters", ja: "パラメータなし", zh: "无参数" }
        Unproven { en: "Unverified caller", ja: "未確認の呼び出し元", zh: "未经验证的调用方" }
        KindUser { en: "user", ja: "ユーザー", zh: "用户" }
        KindAccessKey { en: "access key", ja: "AccessKey", zh: "AccessKey" }
        NoEvents { en: "No events match these filters.", ja: "この条件に一致するイベントはありません。", zh: "没有符合这些条件的事件。" }
        BadDate { en: "Enter a date as YYYY-MM-DD.", ja: "日付は YYYY-MM-DD の形式で入力してください。", zh: "请按 YYYY-MM-DD 格式输入日期。" }
        TabHistory { en: "History", ja: "履歴", zh: "历史记录" }
        HistoryHeading { en: "Changes to this batch", ja: "このバッチへの変更", zh: "此批次的变更" }
        NoHistory {
            en: "No changes to this batch have been recorded.",
            ja: "このバッチへの変更は記録されていません。",
            zh: "没有此批次的变更记录。"
        }
        HistoryUnavailable {
            en: "This backend does not record who changed a batch.",
            ja: "このバックエンドはバッチを変更したユーザーを記録していません。",
            zh: "此后端不记录谁变更了批次。"
        }
        HistoryMore {
            en: "The first {shown} of {total} changes.",
            ja: "{total} 件の変更のうち最初の {shown} 件。",
            zh: "共 {total} 条变更，显示前 {shown} 条。"
        }
        ColumnChange { en: "Change", ja: "変更", zh: "变更" }
        TargetJob { en: "Batch", ja: "バッチ", zh: "批次" }
        TargetFirmware { en: "Update package", ja: "更新パッケージ", zh: "升级包" }
        TargetTask { en: "Device update task", ja: "デバイス更新タスク", zh: "设备升级任务" }
        TargetDevice { en: "Device", ja: "デバイス", zh: "设备" }
        TargetGroup { en: "Group", ja: "グループ", zh: "分组" }
        TargetModule { en: "Module", ja: "モジュール", zh: "OTA模块" }
        TargetProduct { en: "Product", ja: "プロダクト", zh: "产品" }
        TargetUser { en: "User", ja: "ユーザー", zh: "用户" }
        ChangeCreated { en: "Created", ja: "作成", zh: "创建" }
        ChangeEdited { en: "Edited", ja: "編集", zh: "编辑" }
        ChangeCancelled { en: "Cancelled", ja: "キャンセル", zh: "取消" }
        ChangeStopped { en: "Stopped taking on devices", ja: "デバイスの追加を停止", zh: "停止纳入新设备" }
        ChangeConfirmed { en: "Confirmed devices", ja: "デバイスの更新を確認", zh: "确认了设备的升级" }
        ChangeRetried { en: "Retried devices", ja: "デバイスを再更新", zh: "重新升级了设备" }
        ChangeCancelledDevices { en: "Cancelled devices", ja: "デバイスの更新をキャンセル", zh: "取消了设备的升级" }
    }
}
