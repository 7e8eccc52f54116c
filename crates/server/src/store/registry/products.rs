//! Products: what devices are registered under.

use ota_model::audit::{Target, TargetType};
use ota_model::registry::{ProductCreated, ProductInfo};
use ota_model::{PageRequest, UtcTime};
use sqlx::FromRow;

use super::offset;
use crate::ids;
use crate::store::db::on;
use crate::store::{Store, Tx};

/// A product as the other areas need it.
#[derive(Debug, Clone, FromRow)]
pub struct Product {
    pub product_key: String,
    pub product_name: String,
    pub node_type: i64,
    pub utc_create: i64,
}

impl Store {
    pub async fn create_product(
        &self,
        instance: &str,
        name: &str,
        node_type: u8,
        description: Option<&str>,
        now: UtcTime,
    ) -> Result<ProductCreated, sqlx::Error> {
        let mut tx = self.begin().await?;
        let product_key = ids::product_key();
        self.audit_target(Target::new(TargetType::Product, &product_key));
        insert_product(&mut tx, instance, &product_key, name, node_type, description, now).await?;
        tx.commit().await?;
        Ok(ProductCreated {
            product_key,
            product_name: name.to_owned(),
            node_type,
            description: description.map(str::to_owned),
        })
    }

    pub async fn product(&self, instance: &str, product_key: &str) -> Result<Option<Product>, sqlx::Error> {
        on!(self.pool, |db| {
            sqlx::query_as(
            "SELECT product_key, product_name, node_type, utc_create FROM products WHERE instance_id = $1 AND product_key = $2",
        )
            .bind(instance)
            .bind(product_key)
            .fetch_optional(db)
            .await
        })
    }

    pub async fn list_products(
        &self,
        instance: &str,
        page: PageRequest,
    ) -> Result<(u64, Vec<ProductInfo>), sqlx::Error> {
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as("SELECT count(*) FROM products WHERE instance_id = $1")
            .bind(instance)
            .fetch_one(db)
            .await)?;
        let rows: Vec<(String, String, i64, Option<String>, i64, i64)> = on!(tx, |db| sqlx::query_as(
            "SELECT p.product_key, p.product_name, p.node_type, p.description, p.utc_create,
                    (SELECT count(*) FROM devices d WHERE d.product_key = p.product_key)
             FROM products p WHERE p.instance_id = $1
             ORDER BY p.utc_create DESC, p.product_key LIMIT $2 OFFSET $3",
        )
        .bind(instance)
        .bind(i64::from(page.page_size))
        .bind(offset(page))
        .fetch_all(db)
        .await)?;
        tx.commit().await?;
        let products = rows
            .into_iter()
            .map(|(product_key, product_name, node_type, description, created, devices)| ProductInfo {
                product_key,
                product_name,
                node_type: node_type as u8,
                description,
                device_count: devices.max(0) as u64,
                gmt_create: created,
            })
            .collect();
        Ok((total.max(0) as u64, products))
    }
}

/// Adds a product.
pub async fn insert_product(
    db: &mut Tx,
    instance: &str,
    product_key: &str,
    name: &str,
    node_type: u8,
    description: Option<&str>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "INSERT INTO products (product_key, instance_id, product_name, description, node_type, utc_create)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(product_key)
    .bind(instance)
    .bind(name)
    .bind(description)
    .bind(i64::from(node_type))
    .bind(now.millis())
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .map(drop)
}
