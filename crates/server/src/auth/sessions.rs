//! Temporary credentials for users: AssumeOTASession signs in with a password, RenewOTASession
//! trades credentials for fresh ones, EndOTASession signs out. They are shaped like Alibaba
//! STS's, so any client that signs with STS credentials signs with these.

use std::time::Instant;

use axum::http::StatusCode;
use ota_model::access::{AssumeOTASession, Credentials, SESSION_SECONDS};
use ota_model::codes::auth as codes;
use ota_model::{UtcTime, signature};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Access, Principal, Refusal, passwords, signed::Signed};
use crate::http::ApiError;
use crate::ids;
use crate::store::Store;
use crate::store::access::{NewSession, User};

/// Temporary AccessKeyIds start like Alibaba STS's.
pub const SESSION_KEY_PREFIX: &str = "STS.";

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The principal and secret behind temporary credentials, if they are still good.
pub(super) async fn credentials(
    access: &Access,
    store: &Store,
    signed: &Signed<'_>,
    now: UtcTime,
) -> Result<(Principal, String), ApiError> {
    let session = store.session(&signed.access_key_id).await?.ok_or_else(|| Refusal {
        status: StatusCode::NOT_FOUND,
        code: codes::ACCESS_KEY_NOT_FOUND.to_owned(),
        message: format!("The AccessKeyId {} is not known to this server.", signed.access_key_id),
    })?;
    let token_matches =
        signed.security_token.as_deref().is_some_and(|token| bool::from(digest(token).ct_eq(&session.token_sha256)));
    if !token_matches {
        return Err(Refusal::bad(
            codes::TOKEN_MISMATCH,
            "The SecurityToken is missing or belongs to other credentials.",
        )
        .into());
    }
    if session.ended || session.expires_at <= now {
        return Err(Refusal::bad(
            codes::TOKEN_EXPIRED,
            "These temporary credentials have expired or were revoked; sign in again.",
        )
        .into());
    }
    if !session.user.enabled {
        return Err(Refusal::bad(codes::ACCESS_KEY_INACTIVE, "This user is disabled.").into());
    }
    let secret = access.open(&session.secret_sealed)?;
    Ok((Principal::of_session(&session, access.policy(&session.user.grant)), secret))
}

/// Signs a user in: checks the password (throttled after failures) and answers credentials.
pub async fn assume(
    access: &Access,
    store: &Store,
    request: AssumeOTASession,
    now: UtcTime,
) -> Result<Credentials, ApiError> {
    if let Some(wait) = access.sign_ins.wait(&request.user_name, Instant::now()) {
        return Err(Refusal::bad_owned(
            codes::THROTTLED.to_owned(),
            format!("Too many failed sign-ins for this user; try again in {} seconds.", wait.as_secs().max(1)),
        )
        .into());
    }
    let user = store.user(&request.user_name).await?;
    let hash = user.as_ref().map_or_else(|| passwords::decoy().to_owned(), |u| u.password_hash.clone());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || passwords::verify(&hash, &password))
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            access.sign_ins.failed(&request.user_name, Instant::now());
            return Err(Refusal::bad(codes::WRONG_PASSWORD, "The user name or the password is wrong.").into());
        }
    };
    access.sign_ins.succeeded(&request.user_name);
    if !user.enabled {
        return Err(Refusal::bad(codes::ACCESS_KEY_INACTIVE, "This user is disabled.").into());
    }
    issue(access, store, &user.user_name, &ids::random(24), now).await
}

/// Fresh credentials for the sign-in `principal` belongs to; the old ones stay good until they
/// expire, so calls already under way finish.
pub async fn renew(
    access: &Access,
    store: &Store,
    principal: &Principal,
    now: UtcTime,
) -> Result<Credentials, ApiError> {
    let login_id = principal.login_id.as_deref().ok_or_else(|| {
        ApiError::from(Refusal::bad(
            codes::TOKEN_MISMATCH,
            "Only temporary credentials are renewed; an access key does not expire.",
        ))
    })?;
    issue(access, store, &principal.name, login_id, now).await
}

/// Signs out: ends every credential of the sign-in `principal` belongs to.
pub async fn end(store: &Store, principal: &Principal, now: UtcTime) -> Result<(), ApiError> {
    match &principal.login_id {
        Some(login_id) => Ok(store.end_login(login_id, now).await?),
        None => Err(Refusal::bad(
            codes::TOKEN_MISMATCH,
            "Only temporary credentials are ended; disable an access key instead.",
        )
        .into()),
    }
}

async fn issue(
    access: &Access,
    store: &Store,
    user_name: &str,
    login_id: &str,
    now: UtcTime,
) -> Result<Credentials, ApiError> {
    let access_key_id = format!("{SESSION_KEY_PREFIX}{}", ids::random(24));
    let secret = ids::random(32);
    let token = ids::random(96);
    let expires_at = UtcTime(now.0 + chrono::Duration::seconds(SESSION_SECONDS));
    store
        .create_session(NewSession {
            access_key_id: &access_key_id,
            login_id,
            user_name,
            secret_sealed: access.master_key.seal(&secret),
            token_sha256: digest(&token),
            expires_at,
        })
        .await?;
    Ok(Credentials {
        access_key_id,
        access_key_secret: secret,
        security_token: token,
        expiration: signature::timestamp(expires_at),
    })
}

/// A new user's row (the password hashed here).
pub fn new_user(
    user_name: &str,
    password: &str,
    grant: crate::store::access::Grant,
    now: UtcTime,
) -> Result<User, String> {
    Ok(User {
        user_name: user_name.to_owned(),
        password_hash: passwords::hash(password)?,
        grant,
        enabled: true,
        created_at: now,
    })
}
