-- Each server (`--replica-id`) and when it last said it runs (epoch milliseconds by the
-- database's clock). The engine's leader takes over the broker session of a server gone
-- silent: the share of devices' messages the broker keeps giving it.
CREATE TABLE servers (
    replica TEXT COLLATE "C" PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
