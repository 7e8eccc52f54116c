//! The console's messages for signing in and out.

catalogue! {
    /// A message of the sign-in dialog and the header's account.
    AuthMsg {
        SignIn { en: "Sign in", ja: "サインイン" }
        SignOut { en: "Sign out", ja: "サインアウト" }
        SignInTo { en: "Sign in to {env}", ja: "{env} にサインイン" }
        SignInWhy {
            en: "This backend accepts only signed calls. What you were doing waits here until you sign in.",
            ja: "このバックエンドは署名付きの呼び出しだけを受け付けます。作業中の内容はサインインするまでそのまま保たれます。"
        }
        SignInWith { en: "Sign in with", ja: "サインイン方法" }
        WithPassword { en: "User name and password", ja: "ユーザー名とパスワード" }
        WithAccessKey { en: "Access key", ja: "AccessKey" }
        UserName { en: "User name", ja: "ユーザー名" }
        Password { en: "Password", ja: "パスワード" }
        AccessKeyId { en: "AccessKey ID", ja: "AccessKey ID" }
        AccessKeySecret { en: "AccessKey secret", ja: "AccessKey シークレット" }
        Remember { en: "Remember on this device", ja: "このデバイスに記憶する" }
        RememberWhere {
            en: "Remembered sign-ins are kept in this browser's local storage for {origin}, readable by anyone who uses this browser profile, until you sign out. Otherwise the console forgets them when this tab closes.",
            ja: "記憶したサインイン情報は、サインアウトするまでこのブラウザーの {origin} のローカルストレージに保存され、このブラウザープロファイルを使う人なら誰でも読み取れます。記憶しない場合は、このタブを閉じると消去されます。"
        }
        NotNow { en: "Not now", ja: "今はしない" }
        SigningIn { en: "Signing in…", ja: "サインインしています…" }
        NoUserSignIn {
            en: "This backend does not sign users in; use an access key.",
            ja: "このバックエンドはユーザーのサインインに対応していません。AccessKey を使ってください。"
        }
        SignedInAs { en: "Signed in as {who} ({policy})", ja: "{who} としてサインイン中({policy})" }
        NotSignedIn { en: "Not signed in", ja: "サインインしていません" }
        Account { en: "Account", ja: "アカウント" }
    }
}
