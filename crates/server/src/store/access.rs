//! Access keys, users, their sessions and the signature nonces seen: the rows behind
//! authentication. Secrets arrive and leave sealed; this module never sees one in clear.

use ota_model::UtcTime;
use sqlx::FromRow;

use super::{Store, is_unique_violation};
use crate::store::db::on;

/// A principal's grant as stored: its policy's name and the instances it is limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub policy: String,
    /// Empty for every instance.
    pub instances: Vec<String>,
}

impl Grant {
    fn instances_column(&self) -> String {
        self.instances.join(",")
    }
}

fn instances_of(column: &str) -> Vec<String> {
    column.split(',').filter(|i| !i.is_empty()).map(str::to_owned).collect()
}

/// An access key as stored.
#[derive(Debug, Clone)]
pub struct AccessKey {
    pub access_key_id: String,
    pub name: String,
    pub secret_sealed: Vec<u8>,
    pub grant: Grant,
    pub enabled: bool,
    pub created_at: UtcTime,
}

#[derive(FromRow)]
struct AccessKeyRow {
    access_key_id: String,
    name: String,
    secret_sealed: Vec<u8>,
    policy: String,
    instances: String,
    enabled: bool,
    created_at: i64,
}

impl AccessKeyRow {
    fn into_key(self) -> Result<AccessKey, sqlx::Error> {
        Ok(AccessKey {
            created_at: super::time("created_at", self.created_at)?,
            grant: Grant { policy: self.policy, instances: instances_of(&self.instances) },
            access_key_id: self.access_key_id,
            name: self.name,
            secret_sealed: self.secret_sealed,
            enabled: self.enabled,
        })
    }
}

/// A user as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub user_name: String,
    pub password_hash: String,
    pub grant: Grant,
    pub enabled: bool,
    pub created_at: UtcTime,
}

#[derive(FromRow)]
struct UserRow {
    user_name: String,
    password_hash: String,
    policy: String,
    instances: String,
    enabled: bool,
    created_at: i64,
}

impl UserRow {
    fn into_user(self) -> Result<User, sqlx::Error> {
        Ok(User {
            created_at: super::time("created_at", self.created_at)?,
            grant: Grant { policy: self.policy, instances: instances_of(&self.instances) },
            user_name: self.user_name,
            password_hash: self.password_hash,
            enabled: self.enabled,
        })
    }
}

#[derive(FromRow)]
struct SessionRow {
    access_key_id: String,
    login_id: String,
    secret_sealed: Vec<u8>,
    token_sha256: Vec<u8>,
    expires_at: i64,
    ended_at: Option<i64>,
    #[sqlx(flatten)]
    user: UserRow,
}

impl SessionRow {
    fn into_session(self) -> Result<Session, sqlx::Error> {
        Ok(Session {
            access_key_id: self.access_key_id,
            login_id: self.login_id,
            secret_sealed: self.secret_sealed,
            token_sha256: self.token_sha256,
            expires_at: super::time("expires_at", self.expires_at)?,
            ended: self.ended_at.is_some(),
            user: self.user.into_user()?,
        })
    }
}

/// Temporary credentials as stored, with their user.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_key_id: String,
    /// Every renewal of one sign-in shares it, so that signing out ends them all.
    pub login_id: String,
    pub secret_sealed: Vec<u8>,
    pub token_sha256: Vec<u8>,
    pub expires_at: UtcTime,
    pub ended: bool,
    pub user: User,
}

/// A new session's row.
pub struct NewSession<'a> {
    pub access_key_id: &'a str,
    pub login_id: &'a str,
    pub user_name: &'a str,
    pub secret_sealed: Vec<u8>,
    pub token_sha256: Vec<u8>,
    pub expires_at: UtcTime,
}

/// What a change to a key or a user found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    NotFound,
}

/// Whether an INSERT created its row (false: the ID or name was taken).
fn created<T>(inserted: Result<T, sqlx::Error>) -> Result<bool, sqlx::Error> {
    match inserted {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

fn changed(rows: u64) -> Changed {
    if rows == 0 { Changed::NotFound } else { Changed::Done }
}

impl Store {
    /// Stores a new access key; false if the ID is taken (practically never: it is random).
    pub async fn create_access_key(&self, key: &AccessKey) -> Result<bool, sqlx::Error> {
        let inserted = on!(self.pool, |db| sqlx::query(
            "INSERT INTO access_keys (access_key_id, name, secret_sealed, policy, instances, enabled, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&key.access_key_id)
        .bind(&key.name)
        .bind(&key.secret_sealed)
        .bind(&key.grant.policy)
        .bind(key.grant.instances_column())
        .bind(key.enabled)
        .bind(key.created_at.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()));
        created(inserted)
    }

    pub async fn access_key(&self, access_key_id: &str) -> Result<Option<AccessKey>, sqlx::Error> {
        let row: Option<AccessKeyRow> =
            on!(self.pool, |db| sqlx::query_as("SELECT * FROM access_keys WHERE access_key_id = $1")
                .bind(access_key_id)
                .fetch_optional(db)
                .await)?;
        row.map(AccessKeyRow::into_key).transpose()
    }

    /// Every access key, oldest first.
    pub async fn access_keys(&self) -> Result<Vec<AccessKey>, sqlx::Error> {
        let rows: Vec<AccessKeyRow> =
            on!(self.pool, |db| sqlx::query_as("SELECT * FROM access_keys ORDER BY created_at, access_key_id")
                .fetch_all(db)
                .await)?;
        rows.into_iter().map(AccessKeyRow::into_key).collect()
    }

    pub async fn set_access_key_enabled(&self, access_key_id: &str, enabled: bool) -> Result<Changed, sqlx::Error> {
        let done = on!(self.pool, |db| sqlx::query("UPDATE access_keys SET enabled = $1 WHERE access_key_id = $2")
            .bind(enabled)
            .bind(access_key_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(changed(done))
    }

    pub async fn delete_access_key(&self, access_key_id: &str) -> Result<Changed, sqlx::Error> {
        let done = on!(self.pool, |db| sqlx::query("DELETE FROM access_keys WHERE access_key_id = $1")
            .bind(access_key_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(changed(done))
    }

    /// Stores a new user; false if the name is taken.
    pub async fn create_user(&self, user: &User) -> Result<bool, sqlx::Error> {
        let inserted = on!(self.pool, |db| sqlx::query(
            "INSERT INTO users (user_name, password_hash, policy, instances, enabled, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&user.user_name)
        .bind(&user.password_hash)
        .bind(&user.grant.policy)
        .bind(user.grant.instances_column())
        .bind(user.enabled)
        .bind(user.created_at.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()));
        created(inserted)
    }

    pub async fn user(&self, user_name: &str) -> Result<Option<User>, sqlx::Error> {
        let row: Option<UserRow> = on!(self.pool, |db| sqlx::query_as("SELECT * FROM users WHERE user_name = $1")
            .bind(user_name)
            .fetch_optional(db)
            .await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, sqlx::Error> {
        let rows: Vec<UserRow> =
            on!(self.pool, |db| sqlx::query_as("SELECT * FROM users ORDER BY user_name").fetch_all(db).await)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// Enables or disables a user; disabling also ends the user's sessions.
    pub async fn set_user_enabled(&self, user_name: &str, enabled: bool, now: UtcTime) -> Result<Changed, sqlx::Error> {
        let mut tx = self.begin().await?;
        let done = on!(tx, |db| sqlx::query("UPDATE users SET enabled = $1 WHERE user_name = $2")
            .bind(enabled)
            .bind(user_name)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        if !enabled {
            on!(tx, |db| sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_name = $2 AND ended_at IS NULL")
                .bind(now.millis())
                .bind(user_name)
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(changed(done))
    }

    /// Deletes a user and (by the foreign key) the user's sessions.
    pub async fn delete_user(&self, user_name: &str) -> Result<Changed, sqlx::Error> {
        let done = on!(self.pool, |db| sqlx::query("DELETE FROM users WHERE user_name = $1")
            .bind(user_name)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(changed(done))
    }

    pub async fn create_session(&self, session: NewSession<'_>) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        on!(tx, |db| sqlx::query(
            "INSERT INTO sessions (access_key_id, login_id, user_name, secret_sealed, token_sha256, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(session.access_key_id)
        .bind(session.login_id)
        .bind(session.user_name)
        .bind(session.secret_sealed)
        .bind(session.token_sha256)
        .bind(session.expires_at.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await
    }

    pub async fn session(&self, access_key_id: &str) -> Result<Option<Session>, sqlx::Error> {
        let row = on!(self.pool, |db| sqlx::query_as::<_, SessionRow>(
            "SELECT s.access_key_id, s.login_id, s.secret_sealed, s.token_sha256, s.expires_at, s.ended_at,
                    u.user_name, u.password_hash, u.policy, u.instances, u.enabled, u.created_at
             FROM sessions s JOIN users u ON u.user_name = s.user_name
             WHERE s.access_key_id = $1",
        )
        .bind(access_key_id)
        .fetch_optional(db)
        .await)?;
        row.map(SessionRow::into_session).transpose()
    }

    /// Ends every session of one sign-in (sign-out).
    pub async fn end_login(&self, login_id: &str, now: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        on!(tx, |db| sqlx::query("UPDATE sessions SET ended_at = $1 WHERE login_id = $2 AND ended_at IS NULL")
            .bind(now.millis())
            .bind(login_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        tx.commit().await
    }

    /// Forgets nonces and sessions that can no longer matter.
    pub async fn prune_access(&self, now: UtcTime) -> Result<(), sqlx::Error> {
        self.forget_old_nonces(now).await?;
        on!(self.pool, |db| sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now.millis())
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}
