//! The orders inbox and the work on one order. Reading needs a viewer, changing an operator;
//! every function checks that itself, on the server.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{InboxPage, InboxQuery, OrderDetail};

/// Where a form on the order page sends the browser back to.
#[cfg(feature = "ssr")]
fn order_path(subscription_id: &str) -> String {
    format!("/orders/{}", crate::url::urlencode(subscription_id))
}

/// One page of the inbox.
#[server(prefix = "/api", endpoint = "list_orders")]
pub async fn list_orders(query: InboxQuery) -> Result<InboxPage, AppError> {
    use crate::model::Role;
    let result = async {
        let viewer = super::session::require(Role::Viewer).await?;
        let ports = super::ports::ports()?;
        let page = ports.orders.inbox(&query, &viewer).await?;
        // The view is remembered for the order pages opened from it (their previous/next); one
        // too long for a cookie is forgotten rather than leaving an older one in place.
        let view = InboxQuery { after: None, ..query }.query_string(None);
        let view = if view.len() <= VIEW_COOKIE_MAX { view } else { String::new() };
        let (secure, age) = (ports.secure_cookies, ports.session_max_age_secs);
        super::session::set_credential(super::session::VIEW_COOKIE, &view, secure, age);
        Ok(page)
    }
    .await;
    result.or_else(super::ports::fail)
}

/// The longest inbox view kept in the view cookie (see `session::VIEW_COOKIE`).
#[cfg(feature = "ssr")]
const VIEW_COOKIE_MAX: usize = 1_000;

/// The orders before and after this one in the inbox view last opened, and the way back to it.
#[server(prefix = "/api", endpoint = "order_neighbours")]
pub async fn order_neighbours(subscription_id: String) -> Result<crate::model::Neighbours, AppError> {
    use crate::model::Role;
    let result = async {
        let viewer = super::session::require(Role::Viewer).await?;
        let view = super::session::read_credential(super::session::VIEW_COOKIE).unwrap_or_default();
        let pairs = crate::url::query_pairs(&view);
        let get = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let query = InboxQuery::from_params(get);
        match super::ports::ports()?.orders.neighbours(&query, &subscription_id, &viewer).await {
            // A view remembered from before a change of filters that no longer parses: the
            // default view instead.
            Err(AppError::Validation { .. }) => {
                super::ports::ports()?
                    .orders
                    .neighbours(&InboxQuery::default(), &subscription_id, &viewer)
                    .await
            }
            other => other,
        }
    }
    .await;
    result.or_else(super::ports::fail)
}

/// What changed since a page was drawn at `cursor`; with `order`, on that order's page (which
/// also marks the viewer as having it open). Polled by open pages (see `components::live`).
#[server(prefix = "/api", endpoint = "live")]
pub async fn live(cursor: i64, order: Option<String>) -> Result<crate::model::Live, AppError> {
    use crate::model::Role;
    let result = async {
        let viewer = super::session::require(Role::Viewer).await?;
        let order = order.filter(|o| !o.is_empty() && o.len() <= 100);
        super::ports::ports()?.orders.live(cursor.max(0), order.as_deref(), &viewer).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// The order page's data.
#[server(prefix = "/api", endpoint = "get_order")]
pub async fn get_order(subscription_id: String) -> Result<OrderDetail, AppError> {
    use crate::model::Role;
    let result = async {
        super::session::require(Role::Viewer).await?;
        super::ports::ports()?.orders.order(&subscription_id, super::ports::request_locale()).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Sets the customer's contact e-mail (source: operator).
#[server(prefix = "/api", endpoint = "set_contact_email")]
pub async fn set_contact_email(subscription_id: String, email: String) -> Result<(), AppError> {
    use crate::model::Role;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        super::ports::ports()?.orders.set_contact_email(&subscription_id, email.trim(), &by).await
    }
    .await;
    let back = order_path(&subscription_id);
    super::ports::finish_form(result, &format!("{back}?done=contact#contact"), &back)
}

/// Ticks (`done = true`) or unticks a checklist step.
#[server(prefix = "/api", endpoint = "set_step")]
pub async fn set_step(subscription_id: String, step_id: String, done: bool) -> Result<(), AppError> {
    use crate::model::Role;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        super::ports::ports()?.orders.set_step(&subscription_id, &step_id, done, &by).await
    }
    .await;
    // Back at the step, with what happened and a way to undo it.
    let back = order_path(&subscription_id);
    let step = crate::url::urlencode(&step_id);
    let what = if done { "ticked" } else { "reopened" };
    super::ports::finish_form(result, &format!("{back}?done={what}&step={step}#step-{step}"), &back)
}

/// Adds an internal note (plain text, shown escaped).
#[server(prefix = "/api", endpoint = "add_note")]
pub async fn add_note(subscription_id: String, body: String) -> Result<(), AppError> {
    use crate::model::Role;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        super::ports::ports()?.orders.add_note(&subscription_id, &body, &by).await
    }
    .await;
    let back = order_path(&subscription_id);
    super::ports::finish_form(result, &format!("{back}?done=noted#notes"), &back)
}

/// Assigns the order; an empty `assignee` unassigns it. From the inbox (`back`, the view it was
/// taken in) it returns there, at the order's row; anything else returns to the order.
#[server(prefix = "/api", endpoint = "assign_order")]
pub async fn assign_order(
    subscription_id: String,
    assignee: String,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::model::Role;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        let assignee = Some(assignee.trim()).filter(|a| !a.is_empty());
        super::ports::ports()?.orders.assign(&subscription_id, assignee, &by).await
    }
    .await;
    match crate::url::inbox_return(back.as_deref()) {
        Some(inbox) => {
            let row = format!("{inbox}#order-{}", crate::url::urlencode(&subscription_id));
            super::ports::finish_form(result, &row, &inbox)
        }
        None => {
            let back = order_path(&subscription_id);
            super::ports::finish_form(result, &format!("{back}?done=assigned#work"), &back)
        }
    }
}

/// Approves the order at STACKIT, optionally with the URL of the customer's instance.
#[server(prefix = "/api", endpoint = "approve_order")]
pub async fn approve_order(
    subscription_id: String,
    instance_url: Option<String>,
    open_steps_confirmed: Option<String>,
) -> Result<(), AppError> {
    use crate::model::Role;
    // The form's "approve anyway" tick when steps are open: the form asks for it, the server
    // does not (whether the setup is done is the operator's call, and scripts approve too).
    let _ = open_steps_confirmed;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        let target = instance_target(instance_url.as_deref())?;
        super::ports::ports()?.orders.approve(&subscription_id, target, &by).await
    }
    .await;
    let back = order_path(&subscription_id);
    super::ports::finish_form(result, &format!("{back}?done=approved"), &back)
}

/// Rejects the order at STACKIT (preview products only) with a reason.
#[server(prefix = "/api", endpoint = "reject_order")]
pub async fn reject_order(subscription_id: String, reason: String) -> Result<(), AppError> {
    use crate::model::Role;
    let result = async {
        let by = super::session::require(Role::Operator).await?;
        if reason.trim().is_empty() {
            return Err(AppError::invalid("reason", "Say why the order is rejected."));
        }
        super::ports::ports()?.orders.reject(&subscription_id, reason.trim(), &by).await
    }
    .await;
    let back = order_path(&subscription_id);
    super::ports::finish_form(result, &back, &back)
}

/// The instance address an approval gives the customer: none when blank, else a full http(s)
/// address (for the form and the automation API alike).
pub fn instance_target(url: Option<&str>) -> Result<Option<&str>, AppError> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if !is_http_url(url) => {
            Err(AppError::invalid("instance_url", "Enter a full http:// or https:// address."))
        }
        target => Ok(target),
    }
}

/// An absolute http(s) URL with a host and no spaces.
pub fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty()
            && !host.starts_with(':')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn instance_urls_must_be_absolute_http() {
        for good in ["https://acme.example", "http://10.0.0.1:8080/app?x=1"] {
            assert!(super::is_http_url(good), "{good}");
        }
        for bad in [
            "acme.example",
            "ftp://acme.example",
            "https://",
            "https://a b",
            "javascript:alert(1)",
            "https://:80",
        ] {
            assert!(!super::is_http_url(bad), "{bad}");
        }
    }
}

/// Syncs with STACKIT now; a browser posting the form comes back to the inbox with the result.
#[server(prefix = "/api", endpoint = "sync_now")]
pub async fn sync_now() -> Result<(u64, u64, u64), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Operator).await?;
        super::ports::ports()?.orders.sync_now().await
    }
    .await;
    let done = match &result {
        Ok((new, changed, unchanged)) => format!("/orders?synced={new}-{changed}-{unchanged}"),
        Err(_) => "/orders".to_string(),
    };
    super::ports::finish_form(result, &done, "/orders")
}
