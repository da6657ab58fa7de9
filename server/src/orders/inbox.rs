//! The inbox's lines and its page links: the view an address asks for (its filters read once,
//! for the page and the CSV export alike), a stored row as the console shows it, the keyset
//! cursor that names where the next page starts, and how many orders the view holds.

use app::error::AppError;
use std::collections::HashMap;
use std::sync::Mutex;

use app::model::{EmailSource, InboxQuery, InboxRow, LifecycleState, QuickViews, Total};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::db::inbox::{self, InboxDbRow, InboxFilter};
use crate::db::{Database, tallies};

/// Past this many orders a filtered view says "more than" instead of counting on.
pub const COUNT_CAP: i64 = 1_000;

/// The view `query` asks for, as `viewer` sees it at `now_ms`, `limit` rows at a time.
pub fn filter(query: &InboxQuery, viewer: &str, now_ms: i64, limit: i64) -> Result<InboxFilter, AppError> {
    let newest_first = match query.sort.as_deref() {
        None | Some("") | Some("deadline") => false,
        Some("newest") => true,
        Some(_) => return Err(AppError::invalid("sort", "Sort by deadline or newest.")),
    };
    let (assignee_id, unassigned) = match query.assigned.as_deref() {
        None | Some("") => (None, false),
        Some("me") => (Some(viewer.to_string()), false),
        Some("none") => (None, true),
        Some(_) => return Err(AppError::invalid("assigned", "Choose me or nobody.")),
    };
    Ok(InboxFilter {
        search: query.q.clone().filter(|q| q.len() <= 200),
        state: state_filter(query.state.as_deref())?,
        product_id: query.product.clone().filter(|p| !p.is_empty()),
        overdue_at_ms: query.overdue.then_some(now_ms),
        due_soon_at_ms: query.due_soon.then_some(now_ms),
        assignee_id,
        unassigned,
        newest_first,
        backward: false,
        after: query.after.as_deref().filter(|a| !a.is_empty()).map(decode_cursor).transpose()?,
        limit,
    })
}

/// The inbox's counts (the view's total, the quick views) as last counted, kept while nothing
/// changed: a count is reused only for the same view, the same newest change in the database's
/// change record (every write to an order records one, on any replica) and the same minute (the
/// deadlines' views move with time). A page opened again, or by a colleague, counts nothing.
#[derive(Default)]
pub struct KeptCounts {
    totals: Mutex<HashMap<String, Total>>,
    views: Mutex<HashMap<String, QuickViews>>,
}

/// At most this many counts are kept; past it the cache starts afresh.
const KEPT: usize = 512;

fn kept<V: Copy>(map: &Mutex<HashMap<String, V>>, key: &str) -> Option<V> {
    map.lock().ok()?.get(key).copied()
}

fn keep<V>(map: &Mutex<HashMap<String, V>>, key: String, value: V) {
    if let Ok(mut map) = map.lock() {
        if map.len() >= KEPT {
            map.clear();
        }
        map.insert(key, value);
    }
}

impl KeptCounts {
    /// How many orders the view holds (see [`total`]), `latest` being the newest change.
    pub async fn total(&self, db: &Database, filter: &InboxFilter, latest: i64) -> crate::db::Result<Total> {
        let key = format!(
            "{latest}/{}/{:?}",
            filter.overdue_at_ms.or(filter.due_soon_at_ms).unwrap_or(0) / 60_000,
            (
                &filter.search,
                &filter.state,
                &filter.product_id,
                filter.overdue_at_ms.is_some(),
                filter.due_soon_at_ms.is_some(),
                &filter.assignee_id,
                filter.unassigned,
            )
        );
        if let Some(total) = kept(&self.totals, &key) {
            return Ok(total);
        }
        let counted = total(db, filter).await?;
        keep(&self.totals, key, counted);
        Ok(counted)
    }

    /// The quick views' counts for `viewer` at `now_ms`.
    pub async fn views(
        &self,
        db: &Database,
        viewer: &str,
        now_ms: i64,
        latest: i64,
    ) -> crate::db::Result<QuickViews> {
        let key = format!("{latest}/{}/{viewer}", now_ms / 60_000);
        if let Some(views) = kept(&self.views, &key) {
            return Ok(views);
        }
        let (mine, unassigned, overdue, due_soon) = inbox::quick_views(db.pool(), viewer, now_ms).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let views = QuickViews {
            mine: count(mine),
            unassigned: count(unassigned),
            due_soon: count(due_soon),
            overdue: count(overdue),
        };
        keep(&self.views, key, views);
        Ok(views)
    }
}

/// How many orders the view holds: from the tallies the database keeps when it is every order or
/// one state; else counted, up to [`COUNT_CAP`].
pub async fn total(db: &Database, filter: &InboxFilter) -> crate::db::Result<Total> {
    let only_state = filter.search.as_deref().is_none_or(|q| q.trim().is_empty())
        && filter.product_id.is_none()
        && filter.overdue_at_ms.is_none()
        && filter.due_soon_at_ms.is_none()
        && filter.assignee_id.is_none()
        && !filter.unassigned;
    let exact = |n: i64| Total::Exact(u64::try_from(n).unwrap_or(0));
    if only_state {
        let counts = tallies::counts_by_state(db.pool()).await?;
        let wanted = |state: &String| filter.state.as_ref().is_none_or(|s| s == state);
        return Ok(exact(counts.iter().filter(|(state, _)| wanted(state)).map(|(_, n)| n).sum()));
    }
    let counted = inbox::count_at_most(db, filter, COUNT_CAP).await?;
    Ok(if counted > COUNT_CAP { Total::MoreThan(COUNT_CAP as u64) } else { exact(counted) })
}

/// The orders just before and just after `subscription_id` in the view `filter` selects (its
/// `after` and `limit` aside): (previous, next). An order outside the view (changed since the
/// view was opened) has its neighbours where it would stand.
pub async fn neighbours(
    db: &Database,
    filter: &InboxFilter,
    subscription_id: &str,
) -> crate::db::Result<(Option<String>, Option<String>)> {
    let Some(order) = inbox::inbox_row(db.pool(), subscription_id).await? else {
        return Ok((None, None));
    };
    let key = if filter.newest_first { order.ordered_at_ms } else { order.deadline_ms };
    let at = Some((order.rank, key, order.subscription_id));
    let nearest = |backward: bool| {
        let filter = InboxFilter { after: at.clone(), limit: 1, backward, ..filter.clone() };
        async move { Ok::<_, crate::db::Error>(inbox::inbox(db, &filter).await?.pop().map(|r| r.subscription_id)) }
    };
    Ok((nearest(true).await?, nearest(false).await?))
}

pub fn inbox_row(row: InboxDbRow) -> InboxRow {
    InboxRow {
        state: LifecycleState::from_wire(&row.lifecycle_state),
        state_raw: row.lifecycle_state_raw,
        plan: if row.pricing_plan.is_empty() { row.plan_id } else { row.pricing_plan },
        product_name: row.product_name,
        organization_id: row.organization_id,
        project_id: row.project_id,
        contact_source: row.contact_email_source.as_deref().and_then(EmailSource::parse),
        contact_email: row.contact_email,
        ordered_at_ms: row.ordered_at_ms,
        deadline_ms: row.deadline_ms,
        assignee: row.assignee,
        steps_done: u32::try_from(row.steps_done).unwrap_or(0),
        steps_total: u32::try_from(row.steps_total).unwrap_or(0),
        replaces_plan: row.replaces_plan,
        subscription_id: row.subscription_id,
    }
}

pub fn encode_cursor(rank: i64, key: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{rank}:{key}:{id}"))
}

pub fn decode_cursor(cursor: &str) -> Result<(i64, i64, String), AppError> {
    let invalid =
        || AppError::invalid("after", "This page link is not valid any more; start from the first page.");
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, ':');
    let rank = parts.next().and_then(|p| p.parse().ok()).ok_or_else(invalid)?;
    let key = parts.next().and_then(|p| p.parse().ok()).ok_or_else(invalid)?;
    let id = parts.next().filter(|p| !p.is_empty()).ok_or_else(invalid)?.to_string();
    Ok((rank, key, id))
}

/// A state filter from the address: a known wire value or nothing.
pub fn state_filter(state: Option<&str>) -> Result<Option<String>, AppError> {
    match state.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(state) if LifecycleState::from_wire(state) != LifecycleState::Unknown || state == "UNKNOWN" => {
            Ok(Some(state.to_string()))
        }
        Some(_) => Err(AppError::invalid("state", "Choose a state from the list.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_clear_error() {
        let cursor = encode_cursor(1, 1_795_000_000_000, "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70");
        assert_eq!(
            decode_cursor(&cursor).unwrap(),
            (1, 1_795_000_000_000, "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70".into())
        );
        for garbage in ["", "!!", "bm9wZQ", &URL_SAFE_NO_PAD.encode("1:x:y")] {
            assert!(matches!(decode_cursor(garbage), Err(AppError::Validation { .. })), "{garbage}");
        }
    }
}
