//! The messages of the batch wizard: its three steps and its review.

catalogue! {
    /// A message of the batch wizard.
    WizardMsg {
        WizardIntro {
            en: "A batch rolls {name} (version {version}) out to devices. Nothing is created until the last step.",
            ja: "バッチは {name} (バージョン {version}) をデバイスに配信します。最後のステップまで何も作成されません。",
            zh: "批次将 {name}（版本 {version}）发布到设备。在最后一步之前不会创建任何内容。"
        }
        VerifyFirst {
            en: "This package has not passed verification: only a verification batch can use it now.",
            ja: "この更新パッケージは検証が済んでいないため、今は検証バッチのみ作成できます。",
            zh: "此升级包尚未通过验证：目前只能用于验证升级包的批次。"
        }
        StepScope { en: "1. Update scope", ja: "1. 更新範囲", zh: "1. 升级范围配置" }
        StepPolicy { en: "2. Update policy", ja: "2. 更新ポリシー", zh: "2. 升级策略配置" }
        StepReview { en: "3. Review", ja: "3. 内容の確認", zh: "3. 确认配置" }
        Next { en: "Next", ja: "次へ", zh: "下一步" }
        Back { en: "Back", ja: "戻る", zh: "上一步" }
        CreateBatch { en: "Create batch", ja: "バッチを作成", zh: "创建批次" }
        BatchNotCreated { en: "The batch was not created:", ja: "バッチを作成できませんでした:", zh: "批次未创建：" }

        BatchKind { en: "Kind of batch", ja: "バッチの種類", zh: "批次类型" }
        KindVerify { en: "Verification", ja: "検証", zh: "验证升级包" }
        KindVerifyHint {
            en: "Try the package on up to 10 test devices; it must pass before other batches can use it.",
            ja: "最大 10 台のテストデバイスで試します。合格するまで他のバッチでは使えません。",
            zh: "在最多 10 台测试设备上试用升级包；验证通过后，其他批次才能使用它。"
        }
        KindStatic { en: "Static", ja: "静的", zh: "静态升级" }
        KindStaticHint {
            en: "The devices chosen now, once.",
            ja: "今選んだデバイスを 1 回更新します。",
            zh: "一次性升级当前选定的设备。"
        }
        KindDynamic { en: "Dynamic", ja: "動的", zh: "动态升级" }
        KindDynamicHint {
            en: "Devices on the source versions, and devices that report one of them later.",
            ja: "更新前のバージョンのデバイスと、後からそのバージョンを報告したデバイスを更新します。",
            zh: "升级处于待升级版本号的设备，以及之后上报其中某个版本的设备。"
        }
        TestDevicesLabel { en: "Test devices", ja: "テストデバイス", zh: "测试设备" }
        TestDevicesHint {
            en: "Up to 10 device names, separated by commas, spaces or new lines.",
            ja: "最大 10 台のデバイス名。カンマ、スペース、改行で区切ります。",
            zh: "最多 10 个设备名称，以逗号、空格或换行分隔。"
        }
        TargetDevices { en: "Devices", ja: "対象デバイス", zh: "升级范围" }
        ScopeAll { en: "All devices of the product", ja: "プロダクトのすべてのデバイス", zh: "产品下的全部设备" }
        ScopeDevices { en: "Chosen devices", ja: "指定したデバイス", zh: "定向升级" }
        ScopeListFile { en: "Devices in a list file", ja: "リストファイルのデバイス", zh: "定向升级（设备列表文件）" }
        ScopeGray { en: "A share of the devices, picked at random", ja: "ランダムに選んだ一部のデバイス", zh: "灰度升级（随机选取部分设备）" }
        ScopeGroup { en: "A device group", ja: "デバイスグループ", zh: "分组升级" }
        DeviceNamesLabel { en: "Device names", ja: "デバイス名", zh: "设备名称" }
        DeviceNamesHint {
            en: "Up to 200, separated by commas, spaces or new lines; paste a list or pick them below.",
            ja: "最大 200 台。カンマ、スペース、改行で区切ります。貼り付けるか、下で選択してください。",
            zh: "最多 200 个，以逗号、空格或换行分隔；可粘贴列表，或在下方选择。"
        }
        PickDevice { en: "Find a device", ja: "デバイスを検索", zh: "查找设备" }
        AddDevice { en: "Add", ja: "追加", zh: "添加" }
        ListFileLabel { en: "Device list file", ja: "デバイスリストファイル", zh: "设备列表文件" }
        ListFileHint {
            en: "A CSV or text file with one device name per line (or in the first column), up to 5 MB.",
            ja: "1 行に 1 台のデバイス名 (または 1 列目) を書いた CSV かテキストファイル。5 MB まで。",
            zh: "CSV 或文本文件，每行一个设备名称（或位于第一列），最大 5 MB。"
        }
        ListUploaded { en: "{name} uploaded.", ja: "{name} をアップロードしました。", zh: "{name} 已上传。" }
        ListUploading { en: "Uploading {name}…", ja: "{name} をアップロードしています…", zh: "正在上传 {name}…" }
        GrayLabel { en: "Share of devices (%)", ja: "デバイスの割合 (%)", zh: "灰度比例（%）" }
        GrayHint {
            en: "More than 0 and at most 100, with up to three decimals.",
            ja: "0 より大きく 100 以下。小数点以下 3 桁まで。",
            zh: "大于 0 且不超过 100，最多三位小数。"
        }
        GroupLabel { en: "Group", ja: "グループ", zh: "分组" }
        ChooseGroup { en: "Choose a group", ja: "グループを選択", zh: "选择分组" }
        SourceVersionsLabel { en: "Source versions", ja: "更新前のバージョン", zh: "待升级版本号" }
        SourceVersionsHint {
            en: "Optional: only devices on these versions are updated. Separate them by commas.",
            ja: "任意: このバージョンのデバイスだけを更新します。カンマで区切ります。",
            zh: "可选：仅升级处于这些版本的设备。以逗号分隔。"
        }
        SourceVersionsRequiredHint {
            en: "Devices on these versions are updated. Separate them by commas.",
            ja: "このバージョンのデバイスを更新します。カンマで区切ります。",
            zh: "升级处于这些版本的设备。以逗号分隔。"
        }
        ReportedVersions { en: "Versions devices report", ja: "デバイスが報告しているバージョン", zh: "设备上报的版本" }
        AddVersion { en: "+ {version} ({count} devices)", ja: "+ {version} ({count} 台)", zh: "+ {version}（{count} 台）" }
        DynamicModeLegend { en: "Which devices", ja: "対象", zh: "升级哪些设备" }
        ModeContinuous {
            en: "Devices on these versions now, and any that report one later",
            ja: "現在このバージョンのデバイスと、後から報告したデバイス",
            zh: "当前处于这些版本的设备，以及之后上报其中某个版本的任何设备"
        }
        ModeNewReports {
            en: "Only devices that report one of these versions from now on",
            ja: "今後このバージョンを報告したデバイスのみ",
            zh: "仅限从现在起上报其中某个版本的设备"
        }

        StartLegend { en: "Start", ja: "開始", zh: "升级时间" }
        StartNow { en: "At once", ja: "すぐに開始", zh: "立即升级" }
        StartLater { en: "At a chosen time", ja: "日時を指定", zh: "定时升级" }
        StartAtLabel { en: "Starts at", ja: "開始日時", zh: "开始时间" }
        FinishAtLabel { en: "Ends at (optional)", ja: "終了日時 (任意)", zh: "结束时间（可选）" }
        RateTypeLabel { en: "Push rate", ja: "プッシュレート", zh: "升级包推送速率" }
        RateConstant { en: "Constant", ja: "一定", zh: "恒定速率" }
        RateVariable { en: "Growing", ja: "段階的に増加", zh: "可变速率" }
        MaximumPerMinuteLabel { en: "Devices a minute", ja: "1 分あたりのデバイス数", zh: "每分钟推送设备数" }
        MaximumPerMinuteHint {
            en: "10 to 10,000; for a growing rate, the most it grows to.",
            ja: "10～10,000。段階的に増加する場合は上限です。",
            zh: "10～10,000；可变速率时为增长的上限。"
        }
        StartPerMinuteLabel { en: "Starting devices a minute", ja: "開始時の 1 分あたりのデバイス数", zh: "初始每分钟推送设备数" }
        GrowthFactorLabel { en: "Growth factor", ja: "増加倍率", zh: "增长倍数" }
        GrowthEveryLabel { en: "Grows after every (devices)", ja: "増加までのデバイス数", zh: "每次增长间隔（设备数）" }
        GrowthOnLabel { en: "Counting devices that", ja: "数えるデバイス", zh: "计数的设备" }
        GrowOnNotified { en: "were pushed", ja: "プッシュ済み", zh: "已推送" }
        GrowOnSucceeded { en: "updated", ja: "更新成功", zh: "升级成功" }
        RetryIntervalLabel { en: "Retry failed devices", ja: "失敗したデバイスの再試行", zh: "升级失败重试间隔" }
        NoRetry { en: "No", ja: "しない", zh: "不重试" }
        RetryImmediately { en: "At once", ja: "すぐに", zh: "立即重试" }
        RetryTenMinutes { en: "After 10 minutes", ja: "10 分後", zh: "10 分钟后" }
        RetryHalfHour { en: "After 30 minutes", ja: "30 分後", zh: "30 分钟后" }
        RetryOneHour { en: "After 1 hour", ja: "1 時間後", zh: "1 小时后" }
        RetryOneDay { en: "After 24 hours", ja: "24 時間後", zh: "24 小时后" }
        RetryCountLabel { en: "Retries", ja: "再試行回数", zh: "升级重试上限次数" }
        TimeoutLabel { en: "Timeout (minutes)", ja: "タイムアウト (分)", zh: "设备升级超时时间（分钟）" }
        TimeoutHint {
            en: "1 to 1,440; an update that takes longer fails. Blank: no timeout.",
            ja: "1～1,440。これより長くかかる更新は失敗します。空欄: タイムアウトなし。",
            zh: "1～1,440；超过此时间的升级将失败。留空：不设超时。"
        }
        OverwriteLabel { en: "Overwrite", ja: "上書き", zh: "覆盖之前的升级任务" }
        OverwriteHint {
            en: "Cancel the devices' pending updates from other batches (not those already upgrading)",
            ja: "他のバッチの未開始の更新をキャンセルする (更新中のものを除く)",
            zh: "取消设备在其他批次中尚未开始的升级（已在升级中的除外）"
        }
        MultiModuleLabel { en: "Multi-module", ja: "マルチモジュール", zh: "多模块升级" }
        MultiModuleHint {
            en: "Let devices update this module while another module's update is pending",
            ja: "他のモジュールの更新待ちがあっても、このモジュールを更新する",
            zh: "设备有其他OTA模块的升级待执行时，也允许升级此OTA模块"
        }
        ConfirmLabel { en: "Confirmation", ja: "確認", zh: "App确认升级" }
        ConfirmHint {
            en: "Each device waits for a confirmation before it is pushed",
            ja: "各デバイスはプッシュ前に確認を待つ",
            zh: "每台设备在推送前等待确认"
        }
        PushLabel { en: "Push", ja: "プッシュ", zh: "云端是否主动推送升级" }
        PushHint {
            en: "Notify devices (otherwise they fetch the update when they ask)",
            ja: "デバイスに通知する (しない場合、デバイスが問い合わせたときに取得)",
            zh: "通知设备（否则由设备在请求时获取升级）"
        }
        ProtocolLabel { en: "Download protocol", ja: "ダウンロードプロトコル", zh: "升级包下载协议" }

        DevicesHeading { en: "Devices", ja: "デバイス", zh: "设备" }
        Counting { en: "Counting the devices…", ja: "デバイスを数えています…", zh: "正在统计设备…" }
        NotCounted {
            en: "This backend cannot count the devices before the batch is created.",
            ja: "このバックエンドは、バッチ作成前にデバイス数を数えられません。",
            zh: "此后端无法在创建批次前统计设备。"
        }
        CreatedInsteadOfCounted {
            en: "The backend did not count the devices: it created batch {job} at once (it ignores DryRun). Open it to check or cancel it.",
            ja: "バックエンドはデバイスを数えずに、バッチ {job} をすぐに作成しました (DryRun 非対応)。開いて確認するか、キャンセルしてください。",
            zh: "后端没有统计设备，而是立即创建了批次 {job}（它忽略 DryRun）。请打开该批次进行检查或取消。"
        }
        WouldBeRefused { en: "The backend would refuse this batch:", ja: "バックエンドはこのバッチを拒否します:", zh: "后端将拒绝此批次：" }
        WouldUpdate {
            en: "{tasks} of {candidates} devices considered get an update task.",
            ja: "対象となる {candidates} 台のうち {tasks} 台に更新タスクが作成されます。",
            zh: "在纳入考虑的 {candidates} 台设备中，{tasks} 台将获得升级任务。"
        }
        CountQueued { en: "{count} are pushed as the rate allows.", ja: "{count} 台はレートに従ってプッシュされます。", zh: "{count} 台将按推送速率推送。" }
        CountConfirm { en: "{count} wait for confirmation.", ja: "{count} 台は確認を待ちます。", zh: "{count} 台将等待确认。" }
        CountConflicting {
            en: "{count} fail at once: they are busy with another batch's update.",
            ja: "{count} 台は他のバッチの更新中のため、すぐに失敗します。",
            zh: "{count} 台将立即失败：它们正在进行其他批次的升级。"
        }
        CountOverwritten {
            en: "{count} pending updates of other batches are canceled.",
            ja: "他のバッチの {count} 件の未開始の更新がキャンセルされます。",
            zh: "其他批次中 {count} 个尚未开始的升级将被取消。"
        }
        CountAlreadyUpdated { en: "{count} are left out: they run this version already.", ja: "{count} 台はすでにこのバージョンのため対象外です。", zh: "{count} 台被排除：已在运行此版本。" }
        CountWrongSource {
            en: "{count} are left out: this differential package does not apply to their version.",
            ja: "{count} 台は差分パッケージが適用できないバージョンのため対象外です。",
            zh: "{count} 台被排除：此差分升级包不适用于其版本。"
        }
        CountNotSource {
            en: "{count} are left out: they are not on a chosen source version.",
            ja: "{count} 台は指定した更新前のバージョンではないため対象外です。",
            zh: "{count} 台被排除：不处于所选的待升级版本号。"
        }
        WouldStartAs { en: "The batch starts as", ja: "バッチの開始時のステータス:", zh: "批次的初始状态：" }
        NothingToDo {
            en: "No device would be updated: every task would fail at once.",
            ja: "更新されるデバイスはありません。すべてのタスクがすぐに失敗します。",
            zh: "没有设备会被升级：所有任务都会立即失败。"
        }

        SayVerify { en: "Verify {package} on {count} test devices.", ja: "{package} を {count} 台のテストデバイスで検証します。", zh: "在 {count} 台测试设备上验证 {package}。" }
        SayAll { en: "Update every device of the product to {package}.", ja: "プロダクトのすべてのデバイスを {package} に更新します。", zh: "将产品下的全部设备升级到 {package}。" }
        SayDevices { en: "Update {count} chosen devices to {package}.", ja: "指定した {count} 台のデバイスを {package} に更新します。", zh: "将选定的 {count} 台设备升级到 {package}。" }
        SayListFile { en: "Update the devices in the uploaded list to {package}.", ja: "アップロードしたリストのデバイスを {package} に更新します。", zh: "将上传的列表中的设备升级到 {package}。" }
        SayGray {
            en: "Update {percent}% of the product's devices, picked at random, to {package}.",
            ja: "ランダムに選んだ {percent}% のデバイスを {package} に更新します。",
            zh: "将产品中随机选取的 {percent}% 设备升级到 {package}。"
        }
        SayGroup { en: "Update the devices of group {group} to {package}.", ja: "グループ {group} のデバイスを {package} に更新します。", zh: "将分组 {group} 中的设备升级到 {package}。" }
        SayDynamicAll {
            en: "Update devices on {versions} to {package}, now and whenever another reports one of them.",
            ja: "{versions} のデバイスを {package} に更新します。後から報告したデバイスも更新します。",
            zh: "将处于 {versions} 的设备升级到 {package}；之后每当有其他设备上报其中某个版本时，也会升级它。"
        }
        SayDynamicNew {
            en: "Update devices to {package} when they report {versions} from now on.",
            ja: "今後 {versions} を報告したデバイスを {package} に更新します。",
            zh: "从现在起，设备上报 {versions} 时，将其升级到 {package}。"
        }
        SayOnlyVersions { en: "Only devices on {versions} are updated.", ja: "{versions} のデバイスだけが更新されます。", zh: "仅升级处于 {versions} 的设备。" }
        SayStartsNow { en: "It starts at once.", ja: "すぐに開始します。", zh: "立即开始。" }
        SayStartsAt { en: "It starts at {time}.", ja: "{time} に開始します。", zh: "于 {time} 开始。" }
        SayEndsAt { en: "Devices not updated by {time} are canceled.", ja: "{time} までに更新されないデバイスはキャンセルされます。", zh: "到 {time} 仍未升级的设备将被取消。" }
        SayRate { en: "At most {rate} devices are pushed a minute.", ja: "1 分あたり最大 {rate} 台にプッシュします。", zh: "每分钟最多推送 {rate} 台设备。" }
        SayVariableRate {
            en: "Pushes start at {start} devices a minute and grow ×{factor} after every {every} devices, up to {rate} a minute.",
            ja: "1 分あたり {start} 台から始め、{every} 台ごとに {factor} 倍にし、最大 1 分あたり {rate} 台にします。",
            zh: "推送从每分钟 {start} 台开始，每 {every} 台设备增长 ×{factor}，最多每分钟 {rate} 台。"
        }
        SayRetryAtOnce {
            en: "A failed device is retried at once, up to {count} times.",
            ja: "失敗したデバイスはすぐに再試行します (最大 {count} 回)。",
            zh: "失败的设备将立即重试，最多 {count} 次。"
        }
        SayRetryAfter {
            en: "A failed device is retried after {wait}, up to {count} times.",
            ja: "失敗したデバイスは {wait} 後に再試行します (最大 {count} 回)。",
            zh: "失败的设备将在 {wait}后重试，最多 {count} 次。"
        }
        SayOverwrite {
            en: "Pending updates of other batches on the same devices are canceled.",
            ja: "同じデバイスの他のバッチの未開始の更新はキャンセルされます。",
            zh: "同一设备在其他批次中尚未开始的升级将被取消。"
        }
        SayKeep {
            en: "Devices with an unfinished update from another batch are left to it (their task here fails).",
            ja: "他のバッチの更新が終わっていないデバイスはそのままにします (このバッチのタスクは失敗します)。",
            zh: "已有其他批次的升级未完成的设备将保持原样（其在此批次中的任务将失败）。"
        }
        SayTimeout { en: "An update that takes longer than {minutes} minutes fails.", ja: "{minutes} 分を超えた更新は失敗します。", zh: "超过 {minutes} 分钟的升级将失败。" }
        SayConfirm { en: "Each device waits for your confirmation before it is pushed.", ja: "各デバイスはプッシュ前にあなたの確認を待ちます。", zh: "每台设备在推送前等待您的确认。" }
        SayPush { en: "Devices are notified of the update.", ja: "デバイスに更新を通知します。", zh: "将向设备通知升级。" }
        SayPull { en: "Devices are not notified: they fetch the update when they ask.", ja: "デバイスには通知しません。デバイスが問い合わせたときに取得します。", zh: "不通知设备：设备在请求时获取升级。" }
        SayMqtt { en: "Devices download the package over MQTT.", ja: "デバイスは MQTT で更新パッケージをダウンロードします。", zh: "设备通过 MQTT 下载升级包。" }
        SayTags { en: "{count} tag(s) go with the push.", ja: "{count} 個のタグをプッシュに付けます。", zh: "推送时附带 {count} 个标签。" }
    }
}
