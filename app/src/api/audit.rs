//! The audit log: every event on every order, for admins.

use leptos::prelude::*;

use crate::error::AppError;

/// The audit log (admins only).
#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(filter: crate::model::AuditFilter) -> Result<Vec<crate::model::AuditEntry>, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.orders.audit(&filter, super::ports::request_locale()).await
    }
    .await;
    result.or_else(super::ports::fail)
}
