-- OTA modules, update packages and their files.

-- A product's OTA modules besides the implicit 'default' (the whole firmware). Names compare
-- without regard to letter case ("scanner" and "Scanner" are the same module).
CREATE TABLE ota_modules (
    product_key  TEXT NOT NULL REFERENCES products (product_key),
    module_name  TEXT NOT NULL,
    alias_name   TEXT,
    description  TEXT,
    utc_create   INTEGER NOT NULL,
    utc_modified INTEGER NOT NULL,
    PRIMARY KEY (product_key, module_name)
);
CREATE UNIQUE INDEX ota_modules_ignoring_case ON ota_modules (product_key, lower(module_name));

-- A file uploaded through an upload grant (GenerateOTAUploadURL, GenerateDeviceNameListURL).
-- 'granted' until the upload completes, then 'stored' with its size and digests. Grants and
-- stored files that nothing uses expire and are purged with their bytes.
CREATE TABLE uploads (
    file_key    TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances (instance_id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('firmware', 'device-list')),
    suffix      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('granted', 'stored')),
    size        INTEGER,
    md5         TEXT,
    sha256      TEXT,
    -- Set once a package or batch uses the file; used files never expire.
    used_by     TEXT,
    utc_create  INTEGER NOT NULL,
    utc_expire  INTEGER NOT NULL
);
CREATE INDEX uploads_expiring ON uploads (utc_expire) WHERE used_by IS NULL;

-- An update package (Alibaba: Firmware).
CREATE TABLE firmware (
    firmware_id     TEXT PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES instances (instance_id),
    product_key     TEXT NOT NULL REFERENCES products (product_key),
    module_name     TEXT NOT NULL DEFAULT 'default',
    -- Unique per instance, as the API requires of FirmwareName.
    firmware_name   TEXT NOT NULL,
    firmware_desc   TEXT,
    dest_version    TEXT NOT NULL,
    -- Differential packages only: the one version the delta applies to.
    src_version     TEXT,
    -- 0 full, 1 differential.
    firmware_type   INTEGER NOT NULL CHECK (firmware_type IN (0, 1)),
    sign_method     TEXT NOT NULL CHECK (sign_method IN ('MD5', 'SHA256')),
    -- Single-file packages: the file's signature, size and upload; multi-file packages keep
    -- theirs in firmware_files.
    firmware_sign   TEXT NOT NULL,
    firmware_size   INTEGER NOT NULL CHECK (firmware_size >= 0),
    file_key        TEXT REFERENCES uploads (file_key),
    -- Free-form data pushed to devices as extData._package_udi.
    udi             TEXT,
    need_to_verify  INTEGER NOT NULL CHECK (need_to_verify IN (0, 1)),
    -- -1 no verification needed, 0 unverified, 1 verified, 2 verifying, 3 verification failed.
    status          INTEGER NOT NULL CHECK (status BETWEEN -1 AND 3),
    verify_progress INTEGER NOT NULL DEFAULT 0 CHECK (verify_progress BETWEEN 0 AND 100),
    utc_create      INTEGER NOT NULL,
    utc_modified    INTEGER NOT NULL,
    UNIQUE (instance_id, firmware_name),
    CHECK (firmware_type = 0 OR src_version IS NOT NULL)
);
-- The package list is shown newest first, for an instance or one of its products.
CREATE INDEX firmware_newest_first ON firmware (instance_id, utc_create DESC);
CREATE INDEX firmware_by_product ON firmware (product_key, utc_create DESC);

-- The files of a multi-file package, in order.
CREATE TABLE firmware_files (
    firmware_id TEXT NOT NULL REFERENCES firmware (firmware_id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    file_key    TEXT NOT NULL REFERENCES uploads (file_key),
    size        INTEGER NOT NULL,
    sign_value  TEXT NOT NULL,
    file_md5    TEXT NOT NULL,
    PRIMARY KEY (firmware_id, position),
    UNIQUE (firmware_id, name)
) WITHOUT ROWID;
