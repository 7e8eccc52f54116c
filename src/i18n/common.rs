//! The console's messages for browsing: environments, packages, batches, tasks, devices.

catalogue! {
    /// A message of the browsing pages.
    Msg {
        AppName { en: "OTA console", ja: "OTA コンソール" }
        Environment { en: "Environment", ja: "環境" }
        Language { en: "Language", ja: "言語" }
        Theme { en: "Theme", ja: "テーマ" }
        ThemeSystem { en: "System", ja: "システム設定" }
        ThemeLight { en: "Light", ja: "ライト" }
        ThemeDark { en: "Dark", ja: "ダーク" }
        MainNavigation { en: "Main navigation", ja: "メインナビゲーション" }
        UpdatePackages { en: "Update packages", ja: "更新パッケージ" }
        UpdatePackagesIntro {
            en: "Firmware packages that can be rolled out to the devices of a product.",
            ja: "プロダクトのデバイスに配信できるファームウェアの更新パッケージです。"
        }

        Search { en: "Search", ja: "検索" }
        SearchPlaceholder { en: "Name, package ID or version", ja: "名前・更新パッケージ ID・バージョン" }
        ClearSearch { en: "Clear search", ja: "検索をクリア" }

        ColumnName { en: "Package name", ja: "更新パッケージ名" }
        ColumnProduct { en: "Product", ja: "プロダクト" }
        ColumnModule { en: "Module", ja: "モジュール" }
        ColumnVersion { en: "Version", ja: "バージョン" }
        ColumnType { en: "Type", ja: "タイプ" }
        ColumnStatus { en: "Status", ja: "ステータス" }
        ColumnSize { en: "Size", ja: "サイズ" }
        ColumnCreated { en: "Created", ja: "作成日時" }
        ColumnActions { en: "Actions", ja: "アクション" }
        View { en: "View", ja: "表示" }

        TypeFull { en: "Full", ja: "完全" }
        TypeDifferential { en: "Differential", ja: "差分" }
        StatusNotRequired { en: "No verification needed", ja: "検証不要" }
        StatusUnverified { en: "Not verified", ja: "未検証" }
        StatusVerified { en: "Verified", ja: "検証済み" }
        StatusVerifying { en: "Verifying", ja: "検証中" }
        StatusVerificationFailed { en: "Verification failed", ja: "検証失敗" }

        PageSummary { en: "{first}–{last} of {total}", ja: "{total} 件中 {first}–{last} 件" }
        PerPage { en: "Per page", ja: "表示件数" }
        Pagination { en: "Pagination", ja: "ページ送り" }
        FirstPage { en: "First", ja: "最初" }
        PreviousPage { en: "Previous", ja: "前へ" }
        NextPage { en: "Next", ja: "次へ" }
        LastPage { en: "Last", ja: "最後" }

        Loading { en: "Loading…", ja: "読み込み中…" }
        NoPackagesYet { en: "There are no update packages yet.", ja: "更新パッケージはまだありません。" }
        PastTheLastPage { en: "This page is past the end of the list.", ja: "このページは一覧の範囲外です。" }
        NoPackagesMatch { en: "No update packages match “{query}”.", ja: "「{query}」に一致する更新パッケージはありません。" }

        Unreachable { en: "Cannot reach the OTA backend at {endpoint}.", ja: "OTA バックエンド ({endpoint}) に接続できません。" }
        RetryingAutomatically { en: "Retrying automatically…", ja: "自動的に再試行しています…" }
        Retry { en: "Retry", ja: "再試行" }
        Refused { en: "The backend refused the request.", ja: "バックエンドがリクエストを拒否しました。" }
        Unreadable { en: "The backend's answer could not be read.", ja: "バックエンドの応答を読み取れませんでした。" }
        FirmwareNotFound {
            en: "This update package does not exist. It may have been deleted.",
            ja: "この更新パッケージは存在しません。削除された可能性があります。"
        }
        InvalidPageParams { en: "That page does not exist.", ja: "そのページは存在しません。" }
        ErrorCode { en: "Code", ja: "コード" }
        RequestId { en: "Request ID", ja: "リクエスト ID" }
        ConfigUnavailable {
            en: "The console's configuration (config.json) could not be loaded.",
            ja: "コンソールの設定 (config.json) を読み込めませんでした。"
        }

        PackageInformation { en: "Package information", ja: "更新パッケージ情報" }
        BackToPackages { en: "All update packages", ja: "更新パッケージ一覧" }
        PackageId { en: "Package ID", ja: "更新パッケージ ID" }
        SourceVersion { en: "Source version", ja: "更新前のバージョン" }
        DestinationVersion { en: "Destination version", ja: "更新後のバージョン" }
        SignMethod { en: "Signature algorithm", ja: "署名アルゴリズム" }
        Signature { en: "Package signature", ja: "更新パッケージの署名" }
        VerifyProgress { en: "Verification progress", ja: "検証の進捗" }
        Description { en: "Description", ja: "説明" }
        CustomInformation { en: "Custom information", ja: "カスタム情報" }
        Download { en: "Download", ja: "ダウンロード" }
        Modified { en: "Modified", ja: "更新日時" }
        NotSet { en: "—", ja: "—" }

        PageNotFound { en: "This page does not exist.", ja: "このページは存在しません。" }

        PackageTabs { en: "Package views", ja: "更新パッケージの表示" }
        TabBatches { en: "Batch management", ja: "バッチ管理" }
        BatchesIntro {
            en: "The package's update batches, newest first, with how far each has got.",
            ja: "この更新パッケージのバッチ (新しい順) と、それぞれの進み具合です。"
        }
        NoBatchesYet { en: "This package has no update batches yet.", ja: "この更新パッケージのバッチはまだありません。" }
        ColumnBatch { en: "Batch", ja: "バッチ" }
        ColumnStarted { en: "Started", ja: "開始日時" }
        ColumnEnded { en: "Ended", ja: "終了日時" }
        ColumnDevices { en: "Devices by state", ja: "状態別のデバイス" }
        JobVerify { en: "Verification", ja: "検証" }
        JobUpgrade { en: "Batch update", ja: "一括更新" }
        SelectionStatic { en: "static", ja: "静的" }
        SelectionDynamic { en: "dynamic", ja: "動的" }
        JobPlanned { en: "Scheduled", ja: "予定" }
        JobInProgress { en: "In progress", ja: "アップグレード中" }
        JobCompleted { en: "Completed", ja: "完了" }
        JobCanceled { en: "Canceled", ja: "キャンセル済み" }
        TaskConfirm { en: "Pending confirmation", ja: "確認待ち" }
        TaskQueued { en: "Pending push", ja: "プッシュ予定" }
        TaskNotified { en: "Pushed", ja: "プッシュ済み" }
        TaskInProgress { en: "Upgrading", ja: "アップグレード中" }
        TaskSucceeded { en: "Updated", ja: "更新済み" }
        TaskFailed { en: "Failed", ja: "更新失敗" }
        TaskCanceled { en: "Canceled", ja: "キャンセル済み" }
        DevicesTotal { en: "{total} devices", ja: "{total} 台" }
        CountsByListing {
            en: "Counted from the task lists: this backend does not count by state.",
            ja: "タスク一覧から数えました (このバックエンドには状態別の集計がありません)。"
        }
        CountsUnavailable { en: "Counts unavailable", ja: "件数を取得できません" }

        BatchDetails { en: "Batch details", ja: "バッチの詳細" }
        BatchOf { en: "{type} · package {package}", ja: "{type} · 更新パッケージ {package}" }
        UpdatePackage { en: "Update package", ja: "更新パッケージ" }
        PushRate { en: "Push rate", ja: "プッシュレート" }
        PerMinute { en: "{count} devices a minute", ja: "毎分 {count} 台" }
        VariableRateValue {
            en: "from {start} a minute, × {factor} every {every} devices {on}, up to {max}",
            ja: "毎分 {start} 台から、{every} 台が{on}ごとに × {factor}、最大 {max}"
        }
        GrowthOnNotified { en: "notified", ja: "プッシュされる" }
        GrowthOnSucceeded { en: "updated", ja: "更新される" }
        AutomaticRetries { en: "Automatic retries", ja: "自動再試行" }
        RetriesValue { en: "{count} × after {minutes} min", ja: "{minutes} 分後に {count} 回まで" }
        DeviceTimeout { en: "Device timeout", ja: "デバイスのタイムアウト" }
        Minutes { en: "{count} min", ja: "{count} 分" }
        OverwriteRunning { en: "Overwrite unfinished tasks", ja: "未完了タスクの上書き" }
        AppConfirmation { en: "Confirmation in the app", ja: "アプリでの確認" }
        Delivery { en: "Delivery", ja: "配信方法" }
        DeliveryPush { en: "Pushed to devices", ja: "デバイスへプッシュ" }
        DeliveryPull { en: "Devices ask for it", ja: "デバイスが取得" }
        Yes { en: "Yes", ja: "はい" }
        No { en: "No", ja: "いいえ" }
        BatchTags { en: "Tag information", ja: "タグ情報" }
        BatchStates { en: "Devices of the batch by state", ja: "状態別のバッチのデバイス" }
        StateAll { en: "All", ja: "すべて" }
        ColumnDevice { en: "Device", ja: "デバイス" }
        ColumnDetail { en: "Detail", ja: "詳細" }
        ColumnVersions { en: "Versions", ja: "バージョン" }
        DeviceSearchPlaceholder { en: "Exact device name", ja: "デバイス名 (完全一致)" }
        NoTasksHere { en: "No devices in this state.", ja: "この状態のデバイスはありません。" }
        NoTaskForDevice { en: "No device named “{name}” in this list.", ja: "この一覧に「{name}」というデバイスはありません。" }
        TooDeep {
            en: "Lists stop at 100,000 rows. Choose a state or search a device name to reach the rest.",
            ja: "一覧は 100,000 行までです。状態を選ぶかデバイス名で検索してください。"
        }
        OnlyReason { en: "Only devices that failed or were cancelled for: {reason}.", ja: "次の理由で失敗またはキャンセルされたデバイスのみ: {reason}。" }
        EveryReason { en: "Show every reason", ja: "すべての理由を表示" }
        ReasonNone { en: "No reason given", ja: "理由なし" }
        ActionResume { en: "Resume", ja: "再開" }
        ActionPause { en: "Pause", ja: "一時停止" }
        ActionStartNextWave { en: "Start next wave", ja: "次のウェーブを開始" }
        ActionCancelPending { en: "Cancel waiting devices", ja: "待機中のデバイスをキャンセル" }
        WaitOffline { en: "Device offline", ja: "デバイスがオフライン" }
        WaitScheduled { en: "Scheduled: {time}", ja: "スケジュール済み: {time}" }
        WaitRateLimited { en: "Held by the push rate", ja: "プッシュレートによる待機" }
        WaitWave { en: "Waiting for wave {wave}", ja: "ウェーブ {wave} の開始待ち" }
        WaitPaused { en: "Batch paused", ja: "バッチ一時停止中" }
        WaitWindow { en: "Outside maintenance window: next from {time}", ja: "メンテナンス時間外: 次回 {time} から" }
        ReasonConflict { en: "Another batch's task was unfinished (not overwritten)", ja: "他のバッチのタスクが未完了 (上書きなし)" }
        ReasonUpgradeFailed { en: "Update failed (-1)", ja: "更新失敗 (-1)" }
        ReasonDownloadFailed { en: "Download failed (-2)", ja: "ダウンロード失敗 (-2)" }
        ReasonVerifyFailed { en: "Verification failed (-3)", ja: "検証失敗 (-3)" }
        ReasonFlashFailed { en: "Writing to flash failed (-4)", ja: "書き込み失敗 (-4)" }
        ReasonVersionMismatch {
            en: "Reported a version that is neither source nor destination",
            ja: "更新前・更新後のどちらでもないバージョンを報告"
        }
        ReasonTimeout { en: "Timed out", ja: "タイムアウト" }
        ReasonCanceledByJob { en: "The batch was canceled", ja: "バッチのキャンセル" }
        ReasonCanceledByDevice { en: "Canceled for this device", ja: "デバイス単位のキャンセル" }
        ReasonOverwritten { en: "Overwritten by a newer batch", ja: "新しいバッチによる上書き" }
        ReasonScheduleEnded { en: "The batch's scheduled end came", ja: "バッチの終了予定時刻に到達" }

        ActionConfirm { en: "Confirm", ja: "確認" }
        ActionCancel { en: "Cancel", ja: "キャンセル" }
        ActionReupgrade { en: "Re-upgrade", ja: "再アップグレード" }
        AskConfirmTask {
            en: "Confirm the update of {device}? Its task leaves “Pending confirmation” and waits for its push.",
            ja: "{device} の更新を確認しますか? タスクは「確認待ち」から「プッシュ予定」に進みます。"
        }
        AskCancelTask {
            en: "Cancel the update of {device} in this batch? Its task ends as canceled; the device keeps the version it runs.",
            ja: "このバッチでの {device} の更新をキャンセルしますか? タスクはキャンセル済みになり、デバイスは現在のバージョンのままです。"
        }
        AskReupgradeTask {
            en: "Update {device} again? Its task starts over from the beginning of this batch's rollout.",
            ja: "{device} をもう一度更新しますか? タスクはこのバッチで最初からやり直します。"
        }
        KeepAsIs { en: "Go back", ja: "戻る" }
        Delete { en: "Delete", ja: "削除" }
        CancelBatch { en: "Cancel batch", ja: "バッチをキャンセル" }
        CancelStaticExplain {
            en: "Cancelling this batch cancels its devices that are {states}. The batch then ends.",
            ja: "このバッチをキャンセルすると、{states} のデバイスのタスクがキャンセルされ、バッチは終了します。"
        }
        CancelStaticKeeps {
            en: "Devices already upgrading ({count}) finish their update.",
            ja: "アップグレード中のデバイス ({count} 台) は更新を最後まで続けます。"
        }
        CancelDynamicExplain {
            en: "Cancelling this dynamic batch stops it from taking on more devices. The tasks it gave devices carry on, unless you cancel them too:",
            ja: "この動的バッチをキャンセルすると、新しいデバイスは対象になりません。既存のタスクは続行します (以下で選んだ状態はキャンセル):"
        }
        StateWithCount { en: "{state} ({count})", ja: "{state} ({count} 台)" }
        AskCancelState {
            en: "Cancel the tasks of all {count} devices in “{state}” in this batch? They end as canceled and the devices keep the version they run; you can re-upgrade them later.",
            ja: "このバッチで「{state}」の {count} 台すべてのタスクをキャンセルしますか? タスクはキャンセル済みになり、デバイスは現在のバージョンのままです。後で再アップグレードできます。"
        }
        CancelAllInState { en: "Cancel all {count} in “{state}”", ja: "「{state}」の {count} 台をすべてキャンセル" }
        PackageStates { en: "Devices of the package by state", ja: "更新パッケージのデバイス (状態別)" }
        PackageTasksUnsupported {
            en: "This backend lists devices batch by batch only. Open a batch under Batch management to see its devices.",
            ja: "このバックエンドはバッチごとにしかデバイスを一覧できません。バッチ管理からバッチを開いてください。"
        }
        TabDevices { en: "Device list", ja: "デバイスリスト" }
        TabPackageDevices { en: "Device list", ja: "デバイス一覧" }
        TabAnalysis { en: "Data analysis", ja: "データ分析" }
        TabBatchInfo { en: "Batch information", ja: "バッチ情報" }
        TabProgress { en: "Progress", ja: "進捗" }
        BatchTabs { en: "Batch views", ja: "バッチの表示" }
        Breadcrumb { en: "You are here", ja: "現在の位置" }
        BatchId { en: "Batch ID", ja: "バッチ ID" }
        Target { en: "Devices", ja: "対象デバイス" }
        TargetAll { en: "All devices of the product", ja: "プロダクトのすべてのデバイス" }
        TargetSpecific { en: "Named devices", ja: "指定したデバイス" }
        TargetGray { en: "{percent} % of the devices (gray release)", ja: "デバイスの {percent} % (グレーリリース)" }
        TargetGroup { en: "Group {group}", ja: "グループ {group}" }
        SourceVersions { en: "Versions to update", ja: "更新対象のバージョン" }
        AnyVersion { en: "any version", ja: "すべてのバージョン" }
        DynamicModeLabel { en: "Dynamic batch takes on", ja: "動的バッチの対象" }
        DynamicContinuous { en: "matching devices now and later", ja: "条件に合う現在と今後のデバイス" }
        DynamicNewReportsOnly { en: "only devices that later report a matching version", ja: "今後一致するバージョンを報告したデバイスのみ" }
        DownloadProtocol { en: "Download protocol", ja: "ダウンロードプロトコル" }
        MultiModule { en: "Several modules at once", ja: "複数モジュールの同時更新" }
        ScheduledStart { en: "Scheduled start", ja: "予定開始時刻" }
        ScheduledFinish { en: "Scheduled end", ja: "予定終了時刻" }
        DeviceOnline { en: "Online", ja: "オンライン" }
        DeviceOffline { en: "Offline", ja: "オフライン" }
        DeviceUnactive { en: "Never connected", ja: "未アクティブ" }
        DeviceDisabled { en: "Disabled", ja: "無効" }
        ReportedVersion { en: "Reported version", ja: "報告されたバージョン" }
        Nickname { en: "Alias", ja: "別名" }
        IpAddress { en: "IP address", ja: "IP アドレス" }
        LastOnline { en: "Last online", ja: "最終オンライン日時" }
        Activated { en: "Activated", ja: "アクティブ化日時" }
        Registered { en: "Registered", ja: "登録日時" }
        ModuleVersions { en: "Versions by module", ja: "モジュール別のバージョン" }
        NoModuleVersions { en: "The device has not reported a version yet.", ja: "デバイスはまだバージョンを報告していません。" }
        UnfinishedTasks { en: "Unfinished updates", ja: "未完了の更新" }
        NoUnfinishedTasks { en: "No update is under way for this device.", ja: "このデバイスで進行中の更新はありません。" }
        DeviceBatches { en: "Batches that included it", ja: "このデバイスを含むバッチ" }
        DeviceBatchesScope {
            en: "From the product's newest {count} update packages.",
            ja: "プロダクトの最新 {count} 件の更新パッケージを対象にしています。"
        }
        NoDeviceBatches { en: "No batch has included this device.", ja: "このデバイスを含むバッチはありません。" }
        Environments { en: "All environments", ja: "すべての環境" }
        EnvironmentsIntro {
            en: "The OTA backends this console can manage, each with the instances it hosts. Choose an instance by its ID or name to see its update packages and batches.",
            ja: "このコンソールで管理できる OTA バックエンドと、それぞれのインスタンスです。インスタンス ID またはインスタンス名をクリックすると、その更新パッケージとバッチを表示します。"
        }
        InstanceId { en: "Instance ID", ja: "インスタンス ID" }
        InstanceName { en: "Instance name", ja: "インスタンス名" }
        DefaultInstance { en: "Default instance", ja: "デフォルトインスタンス" }
        NoInstances { en: "This backend lists no instance.", ja: "このバックエンドにはインスタンスがありません。" }
        InstancesNotListed {
            en: "This backend does not list its instances: shown is the one this environment is set to.",
            ja: "このバックエンドはインスタンスを一覧しません。この環境に設定されたインスタンスを表示しています。"
        }
        EnvironmentName { en: "Name", ja: "名前" }
        Endpoint { en: "Endpoint", ja: "エンドポイント" }
        Reachable { en: "Reachable", ja: "接続可能" }
        NotReachable { en: "Not reachable", ja: "接続不可" }
        BatchesRunning { en: "Batches in progress", ja: "進行中のバッチ" }
        PlannedToo { en: " (+{count} scheduled)", ja: " (予定 +{count})" }
        NoBatchCounts {
            en: "This backend does not count batches in progress.",
            ja: "このバックエンドは進行中のバッチを集計しません。"
        }
        Open { en: "Open", ja: "開く" }
        Remove { en: "Remove", ja: "削除" }
        AskRemoveEnvironment {
            en: "Remove “{name}” from this browser? The backend itself is not changed.",
            ja: "「{name}」をこのブラウザーから削除しますか? バックエンド自体は変更されません。"
        }
        AddEnvironment { en: "Add an environment", ja: "環境を追加" }
        AddEnvironmentIntro {
            en: "Kept in this browser only. A backend on another origin must allow this console's origin (CORS).",
            ja: "このブラウザーにだけ保存されます。別オリジンのバックエンドは、このコンソールのオリジンを許可 (CORS) する必要があります。"
        }
        InstanceIdOptional { en: "IotInstanceId (optional)", ja: "IotInstanceId (任意)" }
        AddEnvironmentButton { en: "Add environment", ja: "環境を追加" }
        EnvironmentNameProblem { en: "Give it a name of 1 to 64 characters.", ja: "1～64 文字の名前を入力してください。" }
        EnvironmentNameTaken { en: "Another environment has this name.", ja: "同じ名前の環境があります。" }
        EndpointProblem {
            en: "Enter the backend's address, starting with https:// or http://.",
            ja: "https:// または http:// で始まるバックエンドのアドレスを入力してください。"
        }
        InstanceIdProblem {
            en: "Up to 64 letters, digits, “-”, “_” or “.”.",
            ja: "英数字・「-」「_」「.」で 64 文字以内にしてください。"
        }
        LiveStream { en: "Live", ja: "ライブ" }
        LivePoll { en: "Checked for changes automatically", ja: "変更を自動で確認" }
        PackageFiles { en: "Files", ja: "ファイル" }
        FileName { en: "File", ja: "ファイル名" }
        EditBatch { en: "Edit batch", ja: "バッチを編集" }
        EditPolicyTitle { en: "Update policy settings", ja: "更新ポリシーの設定" }
        EditTagsTitle { en: "Edit tag information", ja: "タグ情報の編集" }
        EditBatchNamed { en: "Edit batch {id}", ja: "バッチ {id} を編集" }
        CancelBatchNamed { en: "Cancel batch {id}", ja: "バッチ {id} をキャンセル" }
        SaveChanges { en: "Save changes", ja: "変更を保存" }
        MaximumPerMinuteLabel { en: "Push rate (devices a minute)", ja: "プッシュレート (毎分の台数)" }
        StartPerMinuteLabel { en: "Starting rate (devices a minute)", ja: "開始時のレート (毎分の台数)" }
        GrowthFactorLabel { en: "Growth factor (1.1–5)", ja: "増加率 (1.1～5)" }
        GrowthEveryLabel { en: "Grow every (devices)", ja: "増加の間隔 (台数)" }
        TimeoutLabel { en: "Device timeout (minutes)", ja: "デバイスのタイムアウト (分)" }
        SourceVersionsLabel { en: "Versions to update (comma-separated)", ja: "更新対象のバージョン (カンマ区切り)" }
        TagsReplacedWhole {
            en: "The batch keeps exactly the tags listed here.",
            ja: "バッチのタグは、ここに並んだものがそのまま保存されます。"
        }
        TagKeyLabel { en: "Key of tag {n}", ja: "タグ {n} のキー" }
        TagValueLabel { en: "Value of tag {n}", ja: "タグ {n} の値" }
        AddTag { en: "Add a tag", ja: "タグを追加" }
        RuleMissing { en: "Required.", ja: "入力してください。" }
        RuleLength { en: "{min} to {max} characters.", ja: "{min}～{max} 文字にしてください。" }
        RuleCharacter { en: "“{bad}” is not allowed here.", ja: "「{bad}」は使えません。" }
        RuleFirstCharacter { en: "May not start with “{bad}”.", ja: "「{bad}」で始めることはできません。" }
        RuleRange { en: "A whole number from {min} to {max}.", ja: "{min}～{max} の整数にしてください。" }
        RuleTooMany { en: "At most {max}.", ja: "{max} 個までです。" }
        RuleDuplicate { en: "“{value}” appears twice.", ja: "「{value}」が重複しています。" }
        RuleTotalLength { en: "At most {max} characters together.", ja: "合計 {max} 文字までです。" }
        ConfirmPage { en: "Confirm the {count} on this page", ja: "このページの {count} 台を確認" }
        ReupgradePage { en: "Re-upgrade the {count} on this page", ja: "このページの {count} 台を再アップグレード" }
        AskConfirmPage {
            en: "Confirm the update of the {count} devices on this page? Their tasks move on to “Pending push”.",
            ja: "このページの {count} 台の更新を確認しますか? タスクは「プッシュ予定」に進みます。"
        }
        AskReupgradePage {
            en: "Update the {count} devices on this page again? Their tasks start over in their batches.",
            ja: "このページの {count} 台をもう一度更新しますか? タスクはそれぞれのバッチで最初からやり直します。"
        }
        ActionFailed { en: "That did not work:", ja: "実行できませんでした:" }
        ConsoleStopped { en: "The console stopped", ja: "コンソールが停止しました" }
        ConsoleStoppedExplain {
            en: "An error inside the console stopped it, so this page no longer responds. Reload to carry on where you were; anything typed and not yet saved is lost.",
            ja: "コンソール内部のエラーにより停止したため、このページは操作できません。再読み込みすると同じ場所から続けられます。保存していない入力内容は失われます。"
        }
        ReloadConsole { en: "Reload", ja: "再読み込み" }
    }
}
