-- Several servers sharing one database (PostgreSQL) and one broker: which of them runs the
-- rollout engine, and which are alive. The same tables on both databases (migrations/postgres);
-- on SQLite the one server always holds the lease.

-- Which server runs the rollout engine, and until when (epoch milliseconds by the database's
-- clock): one row at most.
CREATE TABLE engine_lease (
    id         BOOLEAN NOT NULL PRIMARY KEY DEFAULT TRUE CHECK (id),
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Each server (`--replica-id`) and when it last said it runs. The engine's leader takes over
-- the broker session of a server gone silent: the share of devices' messages the broker
-- keeps giving it.
CREATE TABLE servers (
    replica TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
