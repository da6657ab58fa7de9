//! An order's history and record in words, in the reader's language: who acted, what each event
//! says, and the labels of the fields STACKIT sends (the order page and the audit log).

use app::i18n::{FieldText, Locale, TimelineText};
use app::model::{Actor, EventKind, LifecycleState};

use crate::db::orders::OrderRow;

/// Labels for the fields STACKIT sends, in the spec's order, in the reader's language.
pub fn stackit_fields(row: &OrderRow, locale: Locale) -> Vec<(String, String)> {
    use FieldText as F;
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let duration = |raw: &str, secs: Option<i64>| match secs {
        Some(s) if s % 86_400 == 0 => locale.f(F::Days, &[("n", &(s / 86_400)), ("raw", &raw)]),
        Some(s) => locale.f(F::Seconds, &[("n", &s), ("raw", &raw)]),
        None if raw.is_empty() => "—".into(),
        None => raw.to_string(),
    };
    let yes_no = |v: i64| locale.t(if v == 1 { F::Yes } else { F::No }).to_string();
    [
        (F::Subscription, row.subscription_id.clone()),
        (F::Organization, row.organization_id.clone()),
        (F::Project, row.project_id.clone()),
        (F::LifecycleState, row.lifecycle_state_raw.clone()),
        (F::OrderedAt, row.ordered_at.clone()),
        (
            F::ApprovalTimeout,
            duration(row.approval_timeout.as_deref().unwrap_or_default(), row.approval_timeout_secs),
        ),
        (F::AutoRenewal, row.auto_renewal.map_or("—".into(), yes_no)),
        (F::ValidFrom, text(&row.valid_from)),
        (F::ValidUntil, text(&row.valid_until)),
        (F::TerminatesAt, text(&row.terminates_at)),
        (F::Product, format!("{} ({})", row.product_name, row.product_id)),
        (F::ProductState, row.product_lifecycle_state.clone()),
        (F::Plan, row.plan_id.clone()),
        (F::PricingPlan, row.pricing_plan.clone()),
        (F::PriceType, row.price_type.clone()),
        (F::Rate, row.rate.clone()),
        (F::ValidityPeriod, duration(&row.validity_period, row.validity_period_secs)),
        (F::NoticePeriod, duration(&row.notice_period, row.notice_period_secs)),
        (F::DeliveryMethod, row.delivery_method.clone()),
        (F::VendorPlanId, text(&row.vendor_plan_id)),
        (F::VendorProductId, text(&row.vendor_product_id)),
        (F::Vendor, format!("{} ({})", row.vendor_name, row.vendor_website_url)),
    ]
    .into_iter()
    .map(|(label, value)| (locale.t(label).to_string(), value))
    .collect()
}

/// Who did it, in words: an operator's name, STACKIT, or Orderdesk itself.
pub fn actor_name(actor: &str, operator_name: Option<String>) -> String {
    operator_name.unwrap_or_else(|| match Actor::parse(actor) {
        Actor::Stackit => "STACKIT".into(),
        Actor::Token(name) => format!("{name} (API)"),
        Actor::Operator(_) | Actor::Orderdesk => "Orderdesk".into(),
    })
}

/// A timeline line from an event, in the reader's language.
pub fn summary(kind: &str, detail: &serde_json::Value, locale: Locale) -> String {
    use TimelineText as T;
    let field = |name: &str| detail.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let one = |key: T, name: &str| locale.f(key, &[(name, &field(name))]);
    // A lifecycle state in words, as everywhere else on the page (STACKIT's own text for a state
    // this version does not know).
    let state = |name: &str| {
        let raw = field(name);
        match LifecycleState::from_wire(&raw) {
            LifecycleState::Unknown => raw,
            known => locale.t(known.text()).to_string(),
        }
    };
    let Some(known) = EventKind::parse(kind) else { return kind.to_string() };
    match known {
        EventKind::OrderCreated => locale.f(T::Created, &[("state", &state("state"))]),
        EventKind::StateChanged => {
            locale.f(T::StateChanged, &[("from", &state("from")), ("to", &state("to"))])
        }
        EventKind::OrderUpdated => locale.t(T::Updated).into(),
        EventKind::StepDone => one(T::StepDone, "step"),
        EventKind::StepUndone => one(T::StepUndone, "step"),
        EventKind::NoteAdded => locale.t(T::NoteAdded).into(),
        EventKind::ContactChanged => one(T::ContactChanged, "email"),
        EventKind::OrderAssigned => match detail.get("to").and_then(|v| v.as_str()) {
            Some(name) => locale.f(T::Assigned, &[("name", &name)]),
            None => locale.t(T::Unassigned).into(),
        },
        EventKind::OrderApproved => match detail.get("instance_target").and_then(|v| v.as_str()) {
            Some(url) => locale.f(T::ApprovedWithInstance, &[("url", &url)]),
            None => locale.t(T::Approved).into(),
        },
        EventKind::OrderRejected => one(T::Rejected, "reason"),
        EventKind::DecisionFailed => one(T::DecisionFailed, "error"),
        EventKind::StepsCarried => {
            let steps: Vec<&str> = detail
                .get("steps")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            locale.f(T::StepsCarried, &[("steps", &steps.join(", ")), ("from", &field("from"))])
        }
        EventKind::DecisionQueued => match detail.get("decision").and_then(|v| v.as_str()) {
            Some("rejected") => locale.t(T::RejectionQueued).into(),
            _ => locale.t(T::ApprovalQueued).into(),
        },
        EventKind::PlanChangedFrom | EventKind::PlanChangedTo => {
            let text = |key: &str| detail.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (key, id) = if known == EventKind::PlanChangedFrom {
                (T::PlanChangedFrom, text("from"))
            } else {
                (T::PlanChangedTo, text("to"))
            };
            locale.f(key, &[("id", &id), ("from", &text("from_plan")), ("to", &text("to_plan"))])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_as_words_in_the_reader_s_language() {
        let changed = serde_json::json!({ "from": "SUBSCRIPTION_PENDING", "to": "SUBSCRIPTION_ACTIVE" });
        let english = summary(EventKind::StateChanged.as_str(), &changed, Locale::En);
        assert!(!english.contains("SUBSCRIPTION_"), "{english}");
        assert!(english.contains(Locale::En.t(LifecycleState::Active.text())), "{english}");
        let german = summary(EventKind::StateChanged.as_str(), &changed, Locale::De);
        assert!(german.contains(Locale::De.t(LifecycleState::Pending.text())), "{german}");
        // A state this version does not know keeps STACKIT's own text.
        let created = serde_json::json!({ "state": "SUBSCRIPTION_FROZEN" });
        assert!(
            summary(EventKind::OrderCreated.as_str(), &created, Locale::En).contains("SUBSCRIPTION_FROZEN")
        );
    }
}
