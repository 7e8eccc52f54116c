//! The messages of the batch wizard: its three steps and its review.

catalogue! {
    /// A message of the batch wizard.
    WizardMsg {
        WizardIntro {
            en: "A batch rolls {name} (version {version}) out to devices. Nothing is created until the last step.",
            ja: "バッチは {name} (バージョン {version}) をデバイスに配信します。最後のステップまで何も作成されません。"
        }
        VerifyFirst {
            en: "This package has not passed verification: only a verification batch can use it now.",
            ja: "この更新パッケージは検証が済んでいないため、今は検証バッチのみ作成できます。"
        }
        StepScope { en: "1. Update scope", ja: "1. 更新範囲" }
        StepPolicy { en: "2. Update policy", ja: "2. 更新ポリシー" }
        StepReview { en: "3. Review", ja: "3. 内容の確認" }
        Next { en: "Next", ja: "次へ" }
        Back { en: "Back", ja: "戻る" }
        CreateBatch { en: "Create batch", ja: "バッチを作成" }
        BatchNotCreated { en: "The batch was not created:", ja: "バッチを作成できませんでした:" }

        BatchKind { en: "Kind of batch", ja: "バッチの種類" }
        KindVerify { en: "Verification", ja: "検証" }
        KindVerifyHint {
            en: "Try the package on up to 10 test devices; it must pass before other batches can use it.",
            ja: "最大 10 台のテストデバイスで試します。合格するまで他のバッチでは使えません。"
        }
        KindStatic { en: "Static", ja: "静的" }
        KindStaticHint {
            en: "The devices chosen now, once.",
            ja: "今選んだデバイスを 1 回更新します。"
        }
        KindDynamic { en: "Dynamic", ja: "動的" }
        KindDynamicHint {
            en: "Devices on the source versions, and devices that report one of them later.",
            ja: "更新前のバージョンのデバイスと、後からそのバージョンを報告したデバイスを更新します。"
        }
        TestDevicesLabel { en: "Test devices", ja: "テストデバイス" }
        TestDevicesHint {
            en: "Up to 10 device names, separated by commas, spaces or new lines.",
            ja: "最大 10 台のデバイス名。カンマ、スペース、改行で区切ります。"
        }
        TargetDevices { en: "Devices", ja: "対象デバイス" }
        ScopeAll { en: "All devices of the product", ja: "プロダクトのすべてのデバイス" }
        ScopeDevices { en: "Chosen devices", ja: "指定したデバイス" }
        ScopeListFile { en: "Devices in a list file", ja: "リストファイルのデバイス" }
        ScopeGray { en: "A share of the devices, picked at random", ja: "ランダムに選んだ一部のデバイス" }
        ScopeGroup { en: "A device group", ja: "デバイスグループ" }
        DeviceNamesLabel { en: "Device names", ja: "デバイス名" }
        DeviceNamesHint {
            en: "Up to 200, separated by commas, spaces or new lines; paste a list or pick them below.",
            ja: "最大 200 台。カンマ、スペース、改行で区切ります。貼り付けるか、下で選択してください。"
        }
        PickDevice { en: "Find a device", ja: "デバイスを検索" }
        AddDevice { en: "Add", ja: "追加" }
        ListFileLabel { en: "Device list file", ja: "デバイスリストファイル" }
        ListFileHint {
            en: "A CSV or text file with one device name per line (or in the first column), up to 5 MB.",
            ja: "1 行に 1 台のデバイス名 (または 1 列目) を書いた CSV かテキストファイル。5 MB まで。"
        }
        ListUploaded { en: "{name} uploaded.", ja: "{name} をアップロードしました。" }
        ListUploading { en: "Uploading {name}…", ja: "{name} をアップロードしています…" }
        GrayLabel { en: "Share of devices (%)", ja: "デバイスの割合 (%)" }
        GrayHint {
            en: "More than 0 and at most 100, with up to three decimals.",
            ja: "0 より大きく 100 以下。小数点以下 3 桁まで。"
        }
        GroupLabel { en: "Group", ja: "グループ" }
        ChooseGroup { en: "Choose a group", ja: "グループを選択" }
        SourceVersionsLabel { en: "Source versions", ja: "更新前のバージョン" }
        SourceVersionsHint {
            en: "Optional: only devices on these versions are updated. Separate them by commas.",
            ja: "任意: このバージョンのデバイスだけを更新します。カンマで区切ります。"
        }
        SourceVersionsRequiredHint {
            en: "Devices on these versions are updated. Separate them by commas.",
            ja: "このバージョンのデバイスを更新します。カンマで区切ります。"
        }
        ReportedVersions { en: "Versions devices report", ja: "デバイスが報告しているバージョン" }
        AddVersion { en: "+ {version} ({count} devices)", ja: "+ {version} ({count} 台)" }
        DynamicModeLegend { en: "Which devices", ja: "対象" }
        ModeContinuous {
            en: "Devices on these versions now, and any that report one later",
            ja: "現在このバージョンのデバイスと、後から報告したデバイス"
        }
        ModeNewReports {
            en: "Only devices that report one of these versions from now on",
            ja: "今後このバージョンを報告したデバイスのみ"
        }

        StartLegend { en: "Start", ja: "開始" }
        StartNow { en: "At once", ja: "すぐに開始" }
        StartLater { en: "At a chosen time", ja: "日時を指定" }
        StartAtLabel { en: "Starts at", ja: "開始日時" }
        FinishAtLabel { en: "Ends at (optional)", ja: "終了日時 (任意)" }
        RateTypeLabel { en: "Push rate", ja: "プッシュレート" }
        RateConstant { en: "Constant", ja: "一定" }
        RateVariable { en: "Growing", ja: "段階的に増加" }
        MaximumPerMinuteLabel { en: "Devices a minute", ja: "1 分あたりのデバイス数" }
        MaximumPerMinuteHint {
            en: "10 to 10,000; for a growing rate, the most it grows to.",
            ja: "10～10,000。段階的に増加する場合は上限です。"
        }
        StartPerMinuteLabel { en: "Starting devices a minute", ja: "開始時の 1 分あたりのデバイス数" }
        GrowthFactorLabel { en: "Growth factor", ja: "増加倍率" }
        GrowthEveryLabel { en: "Grows after every (devices)", ja: "増加までのデバイス数" }
        GrowthOnLabel { en: "Counting devices that", ja: "数えるデバイス" }
        GrowOnNotified { en: "were pushed", ja: "プッシュ済み" }
        GrowOnSucceeded { en: "updated", ja: "更新成功" }
        RetryIntervalLabel { en: "Retry failed devices", ja: "失敗したデバイスの再試行" }
        NoRetry { en: "No", ja: "しない" }
        RetryImmediately { en: "At once", ja: "すぐに" }
        RetryTenMinutes { en: "After 10 minutes", ja: "10 分後" }
        RetryHalfHour { en: "After 30 minutes", ja: "30 分後" }
        RetryOneHour { en: "After 1 hour", ja: "1 時間後" }
        RetryOneDay { en: "After 24 hours", ja: "24 時間後" }
        RetryCountLabel { en: "Retries", ja: "再試行回数" }
        TimeoutLabel { en: "Timeout (minutes)", ja: "タイムアウト (分)" }
        TimeoutHint {
            en: "1 to 1,440; an update that takes longer fails. Blank: no timeout.",
            ja: "1～1,440。これより長くかかる更新は失敗します。空欄: タイムアウトなし。"
        }
        OverwriteLabel { en: "Overwrite", ja: "上書き" }
        OverwriteHint {
            en: "Cancel the devices' pending updates from other batches (not those already upgrading)",
            ja: "他のバッチの未開始の更新をキャンセルする (更新中のものを除く)"
        }
        MultiModuleLabel { en: "Multi-module", ja: "マルチモジュール" }
        MultiModuleHint {
            en: "Let devices update this module while another module's update is pending",
            ja: "他のモジュールの更新待ちがあっても、このモジュールを更新する"
        }
        ConfirmLabel { en: "Confirmation", ja: "確認" }
        ConfirmHint {
            en: "Each device waits for a confirmation before it is pushed",
            ja: "各デバイスはプッシュ前に確認を待つ"
        }
        PushLabel { en: "Push", ja: "プッシュ" }
        PushHint {
            en: "Notify devices (otherwise they fetch the update when they ask)",
            ja: "デバイスに通知する (しない場合、デバイスが問い合わせたときに取得)"
        }
        ProtocolLabel { en: "Download protocol", ja: "ダウンロードプロトコル" }

        DevicesHeading { en: "Devices", ja: "デバイス" }
        Counting { en: "Counting the devices…", ja: "デバイスを数えています…" }
        NotCounted {
            en: "This backend cannot count the devices before the batch is created.",
            ja: "このバックエンドは、バッチ作成前にデバイス数を数えられません。"
        }
        CreatedInsteadOfCounted {
            en: "The backend did not count the devices: it created batch {job} at once (it ignores DryRun). Open it to check or cancel it.",
            ja: "バックエンドはデバイスを数えずに、バッチ {job} をすぐに作成しました (DryRun 非対応)。開いて確認するか、キャンセルしてください。"
        }
        WouldBeRefused { en: "The backend would refuse this batch:", ja: "バックエンドはこのバッチを拒否します:" }
        WouldUpdate {
            en: "{tasks} of {candidates} devices considered get an update task.",
            ja: "対象となる {candidates} 台のうち {tasks} 台に更新タスクが作成されます。"
        }
        CountQueued { en: "{count} are pushed as the rate allows.", ja: "{count} 台はレートに従ってプッシュされます。" }
        CountConfirm { en: "{count} wait for confirmation.", ja: "{count} 台は確認を待ちます。" }
        CountConflicting {
            en: "{count} fail at once: they are busy with another batch's update.",
            ja: "{count} 台は他のバッチの更新中のため、すぐに失敗します。"
        }
        CountOverwritten {
            en: "{count} pending updates of other batches are canceled.",
            ja: "他のバッチの {count} 件の未開始の更新がキャンセルされます。"
        }
        CountAlreadyUpdated { en: "{count} are left out: they run this version already.", ja: "{count} 台はすでにこのバージョンのため対象外です。" }
        CountWrongSource {
            en: "{count} are left out: this differential package does not apply to their version.",
            ja: "{count} 台は差分パッケージが適用できないバージョンのため対象外です。"
        }
        CountNotSource {
            en: "{count} are left out: they are not on a chosen source version.",
            ja: "{count} 台は指定した更新前のバージョンではないため対象外です。"
        }
        WouldStartAs { en: "The batch starts as", ja: "バッチの開始時のステータス:" }
        NothingToDo {
            en: "No device would be updated: every task would fail at once.",
            ja: "更新されるデバイスはありません。すべてのタスクがすぐに失敗します。"
        }

        SayVerify { en: "Verify {package} on {count} test devices.", ja: "{package} を {count} 台のテストデバイスで検証します。" }
        SayAll { en: "Update every device of the product to {package}.", ja: "プロダクトのすべてのデバイスを {package} に更新します。" }
        SayDevices { en: "Update {count} chosen devices to {package}.", ja: "指定した {count} 台のデバイスを {package} に更新します。" }
        SayListFile { en: "Update the devices in the uploaded list to {package}.", ja: "アップロードしたリストのデバイスを {package} に更新します。" }
        SayGray { en: "Update {percent}% of the product's devices, picked at random, to {package}.", ja: "ランダムに選んだ {percent}% のデバイスを {package} に更新します。" }
        SayGroup { en: "Update the devices of group {group} to {package}.", ja: "グループ {group} のデバイスを {package} に更新します。" }
        SayDynamicAll {
            en: "Update devices on {versions} to {package}, now and whenever another reports one of them.",
            ja: "{versions} のデバイスを {package} に更新します。後から報告したデバイスも更新します。"
        }
        SayDynamicNew {
            en: "Update devices to {package} when they report {versions} from now on.",
            ja: "今後 {versions} を報告したデバイスを {package} に更新します。"
        }
        SayOnlyVersions { en: "Only devices on {versions} are updated.", ja: "{versions} のデバイスだけが更新されます。" }
        SayStartsNow { en: "It starts at once.", ja: "すぐに開始します。" }
        SayStartsAt { en: "It starts at {time}.", ja: "{time} に開始します。" }
        SayEndsAt { en: "Devices not updated by {time} are canceled.", ja: "{time} までに更新されないデバイスはキャンセルされます。" }
        SayRate { en: "At most {rate} devices are pushed a minute.", ja: "1 分あたり最大 {rate} 台にプッシュします。" }
        SayVariableRate {
            en: "Pushes start at {start} devices a minute and grow ×{factor} after every {every} devices, up to {rate} a minute.",
            ja: "1 分あたり {start} 台から始め、{every} 台ごとに {factor} 倍にし、最大 1 分あたり {rate} 台にします。"
        }
        SayRetryAtOnce {
            en: "A failed device is retried at once, up to {count} times.",
            ja: "失敗したデバイスはすぐに再試行します (最大 {count} 回)。"
        }
        SayRetryAfter {
            en: "A failed device is retried after {wait}, up to {count} times.",
            ja: "失敗したデバイスは {wait} 後に再試行します (最大 {count} 回)。"
        }
        SayOverwrite {
            en: "Pending updates of other batches on the same devices are canceled.",
            ja: "同じデバイスの他のバッチの未開始の更新はキャンセルされます。"
        }
        SayKeep {
            en: "Devices with an unfinished update from another batch are left to it (their task here fails).",
            ja: "他のバッチの更新が終わっていないデバイスはそのままにします (このバッチのタスクは失敗します)。"
        }
        SayTimeout { en: "An update that takes longer than {minutes} minutes fails.", ja: "{minutes} 分を超えた更新は失敗します。" }
        SayConfirm { en: "Each device waits for your confirmation before it is pushed.", ja: "各デバイスはプッシュ前にあなたの確認を待ちます。" }
        SayPush { en: "Devices are notified of the update.", ja: "デバイスに更新を通知します。" }
        SayPull { en: "Devices are not notified: they fetch the update when they ask.", ja: "デバイスには通知しません。デバイスが問い合わせたときに取得します。" }
        SayMqtt { en: "Devices download the package over MQTT.", ja: "デバイスは MQTT で更新パッケージをダウンロードします。" }
        SayTags { en: "{count} tag(s) go with the push.", ja: "{count} 個のタグをプッシュに付けます。" }
    }
}
