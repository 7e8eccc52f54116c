-- Who may call the API.
--
-- Secrets are sealed (XChaCha20-Poly1305) with the master key, which lives outside the
-- database (master.key in the data directory, or OTA_MASTER_KEY): a copy of this file alone
-- signs nothing. `instances` is a comma-separated list the principal is limited to; empty for all.

-- Long-lived access keys, for scripts, SDKs and the console's "access key" sign-in.
CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    secret_sealed BLOB NOT NULL,
    policy        TEXT NOT NULL,
    instances     TEXT NOT NULL DEFAULT '',
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

-- People who sign in to the console with a name and a password (argon2id PHC strings).
CREATE TABLE users (
    user_name     TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    policy        TEXT NOT NULL,
    instances     TEXT NOT NULL DEFAULT '',
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

-- Temporary credentials from AssumeOTASession. The token is kept only as its SHA-256: it is
-- compared, never shown again. Ended sessions stay until they would have expired anyway.
-- Renewals of one sign-in share its login_id, so that signing out ends them all.
CREATE TABLE sessions (
    access_key_id TEXT PRIMARY KEY,
    login_id      TEXT NOT NULL,
    user_name     TEXT NOT NULL REFERENCES users (user_name) ON DELETE CASCADE,
    secret_sealed BLOB NOT NULL,
    token_sha256  BLOB NOT NULL,
    expires_at    INTEGER NOT NULL,
    ended_at      INTEGER
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_login ON sessions (login_id);

-- Every signature nonce seen in the last 31 minutes, per key: a replayed request is refused,
-- across restarts too.
CREATE TABLE signature_nonces (
    access_key_id TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (access_key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX signature_nonces_by_expiry ON signature_nonces (expires_at);
