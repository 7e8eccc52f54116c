//! Signing in and out, and who the console is signed in as.

use ota_model::access::{AssumeOTASession, CallerIdentity, EndOTASession, QueryOTACallerIdentity, RenewOTASession};
use ota_model::console_config::Environment;
use ota_model::firmware::ListOTAFirmware;
use ota_model::{PageRequest, codes};

use super::ApiError;
use super::credentials::{self, Credentials};
use super::transport::{call, send};

/// Signs in with a user name and password (backends with AssumeOTASession) and keeps the
/// temporary credentials.
pub async fn sign_in_user(env: &Environment, user_name: &str, password: &str, remember: bool) -> Result<(), ApiError> {
    let request = AssumeOTASession { user_name: user_name.to_owned(), password: password.to_owned() };
    let answer = send(env, &request, None).await?;
    let signed_in = Credentials::User { user_name: user_name.to_owned(), session: answer.credentials };
    credentials::keep(&env.endpoint, signed_in, remember);
    Ok(())
}

/// Signs in with an access key pair, once the backend has accepted a call signed with it.
pub async fn sign_in_key(
    env: &Environment,
    access_key_id: &str,
    access_key_secret: &str,
    remember: bool,
) -> Result<(), ApiError> {
    let candidate = Credentials::AccessKey {
        access_key_id: access_key_id.trim().to_owned(),
        access_key_secret: access_key_secret.trim().to_owned(),
    };
    // A plain read every backend has shows whether the key is good: a refusal for lack of
    // permission still means the signature was accepted.
    let probe = ListOTAFirmware { page: PageRequest::new(1, 1), ..Default::default() };
    match send(env, &probe, Some(&candidate)).await {
        Ok(_) => {}
        Err(ApiError::Refused { code, .. }) if code == codes::UNKNOWN_ACTION || code == codes::auth::FORBIDDEN => {}
        Err(error) => return Err(error),
    }
    credentials::keep(&env.endpoint, candidate, remember);
    Ok(())
}

/// Ends temporary credentials at the backend (access keys only need forgetting) and forgets
/// what was kept.
pub async fn sign_out(env: &Environment) {
    if let Some((signed_in @ Credentials::User { .. }, _)) = credentials::stored(&env.endpoint) {
        // Forgotten either way; a backend that cannot be told lets them expire within the hour.
        let _ = send(env, &EndOTASession, Some(&signed_in)).await;
    }
    credentials::forget(&env.endpoint);
}

/// Fresh temporary credentials for `current`.
pub(super) async fn renew_session(
    env: &Environment,
    current: &Credentials,
) -> Result<ota_model::access::Credentials, ApiError> {
    Ok(send(env, &RenewOTASession, Some(current)).await?.credentials)
}

/// Who the console is signed in as and what it may do; `None` from a backend that does not say
/// (a plain Alibaba backend).
pub async fn identity(env: &Environment) -> Result<Option<CallerIdentity>, ApiError> {
    match call(env, &QueryOTACallerIdentity).await {
        Ok(answer) => Ok(Some(answer.data)),
        Err(ApiError::Refused { code, .. }) if code == codes::UNKNOWN_ACTION => Ok(None),
        Err(error) => Err(error),
    }
}
