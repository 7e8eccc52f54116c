//! The messages of the forms that create and change things: packages, batches, modules.

catalogue! {
    /// A message of the create and edit forms.
    FormMsg {
        CancelForm { en: "Cancel", ja: "キャンセル", zh: "取消" }
        LeaveUnsaved {
            en: "Leave this page? What you entered has not been saved.",
            ja: "このページを離れますか? 入力した内容は保存されていません。",
            zh: "确定离开此页面？您输入的内容尚未保存。"
        }
        ChooseProduct { en: "Choose a product", ja: "プロダクトを選択", zh: "选择产品" }
        NoProducts {
            en: "This environment has no products yet.",
            ja: "この環境にはまだプロダクトがありません。",
            zh: "此环境中还没有产品。"
        }

        NewPackage { en: "New package", ja: "更新パッケージを追加", zh: "添加升级包" }
        NewPackageIntro {
            en: "Your browser computes each file's signature, uploads it, and the backend checks the signature against what it stored.",
            ja: "ブラウザーが各ファイルの署名を計算してアップロードし、バックエンドが保存した内容と署名を照合します。",
            zh: "浏览器计算每个文件的签名并上传，后端将签名与其保存的内容进行校验。"
        }
        ProductLabel { en: "Product", ja: "プロダクト", zh: "产品" }
        ModuleLabel { en: "Module", ja: "モジュール", zh: "OTA模块" }
        PackageNameLabel { en: "Package name", ja: "更新パッケージ名", zh: "升级包名称" }
        PackageTypeLabel { en: "Package type", ja: "更新パッケージのタイプ", zh: "升级包类型" }
        SourceVersionLabel { en: "Source version", ja: "更新前のバージョン", zh: "待升级版本号" }
        DestVersionLabel { en: "Version after update", ja: "更新後のバージョン", zh: "升级后版本号" }
        DestVersionHint {
            en: "Devices report this version once they have installed the package.",
            ja: "デバイスは更新パッケージの適用後にこのバージョンを報告します。",
            zh: "设备安装升级包后会上报此版本号。"
        }
        SignMethodLabel { en: "Signature algorithm", ja: "署名アルゴリズム", zh: "签名算法" }
        FilesLabel { en: "Files", ja: "ファイル", zh: "文件" }
        FilesHint {
            en: "One file, or up to 20 for a multi-file package: .bin, .tar, .gz, .tar.gz, .tar.xz, .zip, .gzip, .apk, .dav, .pack; at most 1,000 MB each.",
            ja: "1 ファイル、またはマルチファイルの更新パッケージなら最大 20 ファイル: .bin、.tar、.gz、.tar.gz、.tar.xz、.zip、.gzip、.apk、.dav、.pack。各 1,000 MB まで。",
            zh: "一个文件，多文件升级包最多 20 个文件：.bin、.tar、.gz、.tar.gz、.tar.xz、.zip、.gzip、.apk、.dav、.pack；每个文件最大 1,000 MB。"
        }
        RemoveFile { en: "Remove {name}", ja: "{name} を削除", zh: "移除 {name}" }
        NeedVerifyLabel { en: "Verification", ja: "検証", zh: "验证升级包" }
        NeedVerifyHint {
            en: "Test the package on a few devices before it can be rolled out",
            ja: "配信の前に少数のデバイスで更新パッケージを検証する",
            zh: "发布前先在少量设备上验证升级包"
        }
        DescriptionLabel { en: "Description", ja: "説明", zh: "描述" }
        CustomInfoLabel { en: "Custom information", ja: "カスタム情報", zh: "自定义信息" }
        CustomInfoHint {
            en: "Pushed to devices with the package, up to 4,096 characters.",
            ja: "更新パッケージとともにデバイスへ送られます。4,096 文字まで。",
            zh: "随升级包推送给设备，最多 4,096 个字符。"
        }
        UploadAndCreate { en: "Upload and create", ja: "アップロードして作成", zh: "上传并创建" }
        HashingFile {
            en: "Computing the signature of {name} (file {n} of {count})…",
            ja: "{name} の署名を計算しています ({count} ファイル中 {n})…",
            zh: "正在计算 {name} 的签名（第 {n} 个文件，共 {count} 个）…"
        }
        UploadingFile {
            en: "Uploading {name} (file {n} of {count})…",
            ja: "{name} をアップロードしています ({count} ファイル中 {n})…",
            zh: "正在上传 {name}（第 {n} 个文件，共 {count} 个）…"
        }
        CreatingPackage { en: "Creating the package…", ja: "更新パッケージを作成しています…", zh: "正在创建升级包…" }
        PackageCreated { en: "The package was created.", ja: "更新パッケージを作成しました。", zh: "升级包已创建。" }
        FileUnreadable { en: "{name} could not be read ({detail}).", ja: "{name} を読み込めませんでした ({detail})。", zh: "无法读取 {name}（{detail}）。" }
        PackageNotCreated { en: "The package was not created:", ja: "更新パッケージを作成できませんでした:", zh: "升级包未创建：" }

        NewBatch { en: "New batch", ja: "バッチを作成", zh: "新建批次" }
        EditPackage { en: "Edit package", ja: "更新パッケージを編集", zh: "编辑升级包" }
        BlankKeepsValue {
            en: "A description or custom information left blank stays as it was.",
            ja: "説明とカスタム情報は、空欄のままにすると変更されません。",
            zh: "描述或自定义信息留空时保持不变。"
        }
        AskDeletePackage {
            en: "Delete the package {name}? Its files and finished batches go with it. This cannot be undone.",
            ja: "更新パッケージ {name} を削除しますか? ファイルと終了したバッチも削除されます。元に戻せません。",
            zh: "删除升级包 {name}？其文件和已结束的批次将一并删除。此操作无法撤销。"
        }
        PackageNotDeleted { en: "The package was not deleted:", ja: "更新パッケージを削除できませんでした:", zh: "升级包未删除：" }

        Modules { en: "Modules", ja: "モジュール", zh: "OTA模块" }
        ModulesIntro {
            en: "A product's firmware parts that are updated on their own. Every product has the default module, the whole firmware.",
            ja: "プロダクトのファームウェアのうち、個別に更新できる部分です。すべてのプロダクトに、ファームウェア全体を表す default モジュールがあります。",
            zh: "产品固件中可单独升级的部分。每个产品都有代表整个固件的 default OTA模块。"
        }
        ModuleNameLabel { en: "Module name", ja: "モジュール名", zh: "模块名称" }
        ModuleNameHint {
            en: "Letters, digits, '.', '-', '_'; it cannot be changed later.",
            ja: "英数字、「.」「-」「_」。後から変更できません。",
            zh: "字母、数字、“.”、“-”、“_”；创建后不可修改。"
        }
        AliasLabel { en: "Alias", ja: "エイリアス", zh: "别名" }
        ChangedColumn { en: "Changed", ja: "更新日時", zh: "修改时间" }
        Edit { en: "Edit", ja: "編集", zh: "编辑" }
        EditModule { en: "Edit module", ja: "モジュールを編集", zh: "编辑OTA模块" }
        EditModuleNamed { en: "Edit {name}", ja: "{name} を編集", zh: "编辑 {name}" }
        DeleteModuleNamed { en: "Delete {name}", ja: "{name} を削除", zh: "删除 {name}" }
        AskDeleteModule {
            en: "Delete the module {name}? Devices keep reporting it, but no package can update it any more.",
            ja: "モジュール {name} を削除しますか? デバイスは引き続き報告しますが、更新パッケージで更新できなくなります。",
            zh: "删除OTA模块 {name}？设备仍会上报该模块，但任何升级包都无法再升级它。"
        }
        AddModule { en: "Add a module", ja: "モジュールを追加", zh: "添加OTA模块" }
        ModulesFull {
            en: "This product has {max} modules of its own, the most it may have.",
            ja: "このプロダクトには上限の {max} 個の独自モジュールがあります。",
            zh: "此产品已有 {max} 个自定义OTA模块，已达上限。"
        }

        OneMinute { en: "1 minute", ja: "1 分", zh: "1 分钟" }
        Minutes { en: "{n} minutes", ja: "{n} 分", zh: "{n} 分钟" }
        OneHour { en: "1 hour", ja: "1 時間", zh: "1 小时" }
        Hours { en: "{n} hours", ja: "{n} 時間", zh: "{n} 小时" }
        OneDay { en: "1 day", ja: "1 日", zh: "1 天" }
        Days { en: "{n} days", ja: "{n} 日", zh: "{n} 天" }
        RuleTimeFromNow { en: "Must be {min} to {max} from now.", ja: "現在から {min}～{max} 後にしてください。", zh: "必须在当前时间之后 {min}～{max} 以内。" }
        RuleTimeFromStart { en: "Must be {min} to {max} after the start.", ja: "開始から {min}～{max} 後にしてください。", zh: "必须在开始时间之后 {min}～{max} 以内。" }

        RuleNotWith { en: "Cannot be combined with “{other}”.", ja: "「{other}」と同時には指定できません。", zh: "不能与“{other}”同时设置。" }
        RuleLessThan { en: "Must be shorter than “{other}”.", ja: "「{other}」より短くしてください。", zh: "必须短于“{other}”。" }
        UnshownProblems { en: "Also to put right:", ja: "ほかに修正が必要な項目:", zh: "还需修正：" }

        RuleOneOf { en: "Must be one of {allowed}.", ja: "{allowed} のいずれかにしてください。", zh: "必须是 {allowed} 之一。" }
        RuleTooLarge { en: "Larger than {max}, the most allowed.", ja: "上限の {max} を超えています。", zh: "超过了允许的上限 {max}。" }
        RuleEmptyFile { en: "The file is empty.", ja: "ファイルが空です。", zh: "文件为空。" }
    }
}
