//! OTA modules of a product. 'default' always exists and is not stored.

use ota_model::UtcTime;
use ota_model::module::{DEFAULT_MODULE, MAX_CUSTOM_MODULES, OtaModule};
use sqlx::FromRow;

use super::{Store, time};
use crate::store::Tx;
use crate::store::db::on;

#[derive(FromRow)]
struct ModuleRow {
    module_name: String,
    alias_name: Option<String>,
    description: Option<String>,
    utc_create: i64,
    utc_modified: i64,
}

/// How a module change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleChange {
    Done,
    NotFound,
    /// The name is taken (ignoring case), or is `default`.
    NameTaken,
    /// The product has all its custom modules already.
    LimitReached,
    /// Packages still use the module, or it is `default`.
    InUse,
}

impl Store {
    /// A product's modules, the default one first; `product_created` dates the default one.
    pub async fn list_modules(
        &self,
        product_key: &str,
        product_created: UtcTime,
    ) -> Result<Vec<OtaModule>, sqlx::Error> {
        let rows: Vec<ModuleRow> = on!(self.pool, |db| sqlx::query_as(
            "SELECT module_name, alias_name, description, utc_create, utc_modified FROM ota_modules
             WHERE product_key = $1 ORDER BY utc_create, module_name",
        )
        .bind(product_key)
        .fetch_all(db)
        .await)?;
        let default = OtaModule {
            product_key: product_key.to_owned(),
            module_name: DEFAULT_MODULE.to_owned(),
            alias_name: None,
            desc: None,
            gmt_create: product_created,
            gmt_modified: product_created,
        };
        let mut modules = vec![default];
        for row in rows {
            modules.push(OtaModule {
                product_key: product_key.to_owned(),
                gmt_create: time("utc_create", row.utc_create)?,
                gmt_modified: time("utc_modified", row.utc_modified)?,
                module_name: row.module_name,
                alias_name: row.alias_name,
                desc: row.description,
            });
        }
        Ok(modules)
    }

    /// The module's stored name if the product has it (names compare ignoring case).
    pub async fn module_name(&self, product_key: &str, name: &str) -> Result<Option<String>, sqlx::Error> {
        if name.eq_ignore_ascii_case(DEFAULT_MODULE) {
            return Ok(Some(DEFAULT_MODULE.to_owned()));
        }
        let found: Option<(String,)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT module_name FROM ota_modules WHERE product_key = $1 AND lower(module_name) = lower($2)",
        )
        .bind(product_key)
        .bind(name)
        .fetch_optional(db)
        .await)?;
        Ok(found.map(|(name,)| name))
    }

    pub async fn create_module(
        &self,
        product_key: &str,
        name: &str,
        alias: Option<&str>,
        desc: Option<&str>,
        now: UtcTime,
    ) -> Result<ModuleChange, sqlx::Error> {
        if name.eq_ignore_ascii_case(DEFAULT_MODULE) {
            return Ok(ModuleChange::NameTaken);
        }
        let mut tx = self.begin().await?;
        let (existing, taken): (i64, i64) = on!(tx, |db| {
            sqlx::query_as(
            "SELECT count(*), count(*) FILTER (WHERE lower(module_name) = lower($1)) FROM ota_modules WHERE product_key = $2",
        )
        .bind(name)
        .bind(product_key)
        .fetch_one(db)
        .await
        })?;
        if taken > 0 {
            return Ok(ModuleChange::NameTaken);
        }
        if existing >= MAX_CUSTOM_MODULES as i64 {
            return Ok(ModuleChange::LimitReached);
        }
        on!(tx, |db| sqlx::query(
            "INSERT INTO ota_modules (product_key, module_name, alias_name, description, utc_create, utc_modified)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(product_key)
        .bind(name)
        .bind(alias)
        .bind(desc)
        .bind(now.millis())
        .bind(now.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(ModuleChange::Done)
    }

    pub async fn update_module(
        &self,
        product_key: &str,
        name: &str,
        alias: Option<&str>,
        desc: Option<&str>,
        now: UtcTime,
    ) -> Result<ModuleChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        let updated = on!(tx, |db| sqlx::query(
            "UPDATE ota_modules SET alias_name = $1, description = $2, utc_modified = $3
             WHERE product_key = $4 AND lower(module_name) = lower($5)",
        )
        .bind(alias)
        .bind(desc)
        .bind(now.millis())
        .bind(product_key)
        .bind(name)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(if updated == 0 { ModuleChange::NotFound } else { ModuleChange::Done })
    }

    pub async fn delete_module(&self, product_key: &str, name: &str) -> Result<ModuleChange, sqlx::Error> {
        if name.eq_ignore_ascii_case(DEFAULT_MODULE) {
            return Ok(ModuleChange::InUse);
        }
        let mut tx = self.begin().await?;
        let (used,): (i64,) = on!(tx, |db| sqlx::query_as(
            "SELECT count(*) FROM firmware WHERE product_key = $1 AND lower(module_name) = lower($2)"
        )
        .bind(product_key)
        .bind(name)
        .fetch_one(db)
        .await)?;
        if used > 0 {
            return Ok(ModuleChange::InUse);
        }
        let deleted = on!(tx, |db| sqlx::query(
            "DELETE FROM ota_modules WHERE product_key = $1 AND lower(module_name) = lower($2)"
        )
        .bind(product_key)
        .bind(name)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(if deleted == 0 { ModuleChange::NotFound } else { ModuleChange::Done })
    }
}

/// Adds a custom module (the demo dataset; the API goes through [`Store::create_module`]).
pub async fn insert_module(
    db: &mut Tx,
    product_key: &str,
    name: &str,
    desc: Option<&str>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "INSERT INTO ota_modules (product_key, module_name, description, utc_create, utc_modified) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(product_key)
    .bind(name)
    .bind(desc)
    .bind(now.millis())
    .bind(now.millis())
    .execute(db)
    .await.map(|done| done.rows_affected()))
    .map(drop)
}
