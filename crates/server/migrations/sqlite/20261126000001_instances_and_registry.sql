-- Instances and the device registry: what batches are made of.
-- Times are epoch milliseconds (INTEGER), rendered as `Utc…` ISO strings by the API.

-- An instance is one isolated IoT Platform tenant, named by `IotInstanceId`. Every product
-- (and so every device, package, batch and task) belongs to exactly one.
CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    utc_create  INTEGER NOT NULL
);

-- A product is a device model. Product keys are unique across instances, as at Alibaba.
CREATE TABLE products (
    product_key  TEXT PRIMARY KEY,
    instance_id  TEXT NOT NULL REFERENCES instances (instance_id),
    product_name TEXT NOT NULL,
    description  TEXT,
    -- 0 a directly connected device, 1 a gateway.
    node_type    INTEGER NOT NULL DEFAULT 0 CHECK (node_type IN (0, 1)),
    utc_create   INTEGER NOT NULL,
    UNIQUE (instance_id, product_name)
);

-- A device of a product. `iot_id` is its platform-wide ID; `device_name` is unique per product.
CREATE TABLE devices (
    iot_id        TEXT PRIMARY KEY,
    product_key   TEXT NOT NULL REFERENCES products (product_key),
    device_name   TEXT NOT NULL,
    device_secret TEXT NOT NULL,
    nickname      TEXT,
    -- UNACTIVE until it first connects.
    status        TEXT NOT NULL DEFAULT 'UNACTIVE'
                  CHECK (status IN ('ONLINE', 'OFFLINE', 'UNACTIVE', 'DISABLE')),
    ip_address    TEXT,
    utc_create    INTEGER NOT NULL,
    utc_active    INTEGER,
    utc_online    INTEGER,
    utc_modified  INTEGER NOT NULL,
    UNIQUE (product_key, device_name)
);

-- The version each device last reported for each OTA module (`/ota/device/inform`). The
-- 'default' module's version is the device's firmware version.
CREATE TABLE device_modules (
    iot_id       TEXT NOT NULL REFERENCES devices (iot_id) ON DELETE CASCADE,
    module_name  TEXT NOT NULL,
    -- The device's product, repeated so that versions can be counted per product.
    product_key  TEXT NOT NULL,
    version      TEXT NOT NULL,
    utc_modified INTEGER NOT NULL,
    PRIMARY KEY (iot_id, module_name)
) WITHOUT ROWID;
-- Version-targeted batches and the version distribution look devices up by version.
CREATE INDEX device_modules_by_version ON device_modules (product_key, module_name, version);

-- A static device group, and its members (a device may be in several groups).
CREATE TABLE device_groups (
    group_id    TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances (instance_id),
    group_name  TEXT NOT NULL,
    group_desc  TEXT,
    utc_create  INTEGER NOT NULL,
    UNIQUE (instance_id, group_name)
);

CREATE TABLE device_group_members (
    group_id TEXT NOT NULL REFERENCES device_groups (group_id) ON DELETE CASCADE,
    iot_id   TEXT NOT NULL REFERENCES devices (iot_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, iot_id)
) WITHOUT ROWID;
CREATE INDEX device_group_members_by_device ON device_group_members (iot_id);
