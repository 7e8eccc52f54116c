//! The messages of the forms that create and change things: packages, batches, modules.

catalogue! {
    /// A message of the create and edit forms.
    FormMsg {
        CancelForm { en: "Cancel", ja: "キャンセル" }
        LeaveUnsaved {
            en: "Leave this page? What you entered has not been saved.",
            ja: "このページを離れますか? 入力した内容は保存されていません。"
        }
        ChooseProduct { en: "Choose a product", ja: "プロダクトを選択" }
        NoProducts {
            en: "This environment has no products yet.",
            ja: "この環境にはまだプロダクトがありません。"
        }

        NewPackage { en: "New package", ja: "更新パッケージを追加" }
        NewPackageIntro {
            en: "Your browser computes each file's signature, uploads it, and the backend checks the signature against what it stored.",
            ja: "ブラウザーが各ファイルの署名を計算してアップロードし、バックエンドが保存した内容と署名を照合します。"
        }
        ProductLabel { en: "Product", ja: "プロダクト" }
        ModuleLabel { en: "Module", ja: "モジュール" }
        PackageNameLabel { en: "Package name", ja: "更新パッケージ名" }
        PackageTypeLabel { en: "Package type", ja: "更新パッケージのタイプ" }
        SourceVersionLabel { en: "Source version", ja: "更新前のバージョン" }
        DestVersionLabel { en: "Version after update", ja: "更新後のバージョン" }
        DestVersionHint {
            en: "Devices report this version once they have installed the package.",
            ja: "デバイスは更新パッケージの適用後にこのバージョンを報告します。"
        }
        SignMethodLabel { en: "Signature algorithm", ja: "署名アルゴリズム" }
        FilesLabel { en: "Files", ja: "ファイル" }
        FilesHint {
            en: "One file, or up to 20 for a multi-file package: .bin, .tar, .gz, .tar.gz, .tar.xz, .zip, .gzip, .apk, .dav, .pack; at most 1,000 MB each.",
            ja: "1 ファイル、またはマルチファイルの更新パッケージなら最大 20 ファイル: .bin、.tar、.gz、.tar.gz、.tar.xz、.zip、.gzip、.apk、.dav、.pack。各 1,000 MB まで。"
        }
        RemoveFile { en: "Remove {name}", ja: "{name} を削除" }
        NeedVerifyLabel { en: "Verification", ja: "検証" }
        NeedVerifyHint {
            en: "Test the package on a few devices before it can be rolled out",
            ja: "配信の前に少数のデバイスで更新パッケージを検証する"
        }
        DescriptionLabel { en: "Description", ja: "説明" }
        CustomInfoLabel { en: "Custom information", ja: "カスタム情報" }
        CustomInfoHint {
            en: "Pushed to devices with the package, up to 4,096 characters.",
            ja: "更新パッケージとともにデバイスへ送られます。4,096 文字まで。"
        }
        UploadAndCreate { en: "Upload and create", ja: "アップロードして作成" }
        HashingFile {
            en: "Computing the signature of {name} (file {n} of {count})…",
            ja: "{name} の署名を計算しています ({count} ファイル中 {n})…"
        }
        UploadingFile {
            en: "Uploading {name} (file {n} of {count})…",
            ja: "{name} をアップロードしています ({count} ファイル中 {n})…"
        }
        CreatingPackage { en: "Creating the package…", ja: "更新パッケージを作成しています…" }
        PackageCreated { en: "The package was created.", ja: "更新パッケージを作成しました。" }
        FileUnreadable { en: "{name} could not be read ({detail}).", ja: "{name} を読み込めませんでした ({detail})。" }
        PackageNotCreated { en: "The package was not created:", ja: "更新パッケージを作成できませんでした:" }

        NewBatch { en: "New batch", ja: "バッチを作成" }
        EditPackage { en: "Edit package", ja: "更新パッケージを編集" }
        BlankKeepsValue {
            en: "A description or custom information left blank stays as it was.",
            ja: "説明とカスタム情報は、空欄のままにすると変更されません。"
        }
        AskDeletePackage {
            en: "Delete the package {name}? Its files and finished batches go with it. This cannot be undone.",
            ja: "更新パッケージ {name} を削除しますか? ファイルと終了したバッチも削除されます。元に戻せません。"
        }
        PackageNotDeleted { en: "The package was not deleted:", ja: "更新パッケージを削除できませんでした:" }

        Modules { en: "Modules", ja: "モジュール" }
        ModulesIntro {
            en: "A product's firmware parts that are updated on their own. Every product has the default module, the whole firmware.",
            ja: "プロダクトのファームウェアのうち、個別に更新できる部分です。すべてのプロダクトに、ファームウェア全体を表す default モジュールがあります。"
        }
        ModuleNameLabel { en: "Module name", ja: "モジュール名" }
        ModuleNameHint {
            en: "Letters, digits, '.', '-', '_'; it cannot be changed later.",
            ja: "英数字、「.」「-」「_」。後から変更できません。"
        }
        AliasLabel { en: "Alias", ja: "エイリアス" }
        ChangedColumn { en: "Changed", ja: "更新日時" }
        Edit { en: "Edit", ja: "編集" }
        EditModule { en: "Edit module", ja: "モジュールを編集" }
        EditModuleNamed { en: "Edit {name}", ja: "{name} を編集" }
        DeleteModuleNamed { en: "Delete {name}", ja: "{name} を削除" }
        AskDeleteModule {
            en: "Delete the module {name}? Devices keep reporting it, but no package can update it any more.",
            ja: "モジュール {name} を削除しますか? デバイスは引き続き報告しますが、更新パッケージで更新できなくなります。"
        }
        AddModule { en: "Add a module", ja: "モジュールを追加" }
        ModulesFull {
            en: "This product has {max} modules of its own, the most it may have.",
            ja: "このプロダクトには上限の {max} 個の独自モジュールがあります。"
        }

        OneMinute { en: "1 minute", ja: "1 分" }
        Minutes { en: "{n} minutes", ja: "{n} 分" }
        OneHour { en: "1 hour", ja: "1 時間" }
        Hours { en: "{n} hours", ja: "{n} 時間" }
        OneDay { en: "1 day", ja: "1 日" }
        Days { en: "{n} days", ja: "{n} 日" }
        RuleTimeFromNow { en: "Must be {min} to {max} from now.", ja: "現在から {min}～{max} 後にしてください。" }
        RuleTimeFromStart { en: "Must be {min} to {max} after the start.", ja: "開始から {min}～{max} 後にしてください。" }

        RuleNotWith { en: "Cannot be combined with “{other}”.", ja: "「{other}」と同時には指定できません。" }
        RuleLessThan { en: "Must be shorter than “{other}”.", ja: "「{other}」より短くしてください。" }
        UnshownProblems { en: "Also to put right:", ja: "ほかに修正が必要な項目:" }

        RuleOneOf { en: "Must be one of {allowed}.", ja: "{allowed} のいずれかにしてください。" }
        RuleTooLarge { en: "Larger than {max}, the most allowed.", ja: "上限の {max} を超えています。" }
        RuleEmptyFile { en: "The file is empty.", ja: "ファイルが空です。" }
    }
}
