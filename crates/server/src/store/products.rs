//! Products: the device models packages are built for.

use ota_model::UtcTime;
use sqlx::SqliteConnection;

/// A product to add.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub product_key: String,
    pub product_name: String,
    pub description: Option<String>,
    pub created: UtcTime,
}

/// Adds a product.
pub async fn insert_product(
    db: &mut SqliteConnection,
    product: &NewProduct,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO products (product_key, product_name, description, utc_create) VALUES (?, ?, ?, ?)")
            .bind(&product.product_key)
            .bind(&product.product_name)
            .bind(&product.description)
            .bind(product.created.millis())
            .execute(db)
            .await
            .map(drop)
}
