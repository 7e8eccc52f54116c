//! Products: the device models packages are built for.

use ota_model::UtcTime;

use super::Store;

/// A product to add.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub product_key: String,
    pub product_name: String,
    pub description: Option<String>,
    pub created: UtcTime,
}

impl Store {
    pub async fn insert_product(&self, product: &NewProduct) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO products (product_key, product_name, description, utc_create) VALUES (?, ?, ?, ?)")
            .bind(&product.product_key)
            .bind(&product.product_name)
            .bind(&product.description)
            .bind(product.created.millis())
            .execute(&self.pool)
            .await
            .map(drop)
    }
}
