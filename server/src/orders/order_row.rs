//! How a subscription as STACKIT lists it becomes an order row, and which of the row's fields
//! are STACKIT's: comparing those decides whether a sync writes anything, and names the fields
//! a change event lists. Kept apart from [`super::reconcile`], which decides what to write.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::db::orders::OrderRow;
use crate::db::setup;
use crate::marketplace::model::Subscription;
use app::model::LifecycleState;

/// The order row a subscription maps to. Our own fields (contact e-mail, first seen) are set
/// for a new order; the upsert keeps them for a known one.
pub fn order_row(subscription: &Subscription, now: i64, product_window_secs: Option<i64>) -> OrderRow {
    let product = &subscription.product;
    let state = subscription.state().as_wire().to_string();
    let email = subscription
        .consumer_notification_email
        .clone()
        .filter(|e| app::model::EmailAddress::parse(e).is_ok());
    let ordered_at_ms = parse_ms(&subscription.ordered_at).unwrap_or(now);
    let window_secs = subscription
        .approval_timeout
        .as_ref()
        .and_then(|d| d.seconds)
        .or(product_window_secs)
        .unwrap_or(setup::DEFAULT_WINDOW_SECS);
    OrderRow {
        subscription_id: subscription.subscription_id.clone(),
        organization_id: subscription.organization_id.clone(),
        project_id: subscription.project_id.clone(),
        lifecycle_state: state,
        lifecycle_state_raw: subscription.lifecycle_state_raw.clone(),
        ordered_at: subscription.ordered_at.clone(),
        ordered_at_ms,
        approval_timeout: subscription.approval_timeout.as_ref().map(|d| d.raw.clone()),
        approval_timeout_secs: subscription.approval_timeout.as_ref().and_then(|d| d.seconds),
        auto_renewal: subscription.auto_renewal.map(i64::from),
        terminates_at: subscription.terminates_at.clone(),
        terminates_at_ms: subscription.terminates_at.as_deref().and_then(parse_ms),
        valid_from: subscription.valid_from.clone(),
        valid_from_ms: subscription.valid_from.as_deref().and_then(parse_ms),
        valid_until: subscription.valid_until.clone(),
        valid_until_ms: subscription.valid_until.as_deref().and_then(parse_ms),
        product_id: product.product_id.clone(),
        product_name: product.product_name.clone(),
        plan_id: product.plan_id.clone(),
        vendor_plan_id: product.vendor_plan_id.clone(),
        vendor_product_id: product.vendor_product_id.clone(),
        price_type: product.price_type.as_wire().to_string(),
        pricing_plan: product.pricing_plan.clone(),
        delivery_method: product.delivery_method.as_wire().to_string(),
        product_lifecycle_state: product.lifecycle_state.as_wire().to_string(),
        vendor_name: product.vendor_name.clone(),
        vendor_website_url: product.vendor_website_url.clone(),
        rate: product.rate.clone(),
        validity_period: product.validity_period.raw.clone(),
        validity_period_secs: product.validity_period.seconds,
        notice_period: product.notice_period.raw.clone(),
        notice_period_secs: product.notice_period.seconds,
        assets_json: product.assets.as_ref().and_then(|a| serde_json::to_string(a).ok()),
        contact_email_source: email.as_ref().map(|_| "stackit".to_string()),
        contact_email: email.clone(),
        consumer_notification_email: email,
        instance_target: None,
        first_seen_at_ms: now,
        updated_at_ms: now,
        deadline_ms: ordered_at_ms.saturating_add(window_secs.saturating_mul(1000)),
        queue_rank: i64::from(subscription.state() != LifecycleState::Pending),
    }
}

fn parse_ms(text: &str) -> Option<i64> {
    let time = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The fields STACKIT owns, as (name, value) pairs, for comparing a stored order with a fresh one.
fn stackit_fields(row: &OrderRow) -> [(&'static str, String); 34] {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        ("organization_id", row.organization_id.clone()),
        ("project_id", row.project_id.clone()),
        ("lifecycle_state", row.lifecycle_state.clone()),
        ("lifecycle_state_raw", row.lifecycle_state_raw.clone()),
        ("ordered_at", row.ordered_at.clone()),
        ("ordered_at_ms", row.ordered_at_ms.to_string()),
        ("approval_timeout", o(&row.approval_timeout)),
        ("approval_timeout_secs", n(row.approval_timeout_secs)),
        ("auto_renewal", n(row.auto_renewal)),
        ("terminates_at", o(&row.terminates_at)),
        ("valid_from", o(&row.valid_from)),
        ("valid_until", o(&row.valid_until)),
        ("product_id", row.product_id.clone()),
        ("product_name", row.product_name.clone()),
        ("plan_id", row.plan_id.clone()),
        ("vendor_plan_id", o(&row.vendor_plan_id)),
        ("vendor_product_id", o(&row.vendor_product_id)),
        ("price_type", row.price_type.clone()),
        ("pricing_plan", row.pricing_plan.clone()),
        ("delivery_method", row.delivery_method.clone()),
        ("product_lifecycle_state", row.product_lifecycle_state.clone()),
        ("vendor_name", row.vendor_name.clone()),
        ("vendor_website_url", row.vendor_website_url.clone()),
        ("rate", row.rate.clone()),
        ("validity_period", row.validity_period.clone()),
        ("validity_period_secs", n(row.validity_period_secs)),
        ("notice_period", row.notice_period.clone()),
        ("notice_period_secs", n(row.notice_period_secs)),
        ("assets_json", o(&row.assets_json)),
        ("consumer_notification_email", o(&row.consumer_notification_email)),
        ("terminates_at_ms", n(row.terminates_at_ms)),
        ("valid_from_ms", n(row.valid_from_ms)),
        ("valid_until_ms", n(row.valid_until_ms)),
        ("deadline_ms", row.deadline_ms.to_string()),
    ]
}

pub(super) fn same_stackit_fields(stored: &OrderRow, incoming: &OrderRow) -> bool {
    stackit_fields(stored) == stackit_fields(incoming)
}

pub(super) fn changed_fields(stored: &OrderRow, incoming: &OrderRow) -> Vec<&'static str> {
    stackit_fields(stored)
        .into_iter()
        .zip(stackit_fields(incoming))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription(state: &str, email: &str) -> Subscription {
        serde_json::from_value(serde_json::json!({
            "subscriptionId": "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70",
            "organizationId": "0b6a5e0e-3a07-4c36-9f8b-64b0b7e6a2d1",
            "projectId": "4f3c2b1a-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
            "lifecycleState": state,
            "orderedAt": "2026-11-20T09:30:00Z",
            "approvalTimeout": "3600s",
            "consumerNotificationEmail": email,
            "product": {
                "productId": "datavault-1a2b3c4d", "productName": "DataVault", "planId": "business-9f8e7d6c",
                "priceType": "CONTRACT", "pricingPlan": "monthly", "deliveryMethod": "SAAS",
                "lifecycleState": "PRODUCT_LIVE", "vendorName": "V", "vendorWebsiteUrl": "https://v.example",
                "rate": "9,90€", "validityPeriod": "P1M", "noticePeriod": "P30D"
            }
        }))
        .unwrap()
    }

    #[test]
    fn the_deadline_is_the_order_time_plus_the_subscriptions_own_window() {
        let row = order_row(&subscription("SUBSCRIPTION_PENDING", "ops@customer.example"), 5, Some(86_400));
        let ordered = parse_ms("2026-11-20T09:30:00Z").unwrap();
        assert_eq!(row.ordered_at_ms, ordered);
        assert_eq!(row.deadline_ms, ordered + 3_600_000, "the subscription's window wins over the product's");
        assert_eq!(row.queue_rank, 0, "a pending order leads the queue");
        assert_eq!(row.contact_email.as_deref(), Some("ops@customer.example"));
    }

    #[test]
    fn an_address_that_is_not_one_is_not_kept_as_the_contact() {
        let row = order_row(&subscription("SUBSCRIPTION_PENDING", "not an address"), 5, None);
        assert_eq!(row.contact_email, None);
        assert_eq!(row.contact_email_source, None);
    }

    #[test]
    fn only_stackits_fields_count_as_a_change() {
        let stored = order_row(&subscription("SUBSCRIPTION_PENDING", "ops@customer.example"), 5, None);
        let mut ours = stored.clone();
        ours.first_seen_at_ms = 99;
        ours.updated_at_ms = 99;
        ours.instance_target = Some("https://instance.example".into());
        assert!(same_stackit_fields(&stored, &ours), "our own fields are not STACKIT's");
        let active = order_row(&subscription("SUBSCRIPTION_ACTIVE", "ops@customer.example"), 5, None);
        assert!(!same_stackit_fields(&stored, &active));
        assert_eq!(changed_fields(&stored, &active), ["lifecycle_state", "lifecycle_state_raw"]);
    }
}
