//! Notices: what happened to an order that someone should hear of by mail. A notice is queued as
//! a `notify` job in the same transaction as the change (at most once per event, by its dedupe
//! key); the job runner turns it into one mail job per recipient, in the reader's language, and
//! completes the notice in that same transaction, so no mail is lost or doubled.

use anyhow::Context as _;
use app::i18n::{Clock, Locale, MailText};
use serde::{Deserialize, Serialize};

use super::Mail;
use crate::db::jobs::{self, NewJob};
use crate::db::{Database, orders};

/// The kind of job that carries a notice.
pub const JOB_KIND: &str = "notify";

/// Something that happened to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Notice {
    /// A pending order arrived: the operators hear of it.
    NewOrder,
    /// A first sync found `waiting` orders waiting for approval at once (thousands, when a
    /// vendor connects a product that sells already): the operators hear of them in one mail,
    /// not one each. About no single order (its subscription ID is empty).
    Backlog { waiting: u64 },
    /// A customer account was linked to the order: they get "order received".
    Linked { customer_id: String },
    /// A step the customer sees was done (`title` is the operators' own, for the record; the mail
    /// says what the customer reads of the step).
    StepDone { step_id: String, title: String },
    /// The order became active: the customers get the instance link.
    Active,
    /// A pending order's approval deadline is `days` away: the operators are reminded, once per
    /// configured threshold.
    DeadlineNear { days: u32 },
    /// A cancelled subscription has ended: the operators remove the customer's instance.
    Deprovision,
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    subscription_id: String,
    notice: Notice,
}

/// What mails need beyond the order: where links point, and the vendor's configured name.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub origin: String,
    pub vendor_name: Option<String>,
    /// The vendor's default time zone, for customers (whose zone Orderdesk does not know).
    pub zone: Clock,
}

/// The key that makes a notice about an order queue at most once.
fn dedupe_key(subscription_id: &str, notice: &Notice) -> String {
    match notice {
        Notice::NewOrder => format!("notify:new:{subscription_id}"),
        Notice::Backlog { .. } => "notify:backlog".to_string(),
        Notice::Linked { customer_id } => format!("notify:linked:{subscription_id}:{customer_id}"),
        Notice::StepDone { step_id, .. } => format!("notify:step:{step_id}"),
        Notice::Active => format!("notify:active:{subscription_id}"),
        Notice::DeadlineNear { days } => format!("notify:deadline:{subscription_id}:{days}"),
        Notice::Deprovision => format!("notify:deprovision:{subscription_id}"),
    }
}

fn job<'a>(subscription_id: &str, notice: &Notice, key: &'a str) -> NewJob<'a> {
    let payload = Payload { subscription_id: subscription_id.to_string(), notice: notice.clone() };
    NewJob {
        kind: JOB_KIND,
        payload: serde_json::to_value(&payload).unwrap_or_default(),
        max_attempts: 8,
        dedupe_key: Some(key),
    }
}

/// Queues `notice` about an order, unless the same event was queued before.
pub async fn queue<'e, E>(executor: E, subscription_id: &str, notice: &Notice) -> crate::db::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let key = dedupe_key(subscription_id, notice);
    jobs::enqueue_once(executor, &job(subscription_id, notice, &key)).await
}

/// Queues `notice` about each of several orders, a statement per hundred (once each, as `queue`
/// does); the number queued.
pub async fn queue_many(
    tx: &mut sqlx::AnyConnection,
    subscription_ids: &[&str],
    notice: &Notice,
) -> crate::db::Result<u64> {
    let keys: Vec<String> = subscription_ids.iter().map(|id| dedupe_key(id, notice)).collect();
    let jobs: Vec<NewJob> =
        subscription_ids.iter().zip(&keys).map(|(id, key)| job(id, notice, key)).collect();
    jobs::enqueue_once_many(tx, &jobs).await
}

/// Turns the notice in `payload` into mails and completes job `job_id` of `worker`, in one
/// transaction. An order that no longer exists has nobody to tell.
pub async fn expand(
    db: &Database,
    payload: &str,
    ctx: &MailContext,
    job_id: &str,
    worker: &str,
) -> anyhow::Result<()> {
    let payload: Payload = serde_json::from_str(payload).context("unreadable notice")?;
    let pool = db.pool();
    let mails = match &payload.notice {
        // About no single order: nothing to look up.
        Notice::Backlog { waiting } => backlog(db, *waiting, ctx).await?,
        notice => match orders::get(pool, &payload.subscription_id).await? {
            Some(order) => compose(db, &order, notice, ctx).await?,
            None => Vec::new(),
        },
    };
    let mut tx = crate::db::begin(pool).await?;
    for mail in &mails {
        jobs::enqueue(&mut *tx, &mail.job()).await?;
    }
    jobs::complete(&mut *tx, job_id, worker).await?;
    tx.commit().await?;
    Ok(())
}

/// The operators' mails about a first sync's waiting orders, each in their language.
async fn backlog(db: &Database, waiting: u64, ctx: &MailContext) -> anyhow::Result<Vec<Mail>> {
    let link = format!("{}/orders", ctx.origin);
    let operators = crate::db::operators::mail_recipients(db.pool()).await?;
    Ok(operators
        .iter()
        .map(|(to, tag, _)| {
            let locale = Locale::parse(tag).unwrap_or_default();
            let count = locale.number(waiting);
            let values: [(&str, &dyn std::fmt::Display); 2] = [("count", &count), ("link", &link)];
            Mail::compose(to, locale, MailText::BacklogSubject, MailText::BacklogBody, &values)
        })
        .collect())
}

async fn compose(
    db: &Database,
    order: &orders::OrderRow,
    notice: &Notice,
    ctx: &MailContext,
) -> anyhow::Result<Vec<Mail>> {
    let pool = db.pool();
    let vendor = ctx.vendor_name.clone().unwrap_or_else(|| order.vendor_name.clone());
    let status = format!("{}/my/subscriptions/{}", ctx.origin, order.subscription_id);
    let product = order.product_name.as_str();
    let readers = || crate::db::teams::project_readers(pool, &order.project_id);
    let locale = |tag: &str| Locale::parse(tag).unwrap_or_default();
    Ok(match notice {
        Notice::Backlog { waiting } => backlog(db, *waiting, ctx).await?,
        Notice::NewOrder | Notice::DeadlineNear { .. } | Notice::Deprovision => {
            // Each in the language and time zone of the browser they last signed in from.
            let operators = crate::db::operators::mail_recipients(pool).await?;
            let link = format!("{}/orders/{}", ctx.origin, order.subscription_id);
            let days = match notice {
                Notice::DeadlineNear { days } => days.to_string(),
                _ => String::new(),
            };
            let (subject, body) = match notice {
                Notice::DeadlineNear { .. } => (MailText::DeadlineSubject, MailText::DeadlineBody),
                Notice::Deprovision => (MailText::DeprovisionSubject, MailText::DeprovisionBody),
                _ => (MailText::NewOrderSubject, MailText::NewOrderBody),
            };
            operators
                .iter()
                .map(|(to, tag, zone)| {
                    let (locale, clock) = (locale(tag), Clock::named(zone));
                    let due = clock.date(locale, order.deadline_ms);
                    let ended = clock.date(locale, order.terminates_at_ms.unwrap_or(order.deadline_ms));
                    Mail::compose(
                        to,
                        locale,
                        subject,
                        body,
                        &[
                            ("product", &product),
                            ("project", &order.project_id),
                            ("due", &due),
                            ("ended", &ended),
                            ("days", &days),
                            ("state", &"SUBSCRIPTION_APPROVAL_TIMED_OUT"),
                            ("link", &link),
                        ],
                    )
                })
                .collect()
        }
        Notice::Linked { customer_id } => {
            let Some(customer) = crate::db::customers::by_id(pool, customer_id).await? else {
                return Ok(Vec::new());
            };
            let tag = crate::db::customers::locale_of(pool, customer_id).await?;
            let locale = locale(&tag);
            let expected = ctx.zone.date(locale, order.deadline_ms);
            vec![Mail::compose(
                &customer.email,
                locale,
                MailText::ReceivedSubject,
                MailText::ReceivedBody,
                &[
                    ("product", &product),
                    ("plan", &order.pricing_plan),
                    ("vendor", &vendor),
                    ("expected", &expected),
                    ("link", &status),
                ],
            )]
        }
        Notice::StepDone { step_id, .. } => {
            // What the customer reads of the step, in their language; never its internal title.
            let Some(wording) = crate::db::setup::step_wording(pool, step_id).await? else {
                return Ok(Vec::new());
            };
            readers()
                .await?
                .iter()
                .map(|(to, tag)| {
                    let locale = locale(tag);
                    let step = &wording.in_locale(locale).title;
                    Mail::compose(
                        to,
                        locale,
                        MailText::StepSubject,
                        MailText::StepBody,
                        &[("product", &product), ("step", step), ("link", &status)],
                    )
                })
                .collect()
        }
        Notice::Active => {
            let instance = order.instance_target.clone().unwrap_or_else(|| status.clone());
            readers()
                .await?
                .iter()
                .map(|(to, tag)| {
                    Mail::compose(
                        to,
                        locale(tag),
                        MailText::ActiveSubject,
                        MailText::ActiveBody,
                        &[
                            ("product", &product),
                            ("vendor", &vendor),
                            ("instance", &instance),
                            ("link", &status),
                        ],
                    )
                })
                .collect()
        }
    })
}
