-- The first schema: products and the update packages built for them.
-- Times are stored as epoch milliseconds (INTEGER) and rendered as `Utc…` ISO strings by the API.

-- A product is a device model. Every package belongs to exactly one product.
-- Minimal for now; the device registry extends it.
CREATE TABLE products (
    product_key  TEXT PRIMARY KEY,
    product_name TEXT NOT NULL,
    description  TEXT,
    utc_create   INTEGER NOT NULL
);

-- An update package (Alibaba: Firmware). Single-file packages keep their file's URL, size and
-- signature here.
CREATE TABLE firmware (
    firmware_id     TEXT PRIMARY KEY,
    product_key     TEXT NOT NULL REFERENCES products (product_key),
    -- The OTA module the package updates; 'default' is the whole firmware.
    module_name     TEXT NOT NULL DEFAULT 'default',
    -- Unique, as the API requires of FirmwareName.
    firmware_name   TEXT NOT NULL UNIQUE,
    firmware_desc   TEXT,
    dest_version    TEXT NOT NULL,
    -- Differential packages only: the one version the delta applies to.
    src_version     TEXT,
    -- 0 full, 1 differential.
    firmware_type   INTEGER NOT NULL CHECK (firmware_type IN (0, 1)),
    sign_method     TEXT NOT NULL CHECK (sign_method IN ('MD5', 'SHA256')),
    firmware_sign   TEXT NOT NULL,
    firmware_size   INTEGER NOT NULL CHECK (firmware_size >= 0),
    firmware_url    TEXT,
    -- Free-form data pushed to devices as extData._package_udi.
    udi             TEXT,
    -- -1 no verification needed, 0 unverified, 1 verified, 2 verifying, 3 verification failed.
    status          INTEGER NOT NULL CHECK (status BETWEEN -1 AND 3),
    verify_progress INTEGER NOT NULL DEFAULT 0 CHECK (verify_progress BETWEEN 0 AND 100),
    utc_create      INTEGER NOT NULL,
    utc_modified    INTEGER NOT NULL,
    CHECK (firmware_type = 0 OR src_version IS NOT NULL)
);

-- The package list is shown newest first, optionally for one product.
CREATE INDEX firmware_newest_first ON firmware (utc_create DESC);
CREATE INDEX firmware_by_product ON firmware (product_key, utc_create DESC);
