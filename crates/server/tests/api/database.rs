//! The database each test's server gets, holding the demo dataset: a copy of a SQLite file, or,
//! when `OTA_TEST_POSTGRES` names a PostgreSQL server (`cargo xtask test` starts a temporary
//! one), a database of its own there, created from a template database. The demo is seeded
//! once per test run either way (it hashes a few hundred megabytes of package files).

use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use ota_server::files::{FileStore, FilesLocation};
use ota_server::store::Store;
use sqlx::Connection;

/// The PostgreSQL server the tests run on, if any: a superuser's URL.
pub fn postgres_server() -> Option<String> {
    std::env::var("OTA_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// A test's database.
pub enum Database {
    /// The file, in the test's directory.
    Sqlite(std::path::PathBuf),
    /// The database's URL, and its name (dropped with it).
    Postgres { url: String, name: String },
}

impl Database {
    /// A new database holding the demo dataset, and its files under `dir/files`.
    pub fn with_demo(dir: &Path) -> Self {
        let Some(server) = postgres_server() else { return Self::sqlite_demo(dir) };
        let template = template();
        link_files(template, "postgres", dir);
        let name = unique_name();
        admin(&server, &format!("CREATE DATABASE {name} TEMPLATE {}", template.name));
        Database::Postgres { url: with_database(&server, &name), name }
    }

    /// A SQLite copy of the demo dataset whichever database the tests run on, with its files
    /// linked into `dir/files`.
    pub fn sqlite_demo(dir: &Path) -> Self {
        let template = template();
        link_files(template, "sqlite", dir);
        std::fs::copy(template.dir.path().join("sqlite/ota.db"), dir.join("ota.db")).unwrap();
        Database::Sqlite(dir.join("ota.db"))
    }

    /// A new database with nothing in it yet (`dir/ota.db` on SQLite).
    pub fn empty(dir: &Path) -> Self {
        match postgres_server() {
            None => Database::Sqlite(dir.join("ota.db")),
            Some(server) => {
                let name = unique_name();
                admin(&server, &format!("CREATE DATABASE {name}"));
                Database::Postgres { url: with_database(&server, &name), name }
            }
        }
    }

    /// What `Store::open` and `--database` take.
    pub fn location(&self) -> String {
        match self {
            Database::Sqlite(path) => path.to_str().unwrap().to_owned(),
            Database::Postgres { url, .. } => url.clone(),
        }
    }

    /// Runs `sql` (statements that change data behind the server's back).
    pub async fn execute(&self, sql: &str) {
        match self {
            Database::Sqlite(path) => {
                let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut db).await.unwrap();
            }
            Database::Postgres { url, .. } => {
                let mut db = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut db).await.unwrap();
            }
        }
    }

    /// The first column of `sql`'s rows, which must be text.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match self {
            Database::Sqlite(path) => {
                let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                sqlx::query_scalar(sql).fetch_all(&mut db).await.unwrap()
            }
            Database::Postgres { url, .. } => {
                let mut db = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query_scalar(sql).fetch_all(&mut db).await.unwrap()
            }
        }
    }

    /// Everything the database holds, as bytes to search: the SQLite file, or every row of
    /// every table as PostgreSQL writes it as text.
    pub async fn contents(&self) -> Vec<u8> {
        match self {
            Database::Sqlite(path) => std::fs::read(path).unwrap(),
            Database::Postgres { url, .. } => {
                let mut db = sqlx::PgConnection::connect(url).await.unwrap();
                let tables: Vec<(String,)> =
                    sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
                        .fetch_all(&mut db)
                        .await
                        .unwrap();
                let mut all = Vec::new();
                for (table,) in tables {
                    let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT CAST(t AS text) FROM \"{table}\" t"))
                        .fetch_all(&mut db)
                        .await
                        .unwrap();
                    rows.into_iter().for_each(|(row,)| all.extend_from_slice(row.as_bytes()));
                }
                all
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let (Database::Postgres { name, .. }, Some(server)) = (&*self, postgres_server()) {
            admin(&server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Hard links to the package files of the template of `backend` ("sqlite", "postgres").
fn link_files(template: &Template, backend: &str, dir: &Path) {
    std::fs::create_dir(dir.join("files")).unwrap();
    for entry in std::fs::read_dir(template.dir.path().join(backend).join("files")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::hard_link(entry.path(), dir.join("files").join(entry.file_name())).unwrap();
        }
    }
}

/// The demo dataset: `sqlite/` holds the SQLite file and its package files; `postgres/files`
/// the package files of the PostgreSQL template database `name` (tests on PostgreSQL only).
struct Template {
    dir: tempfile::TempDir,
    name: String,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("ota_template_{}", std::process::id());
        let sqlite = dir.path().join("sqlite");
        seed(sqlite.join("ota.db").to_str().unwrap().to_owned(), sqlite.join("files"));
        if let Some(server) = postgres_server() {
            drop_leftovers(&server);
            admin(&server, &format!("CREATE DATABASE {name}"));
            seed(with_database(&server, &name), dir.path().join("postgres/files"));
        }
        Template { dir, name }
    })
}

/// The demo dataset, seeded into the database at `location` and the file store in `files`.
fn seed(location: String, files: std::path::PathBuf) {
    blocking(move || async move {
        let store = Store::open(&location).await.unwrap();
        let files = FileStore::open(&FilesLocation::Directory(files)).await.unwrap();
        let now = ota_model::UtcTime(chrono::Utc::now());
        store.upsert_instances(crate::support::instances().all(), now).await.unwrap();
        ota_server::demo::seed(&store, &files, "iot-default").await.unwrap();
        store.close().await;
    });
}

/// Drops the databases of test runs that are over (their process is gone): a template lives
/// as long as its process, and a killed run leaves its tests' databases behind.
fn drop_leftovers(server: &str) {
    let server_url = server.to_owned();
    let (sender, names) = std::sync::mpsc::channel();
    blocking(move || async move {
        let mut db = sqlx::PgConnection::connect(&server_url).await.unwrap();
        let all: Vec<(String,)> = sqlx::query_as("SELECT datname::text FROM pg_database WHERE datname LIKE 'ota\\_t%'")
            .fetch_all(&mut db)
            .await
            .unwrap();
        sender.send(all).unwrap();
    });
    for (name,) in names.recv().unwrap() {
        let pid = name.trim_start_matches("ota_template_").trim_start_matches("ota_test_").split('_').next();
        let gone = pid.is_some_and(|pid| !Path::new("/proc").join(pid).exists());
        if gone {
            admin(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A database name no other test (of any test process) uses.
fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("ota_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Runs one statement as the server's superuser (CREATE DATABASE cannot run in a transaction).
fn admin(server: &str, sql: &str) {
    let (server, sql) = (server.to_owned(), sql.to_owned());
    blocking(move || async move {
        let mut db = sqlx::PgConnection::connect(&server).await.unwrap();
        sqlx::raw_sql(&sql).execute(&mut db).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        db.close().await.unwrap();
    });
}

/// The URL `server` with database `name` instead of its own.
fn with_database(server: &str, name: &str) -> String {
    let mut url = url::Url::parse(server).unwrap();
    url.set_path(name);
    url.to_string()
}

/// Runs `work` to its end on a runtime of its own, on a thread of its own: callers are inside
/// a test's runtime, or in a destructor.
fn blocking<F: std::future::Future<Output = ()>>(work: impl FnOnce() -> F + Send + 'static) {
    std::thread::spawn(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(work()))
        .join()
        .unwrap();
}
