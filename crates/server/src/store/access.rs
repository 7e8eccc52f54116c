//! Access keys, users, their sessions and the signature nonces seen: the rows behind
//! authentication. Secrets arrive and leave sealed; this module never sees one in clear.

use ota_model::UtcTime;
use sqlx::{FromRow, Row};

use super::{Store, is_unique_violation};

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
        let inserted = sqlx::query(
            "INSERT INTO access_keys (access_key_id, name, secret_sealed, policy, instances, enabled, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&key.access_key_id)
        .bind(&key.name)
        .bind(&key.secret_sealed)
        .bind(&key.grant.policy)
        .bind(key.grant.instances_column())
        .bind(key.enabled)
        .bind(key.created_at.millis())
        .execute(&self.pool)
        .await;
        created(inserted)
    }

    pub async fn access_key(&self, access_key_id: &str) -> Result<Option<AccessKey>, sqlx::Error> {
        let row: Option<AccessKeyRow> = sqlx::query_as("SELECT * FROM access_keys WHERE access_key_id = ?")
            .bind(access_key_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(AccessKeyRow::into_key).transpose()
    }

    /// Every access key, oldest first.
    pub async fn access_keys(&self) -> Result<Vec<AccessKey>, sqlx::Error> {
        let rows: Vec<AccessKeyRow> = sqlx::query_as("SELECT * FROM access_keys ORDER BY created_at, access_key_id")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(AccessKeyRow::into_key).collect()
    }

    pub async fn set_access_key_enabled(&self, access_key_id: &str, enabled: bool) -> Result<Changed, sqlx::Error> {
        let done = sqlx::query("UPDATE access_keys SET enabled = ? WHERE access_key_id = ?")
            .bind(enabled)
            .bind(access_key_id)
            .execute(&self.pool)
            .await?;
        Ok(changed(done.rows_affected()))
    }

    pub async fn delete_access_key(&self, access_key_id: &str) -> Result<Changed, sqlx::Error> {
        let done = sqlx::query("DELETE FROM access_keys WHERE access_key_id = ?")
            .bind(access_key_id)
            .execute(&self.pool)
            .await?;
        Ok(changed(done.rows_affected()))
    }

    /// Stores a new user; false if the name is taken.
    pub async fn create_user(&self, user: &User) -> Result<bool, sqlx::Error> {
        let inserted = sqlx::query(
            "INSERT INTO users (user_name, password_hash, policy, instances, enabled, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&user.user_name)
        .bind(&user.password_hash)
        .bind(&user.grant.policy)
        .bind(user.grant.instances_column())
        .bind(user.enabled)
        .bind(user.created_at.millis())
        .execute(&self.pool)
        .await;
        created(inserted)
    }

    pub async fn user(&self, user_name: &str) -> Result<Option<User>, sqlx::Error> {
        let row: Option<UserRow> = sqlx::query_as("SELECT * FROM users WHERE user_name = ?")
            .bind(user_name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(UserRow::into_user).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, sqlx::Error> {
        let rows: Vec<UserRow> = sqlx::query_as("SELECT * FROM users ORDER BY user_name").fetch_all(&self.pool).await?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    /// Enables or disables a user; disabling also ends the user's sessions.
    pub async fn set_user_enabled(&self, user_name: &str, enabled: bool, now: UtcTime) -> Result<Changed, sqlx::Error> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE users SET enabled = ? WHERE user_name = ?")
            .bind(enabled)
            .bind(user_name)
            .execute(&mut *tx)
            .await?;
        if !enabled {
            sqlx::query("UPDATE sessions SET ended_at = ? WHERE user_name = ? AND ended_at IS NULL")
                .bind(now.millis())
                .bind(user_name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(changed(done.rows_affected()))
    }

    /// Deletes a user and (by the foreign key) the user's sessions.
    pub async fn delete_user(&self, user_name: &str) -> Result<Changed, sqlx::Error> {
        let done = sqlx::query("DELETE FROM users WHERE user_name = ?").bind(user_name).execute(&self.pool).await?;
        Ok(changed(done.rows_affected()))
    }

    pub async fn create_session(&self, session: NewSession<'_>) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (access_key_id, login_id, user_name, secret_sealed, token_sha256, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(session.access_key_id)
        .bind(session.login_id)
        .bind(session.user_name)
        .bind(session.secret_sealed)
        .bind(session.token_sha256)
        .bind(session.expires_at.millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    pub async fn session(&self, access_key_id: &str) -> Result<Option<Session>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT s.access_key_id, s.login_id, s.secret_sealed, s.token_sha256, s.expires_at, s.ended_at,
                    u.user_name, u.password_hash, u.policy, u.instances, u.enabled, u.created_at
             FROM sessions s JOIN users u ON u.user_name = s.user_name
             WHERE s.access_key_id = ?",
        )
        .bind(access_key_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = UserRow::from_row(&row)?.into_user()?;
        Ok(Some(Session {
            access_key_id: row.try_get("access_key_id")?,
            login_id: row.try_get("login_id")?,
            secret_sealed: row.try_get("secret_sealed")?,
            token_sha256: row.try_get("token_sha256")?,
            expires_at: super::time("expires_at", row.try_get("expires_at")?)?,
            ended: row.try_get::<Option<i64>, _>("ended_at")?.is_some(),
            user,
        }))
    }

    /// Ends every session of one sign-in (sign-out).
    pub async fn end_login(&self, login_id: &str, now: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE sessions SET ended_at = ? WHERE login_id = ? AND ended_at IS NULL")
            .bind(now.millis())
            .bind(login_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Forgets nonces and sessions that can no longer matter.
    pub async fn prune_access(&self, now: UtcTime) -> Result<(), sqlx::Error> {
        self.forget_old_nonces(now).await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?").bind(now.millis()).execute(&self.pool).await?;
        Ok(())
    }
}
