//! The console's messages for browsing: environments, packages, batches, tasks, devices.

catalogue! {
    /// A message of the browsing pages.
    Msg {
        AppName { en: "OTA console", ja: "OTA コンソール", zh: "OTA 控制台" }
        Environment { en: "Environment", ja: "環境", zh: "环境" }
        Language { en: "Language", ja: "言語", zh: "语言" }
        Theme { en: "Theme", ja: "テーマ", zh: "主题" }
        ThemeSystem { en: "System", ja: "システム設定", zh: "跟随系统" }
        ThemeLight { en: "Light", ja: "ライト", zh: "浅色" }
        ThemeDark { en: "Dark", ja: "ダーク", zh: "深色" }
        MainNavigation { en: "Main navigation", ja: "メインナビゲーション", zh: "主导航" }
        UpdatePackages { en: "Update packages", ja: "更新パッケージ", zh: "升级包" }
        UpdatePackagesIntro {
            en: "Firmware packages that can be rolled out to the devices of a product.",
            ja: "プロダクトのデバイスに配信できるファームウェアの更新パッケージです。",
            zh: "可发布到产品设备上的固件升级包。"
        }

        Search { en: "Search", ja: "検索", zh: "搜索" }
        SearchPlaceholder { en: "Name, package ID or version", ja: "名前・更新パッケージ ID・バージョン", zh: "名称、升级包 ID 或版本号" }
        ClearSearch { en: "Clear search", ja: "検索をクリア", zh: "清除搜索" }

        ColumnName { en: "Package name", ja: "更新パッケージ名", zh: "升级包名称" }
        ColumnProduct { en: "Product", ja: "プロダクト", zh: "产品" }
        ColumnModule { en: "Module", ja: "モジュール", zh: "OTA模块" }
        ColumnVersion { en: "Version", ja: "バージョン", zh: "版本号" }
        ColumnType { en: "Type", ja: "タイプ", zh: "类型" }
        ColumnStatus { en: "Status", ja: "ステータス", zh: "状态" }
        ColumnSize { en: "Size", ja: "サイズ", zh: "大小" }
        ColumnCreated { en: "Created", ja: "作成日時", zh: "创建时间" }
        ColumnActions { en: "Actions", ja: "アクション", zh: "操作" }
        View { en: "View", ja: "表示", zh: "查看" }

        TypeFull { en: "Full", ja: "完全", zh: "整包" }
        TypeDifferential { en: "Differential", ja: "差分", zh: "差分" }
        StatusNotRequired { en: "No verification needed", ja: "検証不要", zh: "无需验证" }
        StatusUnverified { en: "Not verified", ja: "未検証", zh: "未验证" }
        StatusVerified { en: "Verified", ja: "検証済み", zh: "已验证" }
        StatusVerifying { en: "Verifying", ja: "検証中", zh: "验证中" }
        StatusVerificationFailed { en: "Verification failed", ja: "検証失敗", zh: "验证失败" }

        PageSummary { en: "{first}–{last} of {total}", ja: "{total} 件中 {first}–{last} 件", zh: "共 {total} 条，第 {first}–{last} 条" }
        PerPage { en: "Per page", ja: "表示件数", zh: "每页显示" }
        Pagination { en: "Pagination", ja: "ページ送り", zh: "分页" }
        FirstPage { en: "First", ja: "最初", zh: "首页" }
        PreviousPage { en: "Previous", ja: "前へ", zh: "上一页" }
        NextPage { en: "Next", ja: "次へ", zh: "下一页" }
        LastPage { en: "Last", ja: "最後", zh: "末页" }

        Loading { en: "Loading…", ja: "読み込み中…", zh: "加载中…" }
        NoPackagesYet { en: "There are no update packages yet.", ja: "更新パッケージはまだありません。", zh: "还没有升级包。" }
        PastTheLastPage { en: "This page is past the end of the list.", ja: "このページは一覧の範囲外です。", zh: "此页超出了列表范围。" }
        NoPackagesMatch { en: "No update packages match “{query}”.", ja: "「{query}」に一致する更新パッケージはありません。", zh: "没有与“{query}”匹配的升级包。" }

        Unreachable { en: "Cannot reach the OTA backend at {endpoint}.", ja: "OTA バックエンド ({endpoint}) に接続できません。", zh: "无法连接到 OTA 后端（{endpoint}）。" }
        RetryingAutomatically { en: "Retrying automatically…", ja: "自動的に再試行しています…", zh: "正在自动重试…" }
        Retry { en: "Retry", ja: "再試行", zh: "重试" }
        Refused { en: "The backend refused the request.", ja: "バックエンドがリクエストを拒否しました。", zh: "后端拒绝了请求。" }
        Unreadable { en: "The backend's answer could not be read.", ja: "バックエンドの応答を読み取れませんでした。", zh: "无法读取后端的响应。" }
        FirmwareNotFound {
            en: "This update package does not exist. It may have been deleted.",
            ja: "この更新パッケージは存在しません。削除された可能性があります。",
            zh: "此升级包不存在，可能已被删除。"
        }
        InvalidPageParams { en: "That page does not exist.", ja: "そのページは存在しません。", zh: "该页不存在。" }
        ErrorCode { en: "Code", ja: "コード", zh: "错误码" }
        RequestId { en: "Request ID", ja: "リクエスト ID", zh: "请求 ID" }
        ConfigUnavailable {
            en: "The console's configuration (config.json) could not be loaded.",
            ja: "コンソールの設定 (config.json) を読み込めませんでした。",
            zh: "无法加载控制台的配置（config.json）。"
        }

        PackageInformation { en: "Package information", ja: "更新パッケージ情報", zh: "升级包信息" }
        BackToPackages { en: "All update packages", ja: "更新パッケージ一覧", zh: "升级包列表" }
        PackageId { en: "Package ID", ja: "更新パッケージ ID", zh: "升级包 ID" }
        SourceVersion { en: "Source version", ja: "更新前のバージョン", zh: "待升级版本号" }
        DestinationVersion { en: "Destination version", ja: "更新後のバージョン", zh: "升级后版本号" }
        SignMethod { en: "Signature algorithm", ja: "署名アルゴリズム", zh: "签名算法" }
        Signature { en: "Package signature", ja: "更新パッケージの署名", zh: "升级包签名" }
        VerifyProgress { en: "Verification progress", ja: "検証の進捗", zh: "验证进度" }
        Description { en: "Description", ja: "説明", zh: "描述" }
        CustomInformation { en: "Custom information", ja: "カスタム情報", zh: "自定义信息" }
        Download { en: "Download", ja: "ダウンロード", zh: "下载" }
        Modified { en: "Modified", ja: "更新日時", zh: "修改时间" }
        NotSet { en: "—", ja: "—", zh: "—" }

        PageNotFound { en: "This page does not exist.", ja: "このページは存在しません。", zh: "此页面不存在。" }

        PackageTabs { en: "Package views", ja: "更新パッケージの表示", zh: "升级包视图" }
        TabBatches { en: "Batch management", ja: "バッチ管理", zh: "批次管理" }
        BatchesIntro {
            en: "The package's update batches, newest first, with how far each has got.",
            ja: "この更新パッケージのバッチ (新しい順) と、それぞれの進み具合です。",
            zh: "此升级包的升级批次（从新到旧）及各批次的进展。"
        }
        NoBatchesYet { en: "This package has no update batches yet.", ja: "この更新パッケージのバッチはまだありません。", zh: "此升级包还没有升级批次。" }
        ColumnBatch { en: "Batch", ja: "バッチ", zh: "批次" }
        ColumnStarted { en: "Started", ja: "開始日時", zh: "开始时间" }
        ColumnEnded { en: "Ended", ja: "終了日時", zh: "结束时间" }
        ColumnDevices { en: "Devices by state", ja: "状態別のデバイス", zh: "各状态的设备" }
        JobVerify { en: "Verification", ja: "検証", zh: "验证升级包" }
        JobUpgrade { en: "Batch update", ja: "一括更新", zh: "批量升级" }
        SelectionStatic { en: "static", ja: "静的", zh: "静态升级" }
        SelectionDynamic { en: "dynamic", ja: "動的", zh: "动态升级" }
        JobPlanned { en: "Scheduled", ja: "予定", zh: "计划中" }
        JobInProgress { en: "In progress", ja: "アップグレード中", zh: "升级中" }
        JobCompleted { en: "Completed", ja: "完了", zh: "已完成" }
        JobCanceled { en: "Canceled", ja: "キャンセル済み", zh: "已取消" }
        TaskConfirm { en: "Pending confirmation", ja: "確認待ち", zh: "待确认" }
        TaskQueued { en: "Pending push", ja: "プッシュ予定", zh: "待推送" }
        TaskNotified { en: "Pushed", ja: "プッシュ済み", zh: "已推送" }
        TaskInProgress { en: "Upgrading", ja: "アップグレード中", zh: "升级中" }
        TaskSucceeded { en: "Updated", ja: "更新済み", zh: "升级成功" }
        TaskFailed { en: "Failed", ja: "更新失敗", zh: "升级失败" }
        TaskCanceled { en: "Canceled", ja: "キャンセル済み", zh: "已取消" }
        DevicesTotal { en: "{total} devices", ja: "{total} 台", zh: "{total} 台设备" }
        CountsByListing {
            en: "Counted from the task lists: this backend does not count by state.",
            ja: "タスク一覧から数えました (このバックエンドには状態別の集計がありません)。",
            zh: "根据任务列表统计（此后端不提供按状态的统计）。"
        }
        CountsUnavailable { en: "Counts unavailable", ja: "件数を取得できません", zh: "无法获取数量" }

        BatchDetails { en: "Batch details", ja: "バッチの詳細", zh: "批次详情" }
        BatchOf { en: "{type} · package {package}", ja: "{type} · 更新パッケージ {package}", zh: "{type} · 升级包 {package}" }
        UpdatePackage { en: "Update package", ja: "更新パッケージ", zh: "升级包" }
        PushRate { en: "Push rate", ja: "プッシュレート", zh: "升级包推送速率" }
        PerMinute { en: "{count} devices a minute", ja: "毎分 {count} 台", zh: "每分钟 {count} 台" }
        VariableRateValue {
            en: "from {start} a minute, × {factor} every {every} devices {on}, up to {max}",
            ja: "毎分 {start} 台から、{every} 台が{on}ごとに × {factor}、最大 {max}",
            zh: "从每分钟 {start} 台开始，每{on} {every} 台 × {factor}，最多每分钟 {max} 台"
        }
        GrowthOnNotified { en: "notified", ja: "プッシュされる", zh: "推送" }
        GrowthOnSucceeded { en: "updated", ja: "更新される", zh: "升级成功" }
        AutomaticRetries { en: "Automatic retries", ja: "自動再試行", zh: "自动重试" }
        RetriesValue { en: "{count} × after {minutes} min", ja: "{minutes} 分後に {count} 回まで", zh: "{minutes} 分钟后重试，最多 {count} 次" }
        DeviceTimeout { en: "Device timeout", ja: "デバイスのタイムアウト", zh: "设备升级超时时间" }
        Minutes { en: "{count} min", ja: "{count} 分", zh: "{count} 分钟" }
        OverwriteRunning { en: "Overwrite unfinished tasks", ja: "未完了タスクの上書き", zh: "覆盖未完成的升级任务" }
        AppConfirmation { en: "Confirmation in the app", ja: "アプリでの確認", zh: "App确认升级" }
        Delivery { en: "Delivery", ja: "配信方法", zh: "推送方式" }
        DeliveryPush { en: "Pushed to devices", ja: "デバイスへプッシュ", zh: "云端主动推送" }
        DeliveryPull { en: "Devices ask for it", ja: "デバイスが取得", zh: "设备主动获取" }
        Yes { en: "Yes", ja: "はい", zh: "是" }
        No { en: "No", ja: "いいえ", zh: "否" }
        BatchTags { en: "Tag information", ja: "タグ情報", zh: "标签信息" }
        BatchStates { en: "Devices of the batch by state", ja: "状態別のバッチのデバイス", zh: "批次中各状态的设备" }
        StateAll { en: "All", ja: "すべて", zh: "全部" }
        ColumnDevice { en: "Device", ja: "デバイス", zh: "设备" }
        ColumnDetail { en: "Detail", ja: "詳細", zh: "详情" }
        ColumnVersions { en: "Versions", ja: "バージョン", zh: "版本号" }
        DeviceSearchPlaceholder { en: "Exact device name", ja: "デバイス名 (完全一致)", zh: "设备名称（精确匹配）" }
        NoTasksHere { en: "No devices in this state.", ja: "この状態のデバイスはありません。", zh: "没有处于此状态的设备。" }
        NoTaskForDevice { en: "No device named “{name}” in this list.", ja: "この一覧に「{name}」というデバイスはありません。", zh: "此列表中没有名为“{name}”的设备。" }
        TooDeep {
            en: "Lists stop at 100,000 rows. Choose a state or search a device name to reach the rest.",
            ja: "一覧は 100,000 行までです。状態を選ぶかデバイス名で検索してください。",
            zh: "列表最多显示 100,000 行。请选择状态或搜索设备名称查看其余设备。"
        }
        OnlyReason {
            en: "Only devices that failed or were cancelled for: {reason}.",
            ja: "次の理由で失敗またはキャンセルされたデバイスのみ: {reason}。",
            zh: "仅显示因以下原因升级失败或被取消的设备：{reason}。"
        }
        EveryReason { en: "Show every reason", ja: "すべての理由を表示", zh: "显示所有原因" }
        ReasonNone { en: "No reason given", ja: "理由なし", zh: "未提供原因" }
        ActionResume { en: "Resume", ja: "再開", zh: "恢复" }
        ActionPause { en: "Pause", ja: "一時停止", zh: "暂停" }
        ActionStartNextWave { en: "Start next wave", ja: "次のウェーブを開始", zh: "开始下一波次" }
        ActionCancelPending { en: "Cancel waiting devices", ja: "待機中のデバイスをキャンセル", zh: "取消等待中的设备" }
        WaitOffline { en: "Device offline", ja: "デバイスがオフライン", zh: "设备离线" }
        WaitScheduled { en: "Scheduled: {time}", ja: "スケジュール済み: {time}", zh: "定时：{time}" }
        WaitRateLimited { en: "Held by the push rate", ja: "プッシュレートによる待機", zh: "受推送速率限制" }
        WaitWave { en: "Waiting for wave {wave}", ja: "ウェーブ {wave} の開始待ち", zh: "等待第 {wave} 波次" }
        WaitPaused { en: "Batch paused", ja: "バッチ一時停止中", zh: "批次已暂停" }
        WaitWindow { en: "Outside maintenance window: next from {time}", ja: "メンテナンス時間外: 次回 {time} から", zh: "不在维护时段内：下次从 {time} 开始" }
        ReasonConflict { en: "Another batch's task was unfinished (not overwritten)", ja: "他のバッチのタスクが未完了 (上書きなし)", zh: "其他批次的升级任务未完成（未覆盖）" }
        ReasonUpgradeFailed { en: "Update failed (-1)", ja: "更新失敗 (-1)", zh: "升级失败（-1）" }
        ReasonDownloadFailed { en: "Download failed (-2)", ja: "ダウンロード失敗 (-2)", zh: "下载失败（-2）" }
        ReasonVerifyFailed { en: "Verification failed (-3)", ja: "検証失敗 (-3)", zh: "校验失败（-3）" }
        ReasonFlashFailed { en: "Writing to flash failed (-4)", ja: "書き込み失敗 (-4)", zh: "烧写失败（-4）" }
        ReasonVersionMismatch {
            en: "Reported a version that is neither source nor destination",
            ja: "更新前・更新後のどちらでもないバージョンを報告",
            zh: "上报的版本号既不是待升级版本号，也不是升级后版本号"
        }
        ReasonTimeout { en: "Timed out", ja: "タイムアウト", zh: "升级超时" }
        ReasonCanceledByJob { en: "The batch was canceled", ja: "バッチのキャンセル", zh: "批次已取消" }
        ReasonCanceledByDevice { en: "Canceled for this device", ja: "デバイス単位のキャンセル", zh: "单独取消了此设备的升级" }
        ReasonOverwritten { en: "Overwritten by a newer batch", ja: "新しいバッチによる上書き", zh: "被较新的批次覆盖" }
        ReasonScheduleEnded { en: "The batch's scheduled end came", ja: "バッチの終了予定時刻に到達", zh: "已到批次的计划结束时间" }

        ActionConfirm { en: "Confirm", ja: "確認", zh: "确认" }
        ActionCancel { en: "Cancel", ja: "キャンセル", zh: "取消" }
        ActionReupgrade { en: "Re-upgrade", ja: "再アップグレード", zh: "重新升级" }
        AskConfirmTask {
            en: "Confirm the update of {device}? Its task leaves “Pending confirmation” and waits for its push.",
            ja: "{device} の更新を確認しますか? タスクは「確認待ち」から「プッシュ予定」に進みます。",
            zh: "确认 {device} 的升级？其任务将从“待确认”进入“待推送”。"
        }
        AskCancelTask {
            en: "Cancel the update of {device} in this batch? Its task ends as canceled; the device keeps the version it runs.",
            ja: "このバッチでの {device} の更新をキャンセルしますか? タスクはキャンセル済みになり、デバイスは現在のバージョンのままです。",
            zh: "取消 {device} 在此批次中的升级？其任务将变为已取消，设备保持当前运行的版本。"
        }
        AskReupgradeTask {
            en: "Update {device} again? Its task starts over from the beginning of this batch's rollout.",
            ja: "{device} をもう一度更新しますか? タスクはこのバッチで最初からやり直します。",
            zh: "再次升级 {device}？其任务将在此批次中从头开始。"
        }
        KeepAsIs { en: "Go back", ja: "戻る", zh: "返回" }
        Delete { en: "Delete", ja: "削除", zh: "删除" }
        CancelBatch { en: "Cancel batch", ja: "バッチをキャンセル", zh: "取消批次" }
        CancelStaticExplain {
            en: "Cancelling this batch cancels its devices that are {states}. The batch then ends.",
            ja: "このバッチをキャンセルすると、{states} のデバイスのタスクがキャンセルされ、バッチは終了します。",
            zh: "取消此批次将取消处于 {states} 状态的设备的升级任务，随后批次结束。"
        }
        CancelStaticKeeps {
            en: "Devices already upgrading ({count}) finish their update.",
            ja: "アップグレード中のデバイス ({count} 台) は更新を最後まで続けます。",
            zh: "已在升级中的设备（{count} 台）将完成升级。"
        }
        CancelDynamicExplain {
            en: "Cancelling this dynamic batch stops it from taking on more devices. The tasks it gave devices carry on, unless you cancel them too:",
            ja: "この動的バッチをキャンセルすると、新しいデバイスは対象になりません。既存のタスクは続行します (以下で選んだ状態はキャンセル):",
            zh: "取消此动态升级批次后，将不再纳入新的设备。它已为设备创建的升级任务会继续执行，除非您同时取消它们："
        }
        StateWithCount { en: "{state} ({count})", ja: "{state} ({count} 台)", zh: "{state}（{count} 台）" }
        AskCancelState {
            en: "Cancel the tasks of all {count} devices in “{state}” in this batch? They end as canceled and the devices keep the version they run; you can re-upgrade them later.",
            ja: "このバッチで「{state}」の {count} 台すべてのタスクをキャンセルしますか? タスクはキャンセル済みになり、デバイスは現在のバージョンのままです。後で再アップグレードできます。",
            zh: "取消此批次中处于“{state}”的全部 {count} 台设备的升级任务？任务将变为已取消，设备保持当前运行的版本；之后可以重新升级。"
        }
        CancelAllInState { en: "Cancel all {count} in “{state}”", ja: "「{state}」の {count} 台をすべてキャンセル", zh: "取消“{state}”中的全部 {count} 台" }
        PackageStates { en: "Devices of the package by state", ja: "更新パッケージのデバイス (状態別)", zh: "升级包中各状态的设备" }
        PackageTasksUnsupported {
            en: "This backend lists devices batch by batch only. Open a batch under Batch management to see its devices.",
            ja: "このバックエンドはバッチごとにしかデバイスを一覧できません。バッチ管理からバッチを開いてください。",
            zh: "此后端只能按批次列出设备。请在批次管理中打开一个批次查看其设备。"
        }
        TabDevices { en: "Device list", ja: "デバイスリスト", zh: "设备列表" }
        TabPackageDevices { en: "Device list", ja: "デバイス一覧", zh: "设备列表" }
        TabAnalysis { en: "Data analysis", ja: "データ分析", zh: "数据分析" }
        TabBatchInfo { en: "Batch information", ja: "バッチ情報", zh: "批次信息" }
        TabProgress { en: "Progress", ja: "進捗", zh: "进度" }
        BatchTabs { en: "Batch views", ja: "バッチの表示", zh: "批次视图" }
        Breadcrumb { en: "You are here", ja: "現在の位置", zh: "当前位置" }
        BatchId { en: "Batch ID", ja: "バッチ ID", zh: "批次 ID" }
        Target { en: "Devices", ja: "対象デバイス", zh: "升级范围" }
        TargetAll { en: "All devices of the product", ja: "プロダクトのすべてのデバイス", zh: "产品下的全部设备" }
        TargetSpecific { en: "Named devices", ja: "指定したデバイス", zh: "定向升级" }
        TargetGray { en: "{percent} % of the devices (gray release)", ja: "デバイスの {percent} % (グレーリリース)", zh: "{percent}% 的设备（灰度升级）" }
        TargetGroup { en: "Group {group}", ja: "グループ {group}", zh: "分组 {group}" }
        SourceVersions { en: "Versions to update", ja: "更新対象のバージョン", zh: "待升级版本号" }
        AnyVersion { en: "any version", ja: "すべてのバージョン", zh: "任意版本" }
        DynamicModeLabel { en: "Dynamic batch takes on", ja: "動的バッチの対象", zh: "动态升级的对象" }
        DynamicContinuous { en: "matching devices now and later", ja: "条件に合う現在と今後のデバイス", zh: "当前及今后符合条件的设备" }
        DynamicNewReportsOnly { en: "only devices that later report a matching version", ja: "今後一致するバージョンを報告したデバイスのみ", zh: "仅限今后上报匹配版本的设备" }
        DownloadProtocol { en: "Download protocol", ja: "ダウンロードプロトコル", zh: "升级包下载协议" }
        MultiModule { en: "Several modules at once", ja: "複数モジュールの同時更新", zh: "多个OTA模块同时升级" }
        ScheduledStart { en: "Scheduled start", ja: "予定開始時刻", zh: "计划开始时间" }
        ScheduledFinish { en: "Scheduled end", ja: "予定終了時刻", zh: "计划结束时间" }
        DeviceOnline { en: "Online", ja: "オンライン", zh: "在线" }
        DeviceOffline { en: "Offline", ja: "オフライン", zh: "离线" }
        DeviceUnactive { en: "Never connected", ja: "未アクティブ", zh: "未激活" }
        DeviceDisabled { en: "Disabled", ja: "無効", zh: "已禁用" }
        ReportedVersion { en: "Reported version", ja: "報告されたバージョン", zh: "上报的版本号" }
        Nickname { en: "Alias", ja: "別名", zh: "备注名称" }
        IpAddress { en: "IP address", ja: "IP アドレス", zh: "IP 地址" }
        LastOnline { en: "Last online", ja: "最終オンライン日時", zh: "最后上线时间" }
        Activated { en: "Activated", ja: "アクティブ化日時", zh: "激活时间" }
        Registered { en: "Registered", ja: "登録日時", zh: "注册时间" }
        ModuleVersions { en: "Versions by module", ja: "モジュール別のバージョン", zh: "各OTA模块的版本号" }
        NoModuleVersions { en: "The device has not reported a version yet.", ja: "デバイスはまだバージョンを報告していません。", zh: "设备尚未上报版本号。" }
        UnfinishedTasks { en: "Unfinished updates", ja: "未完了の更新", zh: "未完成的升级" }
        NoUnfinishedTasks { en: "No update is under way for this device.", ja: "このデバイスで進行中の更新はありません。", zh: "此设备没有正在进行的升级。" }
        DeviceBatches { en: "Batches that included it", ja: "このデバイスを含むバッチ", zh: "包含此设备的批次" }
        DeviceBatchesScope {
            en: "From the product's newest {count} update packages.",
            ja: "プロダクトの最新 {count} 件の更新パッケージを対象にしています。",
            zh: "来自该产品最新的 {count} 个升级包。"
        }
        NoDeviceBatches { en: "No batch has included this device.", ja: "このデバイスを含むバッチはありません。", zh: "没有批次包含此设备。" }
        Environments { en: "All environments", ja: "すべての環境", zh: "所有环境" }
        EnvironmentsIntro {
            en: "The OTA backends this console can manage, each with the instances it hosts. Choose an instance by its ID or name to see its update packages and batches.",
            ja: "このコンソールで管理できる OTA バックエンドと、それぞれのインスタンスです。インスタンス ID またはインスタンス名をクリックすると、その更新パッケージとバッチを表示します。",
            zh: "此控制台可管理的 OTA 后端及其中的实例。单击实例 ID 或实例名称，查看其升级包和批次。"
        }
        InstanceId { en: "Instance ID", ja: "インスタンス ID", zh: "实例 ID" }
        InstanceName { en: "Instance name", ja: "インスタンス名", zh: "实例名称" }
        DefaultInstance { en: "Default instance", ja: "デフォルトインスタンス", zh: "默认实例" }
        NoInstances { en: "This backend lists no instance.", ja: "このバックエンドにはインスタンスがありません。", zh: "此后端没有实例。" }
        InstancesNotListed {
            en: "This backend does not list its instances: shown is the one this environment is set to.",
            ja: "このバックエンドはインスタンスを一覧しません。この環境に設定されたインスタンスを表示しています。",
            zh: "此后端不列出其实例：此处显示的是此环境所配置的实例。"
        }
        EnvironmentName { en: "Name", ja: "名前", zh: "名称" }
        Endpoint { en: "Endpoint", ja: "エンドポイント", zh: "接入点" }
        Reachable { en: "Reachable", ja: "接続可能", zh: "可连接" }
        NotReachable { en: "Not reachable", ja: "接続不可", zh: "无法连接" }
        BatchesRunning { en: "Batches in progress", ja: "進行中のバッチ", zh: "进行中的批次" }
        PlannedToo { en: " (+{count} scheduled)", ja: " (予定 +{count})", zh: "（另有 {count} 个计划中）" }
        NoBatchCounts {
            en: "This backend does not count batches in progress.",
            ja: "このバックエンドは進行中のバッチを集計しません。",
            zh: "此后端不统计进行中的批次。"
        }
        Open { en: "Open", ja: "開く", zh: "打开" }
        Remove { en: "Remove", ja: "削除", zh: "移除" }
        AskRemoveEnvironment {
            en: "Remove “{name}” from this browser? The backend itself is not changed.",
            ja: "「{name}」をこのブラウザーから削除しますか? バックエンド自体は変更されません。",
            zh: "从此浏览器中移除“{name}”？后端本身不会改变。"
        }
        AddEnvironment { en: "Add an environment", ja: "環境を追加", zh: "添加环境" }
        AddEnvironmentIntro {
            en: "Kept in this browser only. A backend on another origin must allow this console's origin (CORS).",
            ja: "このブラウザーにだけ保存されます。別オリジンのバックエンドは、このコンソールのオリジンを許可 (CORS) する必要があります。",
            zh: "仅保存在此浏览器中。位于其他源的后端必须允许此控制台的源（CORS）。"
        }
        InstanceIdOptional { en: "IotInstanceId (optional)", ja: "IotInstanceId (任意)", zh: "IotInstanceId（可选）" }
        AddEnvironmentButton { en: "Add environment", ja: "環境を追加", zh: "添加环境" }
        EnvironmentNameProblem { en: "Give it a name of 1 to 64 characters.", ja: "1～64 文字の名前を入力してください。", zh: "请输入 1～64 个字符的名称。" }
        EnvironmentNameTaken { en: "Another environment has this name.", ja: "同じ名前の環境があります。", zh: "已有同名的环境。" }
        EndpointProblem {
            en: "Enter the backend's address, starting with https:// or http://.",
            ja: "https:// または http:// で始まるバックエンドのアドレスを入力してください。",
            zh: "请输入以 https:// 或 http:// 开头的后端地址。"
        }
        InstanceIdProblem {
            en: "Up to 64 letters, digits, “-”, “_” or “.”.",
            ja: "英数字・「-」「_」「.」で 64 文字以内にしてください。",
            zh: "最多 64 个字符，仅限字母、数字、“-”、“_”或“.”。"
        }
        LiveStream { en: "Live", ja: "ライブ", zh: "实时" }
        LivePoll { en: "Checked for changes automatically", ja: "変更を自動で確認", zh: "自动检查变更" }
        PackageFiles { en: "Files", ja: "ファイル", zh: "文件" }
        FileName { en: "File", ja: "ファイル名", zh: "文件名" }
        EditBatch { en: "Edit batch", ja: "バッチを編集", zh: "编辑批次" }
        EditPolicyTitle { en: "Update policy settings", ja: "更新ポリシーの設定", zh: "升级策略配置" }
        EditTagsTitle { en: "Edit tag information", ja: "タグ情報の編集", zh: "编辑标签信息" }
        EditBatchNamed { en: "Edit batch {id}", ja: "バッチ {id} を編集", zh: "编辑批次 {id}" }
        CancelBatchNamed { en: "Cancel batch {id}", ja: "バッチ {id} をキャンセル", zh: "取消批次 {id}" }
        SaveChanges { en: "Save changes", ja: "変更を保存", zh: "保存更改" }
        MaximumPerMinuteLabel { en: "Push rate (devices a minute)", ja: "プッシュレート (毎分の台数)", zh: "升级包推送速率（每分钟设备数）" }
        StartPerMinuteLabel { en: "Starting rate (devices a minute)", ja: "開始時のレート (毎分の台数)", zh: "初始速率（每分钟设备数）" }
        GrowthFactorLabel { en: "Growth factor (1.1–5)", ja: "増加率 (1.1～5)", zh: "增长倍数（1.1～5）" }
        GrowthEveryLabel { en: "Grow every (devices)", ja: "増加の間隔 (台数)", zh: "增长间隔（设备数）" }
        TimeoutLabel { en: "Device timeout (minutes)", ja: "デバイスのタイムアウト (分)", zh: "设备升级超时时间（分钟）" }
        SourceVersionsLabel { en: "Versions to update (comma-separated)", ja: "更新対象のバージョン (カンマ区切り)", zh: "待升级版本号（以逗号分隔）" }
        TagsReplacedWhole {
            en: "The batch keeps exactly the tags listed here.",
            ja: "バッチのタグは、ここに並んだものがそのまま保存されます。",
            zh: "批次将只保留此处列出的标签。"
        }
        TagKeyLabel { en: "Key of tag {n}", ja: "タグ {n} のキー", zh: "标签 {n} 的键" }
        TagValueLabel { en: "Value of tag {n}", ja: "タグ {n} の値", zh: "标签 {n} 的值" }
        AddTag { en: "Add a tag", ja: "タグを追加", zh: "添加标签" }
        RuleMissing { en: "Required.", ja: "入力してください。", zh: "必填。" }
        RuleLength { en: "{min} to {max} characters.", ja: "{min}～{max} 文字にしてください。", zh: "长度须为 {min}～{max} 个字符。" }
        RuleCharacter { en: "“{bad}” is not allowed here.", ja: "「{bad}」は使えません。", zh: "此处不能使用“{bad}”。" }
        RuleFirstCharacter { en: "May not start with “{bad}”.", ja: "「{bad}」で始めることはできません。", zh: "不能以“{bad}”开头。" }
        RuleRange { en: "A whole number from {min} to {max}.", ja: "{min}～{max} の整数にしてください。", zh: "请输入 {min}～{max} 之间的整数。" }
        RuleTooMany { en: "At most {max}.", ja: "{max} 個までです。", zh: "最多 {max} 个。" }
        RuleDuplicate { en: "“{value}” appears twice.", ja: "「{value}」が重複しています。", zh: "“{value}”重复出现。" }
        RuleTotalLength { en: "At most {max} characters together.", ja: "合計 {max} 文字までです。", zh: "合计最多 {max} 个字符。" }
        ConfirmPage { en: "Confirm the {count} on this page", ja: "このページの {count} 台を確認", zh: "确认本页的 {count} 台" }
        ReupgradePage { en: "Re-upgrade the {count} on this page", ja: "このページの {count} 台を再アップグレード", zh: "重新升级本页的 {count} 台" }
        AskConfirmPage {
            en: "Confirm the update of the {count} devices on this page? Their tasks move on to “Pending push”.",
            ja: "このページの {count} 台の更新を確認しますか? タスクは「プッシュ予定」に進みます。",
            zh: "确认本页 {count} 台设备的升级？其任务将进入“待推送”。"
        }
        AskReupgradePage {
            en: "Update the {count} devices on this page again? Their tasks start over in their batches.",
            ja: "このページの {count} 台をもう一度更新しますか? タスクはそれぞれのバッチで最初からやり直します。",
            zh: "再次升级本页的 {count} 台设备？其任务将在各自的批次中从头开始。"
        }
        ActionFailed { en: "That did not work:", ja: "実行できませんでした:", zh: "操作未成功：" }
        ConsoleStopped { en: "The console stopped", ja: "コンソールが停止しました", zh: "控制台已停止" }
        ConsoleStoppedExplain {
            en: "An error inside the console stopped it, so this page no longer responds. Reload to carry on where you were; anything typed and not yet saved is lost.",
            ja: "コンソール内部のエラーにより停止したため、このページは操作できません。再読み込みすると同じ場所から続けられます。保存していない入力内容は失われます。",
            zh: "控制台内部出错而停止，此页面已不再响应。重新加载即可从当前位置继续；已输入但尚未保存的内容将会丢失。"
        }
        ReloadConsole { en: "Reload", ja: "再読み込み", zh: "重新加载" }
    }
}
