//! The outbound webhook: signed JSON events about orders, sent to the vendor's own URL.
//!
//! The audit trail (`events`) is the source: the job runner turns each new event of a kind the
//! webhook carries into a `webhook` job (at most one per event, by its dedupe key, however many
//! replicas look), with its body fixed then, so retries send the same bytes. Deliveries are
//! retried through the jobs table like any job, and admins see them (and retry dead ones) in the
//! outbox.
//!
//! Each request carries `X-Orderdesk-Event` (the type), `X-Orderdesk-Delivery` (the event's ID,
//! the same on every retry: receivers deduplicate by it), `X-Orderdesk-Timestamp` (Unix seconds of
//! this attempt) and `X-Orderdesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
//! keyed with the shared secret.

use std::time::Duration;

use anyhow::Context as _;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use app::model::EventKind;

use crate::db::jobs::{self, NewJob};
use crate::db::{Database, now_ms};

/// Jobs that deliver one event to the webhook.
pub const JOB_KIND: &str = "webhook";

/// Attempts before a delivery is dead (with the default pauses: about six hours).
const MAX_ATTEMPTS: i64 = 12;

/// Where events go, and the secret they are signed with.
#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: SecretString,
    pub http: reqwest::Client,
}

impl Webhook {
    pub fn new(url: String, secret: SecretString) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("building the webhook's HTTP client")?;
        Ok(Webhook { url, secret, http })
    }
}

/// A delivery's job payload: the event's type and ID, and the body to send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub event: String,
    pub delivery_id: String,
    pub body: String,
}

/// `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The newest event ID old enough that it was surely handled before this process started: where
/// this process starts looking (events recorded before the webhook was configured are not sent).
pub async fn starting_point(db: &Database) -> crate::db::Result<i64> {
    crate::db::webhooks::newest_event_before(db.pool(), now_ms() - 10 * 60 * 1000).await
}

/// Queues a delivery for every carried event after `after_id` that has none yet (up to a batch);
/// the ID to look after next time: every event older than a minute is committed by then, so
/// once a pass found them all, later passes need not look at them again.
pub async fn dispatch(db: &Database, after_id: i64) -> anyhow::Result<i64> {
    const BATCH: usize = 500;
    let settled = crate::db::webhooks::settled_after(db.pool(), after_id, now_ms() - 60_000).await?;
    // The kinds of the audit trail the webhook carries (`EventKind::webhook_name`).
    let kinds: Vec<&str> = EventKind::ALL
        .iter()
        .filter(|kind| kind.webhook_name().is_some())
        .map(|kind| kind.as_str())
        .collect();
    let pending = crate::db::webhooks::undelivered(db.pool(), after_id, &kinds, BATCH).await?;
    let complete = pending.len() < BATCH;
    for event in pending {
        let name = EventKind::parse(&event.kind).and_then(EventKind::webhook_name).unwrap_or("order.event");
        let occurred =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(event.created_at_ms) * 1_000_000)
                .ok()
                .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                .unwrap_or_default();
        let detail: serde_json::Value = serde_json::from_str(&event.detail).unwrap_or_default();
        let body = serde_json::json!({
            "id": event.id.to_string(),
            "type": name,
            "occurred_at": occurred,
            "actor": event.actor,
            "subscription_id": event.subscription_id,
            "order": {
                "state": event.lifecycle_state,
                "product_id": event.product_id,
                "plan": event.pricing_plan,
                "project_id": event.project_id,
                "organization_id": event.organization_id,
                "contact_email": event.contact_email,
            },
            "detail": detail,
        });
        let delivery =
            Delivery { event: name.to_string(), delivery_id: event.id.to_string(), body: body.to_string() };
        let key = format!("webhook:{}", event.id);
        let job = NewJob {
            kind: JOB_KIND,
            payload: serde_json::to_value(&delivery)?,
            max_attempts: MAX_ATTEMPTS,
            dedupe_key: Some(&key),
        };
        jobs::enqueue_once(db.pool(), &job).await?;
    }
    Ok(if complete { settled } else { after_id })
}

/// Sends one delivery; any answer but 2xx is a failure worth another attempt.
pub async fn deliver(hook: &Webhook, payload: &str) -> anyhow::Result<()> {
    let delivery: Delivery = serde_json::from_str(payload).context("unreadable webhook delivery")?;
    let timestamp = now_ms() / 1000;
    let answer = hook
        .http
        .post(&hook.url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("X-Orderdesk-Event", &delivery.event)
        .header("X-Orderdesk-Delivery", &delivery.delivery_id)
        .header("X-Orderdesk-Timestamp", timestamp.to_string())
        .header("X-Orderdesk-Signature", signature(hook.secret.expose_secret(), timestamp, &delivery.body))
        .body(delivery.body)
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("the webhook could not be reached: {}", error.without_url()))?;
    let status = answer.status();
    anyhow::ensure!(status.is_success(), "the webhook answered {status}");
    Ok(())
}

/// For the set-up check: a signed `ping` event (nothing happened to any order), and the status
/// the receiver answered with, or why it could not be reached.
pub async fn ping(hook: &Webhook) -> Result<u16, String> {
    let id = format!("ping-{}", uuid::Uuid::new_v4().simple());
    let timestamp = now_ms() / 1000;
    let occurred = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    let body = serde_json::json!({ "id": id, "type": "ping", "occurred_at": occurred, "actor": "orderdesk" });
    let body = body.to_string();
    let answer = hook
        .http
        .post(&hook.url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("X-Orderdesk-Event", "ping")
        .header("X-Orderdesk-Delivery", &id)
        .header("X-Orderdesk-Timestamp", timestamp.to_string())
        .header("X-Orderdesk-Signature", signature(hook.secret.expose_secret(), timestamp, &body))
        .body(body)
        .send()
        .await
        .map_err(|error| format!("the webhook could not be reached: {}", error.without_url()))?;
    Ok(answer.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_and_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        let sig = signature("secret", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(sig, "sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
        assert_ne!(sig, signature("secret", 1_700_000_001, r#"{"a":1}"#), "the timestamp is signed");
        assert_ne!(sig, signature("other", 1_700_000_000, r#"{"a":1}"#), "the key matters");
    }
}
