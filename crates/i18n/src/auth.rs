//! The console's messages for signing in and out.

catalogue! {
    /// A message of the sign-in dialog and the header's account.
    AuthMsg {
        SignIn { en: "Sign in", ja: "サインイン", zh: "登录" }
        SignOut { en: "Sign out", ja: "サインアウト", zh: "退出登录" }
        SignInTo { en: "Sign in to {env}", ja: "{env} にサインイン", zh: "登录 {env}" }
        SignInWhy {
            en: "This backend accepts only signed calls. What you were doing waits here until you sign in.",
            ja: "このバックエンドは署名付きの呼び出しだけを受け付けます。作業中の内容はサインインするまでそのまま保たれます。",
            zh: "此后端只接受签名的调用。在您登录之前，正在进行的操作会保留在这里。"
        }
        SignInWith { en: "Sign in with", ja: "サインイン方法", zh: "登录方式" }
        WithPassword { en: "User name and password", ja: "ユーザー名とパスワード", zh: "用户名和密码" }
        WithAccessKey { en: "Access key", ja: "AccessKey", zh: "AccessKey" }
        UserName { en: "User name", ja: "ユーザー名", zh: "用户名" }
        Password { en: "Password", ja: "パスワード", zh: "密码" }
        AccessKeyId { en: "AccessKey ID", ja: "AccessKey ID", zh: "AccessKey ID" }
        AccessKeySecret { en: "AccessKey secret", ja: "AccessKey シークレット", zh: "AccessKey Secret" }
        Remember { en: "Remember on this device", ja: "このデバイスに記憶する", zh: "在此设备上记住" }
        RememberWhere {
            en: "Remembered sign-ins are kept in this browser's local storage for {origin}, readable by anyone who uses this browser profile, until you sign out. Otherwise the console forgets them when this tab closes.",
            ja: "記憶したサインイン情報は、サインアウトするまでこのブラウザーの {origin} のローカルストレージに保存され、このブラウザープロファイルを使う人なら誰でも読み取れます。記憶しない場合は、このタブを閉じると消去されます。",
            zh: "记住的登录信息保存在此浏览器中 {origin} 的本地存储里，直到您退出登录；使用此浏览器配置文件的任何人都能读取。若不记住，关闭此标签页时控制台即会清除。"
        }
        NotNow { en: "Not now", ja: "今はしない", zh: "暂不登录" }
        SigningIn { en: "Signing in…", ja: "サインインしています…", zh: "正在登录…" }
        NoUserSignIn {
            en: "This backend does not sign users in; use an access key.",
            ja: "このバックエンドはユーザーのサインインに対応していません。AccessKey を使ってください。",
            zh: "此后端不支持用户登录，请使用 AccessKey。"
        }
        SignedInAs { en: "Signed in as {who} ({policy})", ja: "{who} としてサインイン中({policy})", zh: "已登录为 {who}（{policy}）" }
        NotSignedIn { en: "Not signed in", ja: "サインインしていません", zh: "未登录" }
        Account { en: "Account", ja: "アカウント", zh: "账号" }
    }
}
