//! Device groups: the static targets of batches that name a group.

use ota_model::audit::{Target, TargetType};
use ota_model::registry::{GroupInfo, GroupRelationsAdded};
use ota_model::{PageRequest, UtcTime};

use super::registry::offset;
use super::{Store, time};
use crate::ids;
use crate::store::Tx;
use crate::store::db::on;

impl Store {
    pub async fn create_group(
        &self,
        instance: &str,
        name: &str,
        desc: Option<&str>,
        now: UtcTime,
    ) -> Result<GroupInfo, sqlx::Error> {
        let mut tx = self.begin().await?;
        let group_id = ids::random(16);
        self.audit_target(Target::new(TargetType::Group, &group_id));
        insert_group(&mut tx, instance, &group_id, name, desc, now).await?;
        tx.commit().await?;
        Ok(GroupInfo { group_id, group_name: name.to_owned(), group_desc: desc.map(str::to_owned), utc_create: now })
    }

    pub async fn group_exists(&self, instance: &str, group_id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM device_groups WHERE instance_id = $1 AND group_id = $2"
        )
        .bind(instance)
        .bind(group_id)
        .fetch_optional(db)
        .await)?;
        Ok(found.is_some())
    }

    pub async fn list_groups(
        &self,
        instance: &str,
        name_part: Option<&str>,
        page: PageRequest,
    ) -> Result<(u64, Vec<GroupInfo>), sqlx::Error> {
        const FILTER: &str = "WHERE instance_id = $1 AND ($2 IS NULL OR instr(lower(group_name), lower($2)) > 0)";
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as(&format!("SELECT count(*) FROM device_groups {FILTER}"))
            .bind(instance)
            .bind(name_part)
            .fetch_one(db)
            .await)?;
        let rows: Vec<(String, String, Option<String>, i64)> = on!(tx, |db| sqlx::query_as(&format!(
            "SELECT group_id, group_name, group_desc, utc_create FROM device_groups {FILTER}
             ORDER BY utc_create DESC, group_id LIMIT $3 OFFSET $4"
        ))
        .bind(instance)
        .bind(name_part)
        .bind(i64::from(page.page_size))
        .bind(offset(page))
        .fetch_all(db)
        .await)?;
        tx.commit().await?;
        let groups = rows
            .into_iter()
            .map(|(group_id, group_name, group_desc, created)| {
                Ok(GroupInfo { group_id, group_name, group_desc, utc_create: time("utc_create", created)? })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((total.max(0) as u64, groups))
    }

    /// Adds devices to a group, all in one transaction; devices in ten groups already are
    /// left out, as Alibaba does.
    pub async fn add_group_members(
        &self,
        instance: &str,
        group_id: &str,
        devices: &[(String, String)],
    ) -> Result<GroupRelationsAdded, sqlx::Error> {
        let mut tx = self.begin().await?;
        let mut added = GroupRelationsAdded {
            valid_device_count: 0,
            already_related_group_device_count: 0,
            exceed_ten_group_device_count: 0,
            success_added_device_count: 0,
        };
        for (product_key, device_name) in devices {
            let found: Option<(String,)> = on!(tx, |db| sqlx::query_as(
                "SELECT d.iot_id FROM devices d JOIN products p ON p.product_key = d.product_key
                 WHERE p.instance_id = $1 AND d.product_key = $2 AND d.device_name = $3",
            )
            .bind(instance)
            .bind(product_key)
            .bind(device_name)
            .fetch_optional(db)
            .await)?;
            let Some((iot_id,)) = found else { continue };
            added.valid_device_count += 1;
            let (member, groups): (bool, i64) = on!(tx, |db| sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM device_group_members WHERE group_id = $1 AND iot_id = $2),
                        (SELECT count(*) FROM device_group_members WHERE iot_id = $3)",
            )
            .bind(group_id)
            .bind(&iot_id)
            .bind(&iot_id)
            .fetch_one(db)
            .await)?;
            if member {
                added.already_related_group_device_count += 1;
            } else if groups >= 10 {
                added.exceed_ten_group_device_count += 1;
            } else {
                on!(tx, |db| sqlx::query("INSERT INTO device_group_members (group_id, iot_id) VALUES ($1, $2)")
                    .bind(group_id)
                    .bind(&iot_id)
                    .execute(db)
                    .await
                    .map(|done| done.rows_affected()))?;
                added.success_added_device_count += 1;
            }
        }
        tx.commit().await?;
        Ok(added)
    }
}

async fn insert_group(
    db: &mut Tx,
    instance: &str,
    group_id: &str,
    name: &str,
    desc: Option<&str>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "INSERT INTO device_groups (group_id, instance_id, group_name, group_desc, utc_create) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(group_id)
    .bind(instance)
    .bind(name)
    .bind(desc)
    .bind(now.millis())
    .execute(db)
    .await.map(|done| done.rows_affected()))
    .map(drop)
}
