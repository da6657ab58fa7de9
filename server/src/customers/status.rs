//! What a customer sees of their orders: the list across their projects and each order's setup
//! status, with only the checklist steps the vendor marked as visible to customers.

use app::api::ports::CustomerOrders;
use app::error::AppError;
use app::model::{Customer, CustomerPhase, CustomerStatus, CustomerStep, CustomerSubscription};
use async_trait::async_trait;

use super::{DbCustomers, to_subscription};
use crate::db::customers as queries;

#[async_trait]
impl CustomerOrders for DbCustomers {
    async fn subscriptions(&self, customer: &Customer) -> Result<Vec<CustomerSubscription>, AppError> {
        let rows = queries::orders_of(self.db.pool(), &customer.id).await?;
        Ok(rows.iter().map(to_subscription).collect())
    }

    async fn status(&self, customer: &Customer, subscription_id: &str) -> Result<CustomerStatus, AppError> {
        let pool = self.db.pool();
        let row = queries::order_of(pool, &customer.id, subscription_id).await?.ok_or(AppError::NotFound)?;
        let steps = queries::visible_steps(pool, subscription_id).await?;
        let summary = to_subscription(&row);
        Ok(CustomerStatus {
            instance_url: row.instance_target.filter(|_| summary.phase == CustomerPhase::Active),
            summary,
            steps: steps
                .into_iter()
                .map(|s| CustomerStep { wording: s.wording.into(), done_at_ms: s.done_at_ms })
                .collect(),
            vendor_name: row.vendor_name,
            vendor_website_url: row.vendor_website_url,
        })
    }
}
