//! The inbox's reads of the `orders` table: one page of lines with their checklist progress,
//! filtered, searched and ordered by keyset, and the counts and lists beside it.

use sqlx::{AnyPool, FromRow};

/// One inbox line as queried.
#[derive(Debug, Clone, FromRow)]
pub struct InboxDbRow {
    pub subscription_id: String,
    pub lifecycle_state: String,
    pub lifecycle_state_raw: String,
    pub product_id: String,
    pub product_name: String,
    pub plan_id: String,
    pub pricing_plan: String,
    pub organization_id: String,
    pub project_id: String,
    pub contact_email: Option<String>,
    pub contact_email_source: Option<String>,
    pub ordered_at_ms: i64,
    pub deadline_ms: i64,
    pub assignee_id: Option<String>,
    pub assignee: Option<String>,
    pub steps_done: i64,
    pub steps_total: i64,
    pub rank: i64,
    /// The plan of the order this one follows after a plan change.
    pub replaces_plan: Option<String>,
}

/// The inbox's columns of an order, without checklist progress and assignee name (added for the
/// page's rows only).
const INBOX_COLUMNS: &str =
    "o.subscription_id, o.lifecycle_state, o.lifecycle_state_raw, o.product_id, o.product_name,
       o.plan_id, o.pricing_plan, o.organization_id, o.project_id, o.contact_email, o.contact_email_source,
       o.ordered_at_ms, o.deadline_ms, o.assignee_id, o.queue_rank AS rank, o.replaces_plan";

/// Wraps a page of orders (`inner`) with assignee names and checklist progress.
fn with_progress(inner: &str, order: &str) -> String {
    format!(
        "SELECT x.*, a.display_name AS assignee,
                (SELECT COUNT(*) FROM order_steps s WHERE s.subscription_id = x.subscription_id AND s.done_at_ms IS NOT NULL) AS steps_done,
                (SELECT COUNT(*) FROM order_steps s WHERE s.subscription_id = x.subscription_id) AS steps_total
         FROM ({inner}) x LEFT JOIN operators a ON a.id = x.assignee_id
         ORDER BY {order}"
    )
}

/// The text the inbox's search looks in: the contact e-mail (in lower case) and the IDs, one per
/// line. The same expression as PostgreSQL's trigram index `orders_search`, which serves the
/// search there (a `LIKE '%term%'` that is not a scan); SQLite reads the orders in the page's
/// order until the page is full (quick for a term many orders contain, a scan for a rare one).
const SEARCHED: &str = "(LOWER(COALESCE(o.contact_email, '')) || '\n' || o.subscription_id || '\n' || o.project_id || '\n' || o.organization_id)";

/// A bound value of a query built at run time.
#[derive(Debug, Clone)]
pub enum Param {
    Text(String),
    Int(i64),
}

/// Filters and position of an inbox page, already parsed.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub search: Option<String>,
    pub state: Option<String>,
    pub product_id: Option<String>,
    pub overdue_at_ms: Option<i64>,
    pub assignee_id: Option<String>,
    pub unassigned: bool,
    pub newest_first: bool,
    /// Keyset position: (rank or 0, deadline or ordered-at, subscription ID) of the last row seen.
    pub after: Option<(i64, i64, String)>,
    pub limit: i64,
}

/// A page of the inbox, keyset-paginated: the same filter with `after` set gives the next page.
pub async fn inbox(pool: &AnyPool, filter: &InboxFilter) -> super::Result<Vec<InboxDbRow>> {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<Param> = Vec::new();
    let next = |value: Param, params: &mut Vec<Param>| {
        params.push(value);
        format!("${}", params.len())
    };
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Control characters cannot be part of a match: the searched text separates its fields
        // with a line break, which a term must not span.
        let term: String = search.to_lowercase().chars().filter(|c| !c.is_control()).collect();
        let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let p = next(Param::Text(format!("%{escaped}%")), &mut params);
        conditions.push(format!("{SEARCHED} LIKE {p} ESCAPE '\\'"));
    }
    if let Some(state) = &filter.state {
        let p = next(Param::Text(state.clone()), &mut params);
        conditions.push(format!("o.lifecycle_state = {p}"));
    }
    if let Some(product) = &filter.product_id {
        let p = next(Param::Text(product.clone()), &mut params);
        conditions.push(format!("o.product_id = {p}"));
    }
    if let Some(now) = filter.overdue_at_ms {
        let p = next(Param::Int(now), &mut params);
        conditions.push(format!("o.queue_rank = 0 AND o.deadline_ms < {p}"));
    }
    if let Some(assignee) = &filter.assignee_id {
        let p = next(Param::Text(assignee.clone()), &mut params);
        conditions.push(format!("o.assignee_id = {p}"));
    }
    if filter.unassigned {
        conditions.push("o.assignee_id IS NULL".into());
    }
    if let Some((rank, key, id)) = &filter.after {
        let (k, i) = (next(Param::Int(*key), &mut params), next(Param::Text(id.clone()), &mut params));
        conditions.push(if filter.newest_first {
            format!("(o.ordered_at_ms < {k} OR (o.ordered_at_ms = {k} AND o.subscription_id < {i}))")
        } else if filter.state.is_some() {
            format!("(o.deadline_ms > {k} OR (o.deadline_ms = {k} AND o.subscription_id > {i}))")
        } else {
            let r = next(Param::Int(*rank), &mut params);
            format!(
                "(o.queue_rank > {r} OR (o.queue_rank = {r} AND (o.deadline_ms > {k} OR (o.deadline_ms = {k} AND o.subscription_id > {i}))))"
            )
        });
    }
    let (inner_order, outer_order) = if filter.newest_first {
        ("o.ordered_at_ms DESC, o.subscription_id DESC", "x.ordered_at_ms DESC, x.subscription_id DESC")
    } else if filter.state.is_some() {
        // One state has one queue rank: ordered by deadline, as `orders_state_queue` is.
        ("o.deadline_ms, o.subscription_id", "x.deadline_ms, x.subscription_id")
    } else {
        ("o.queue_rank, o.deadline_ms, o.subscription_id", "x.rank, x.deadline_ms, x.subscription_id")
    };
    let limit = next(Param::Int(filter.limit), &mut params);
    let where_clause =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let inner =
        format!("SELECT {INBOX_COLUMNS} FROM orders o {where_clause} ORDER BY {inner_order} LIMIT {limit}");
    let sql = with_progress(&inner, outer_order);
    let mut query = sqlx::query_as::<_, InboxDbRow>(&sql);
    for param in params {
        query = match param {
            Param::Text(text) => query.bind(text),
            Param::Int(number) => query.bind(number),
        };
    }
    Ok(query.fetch_all(pool).await?)
}

/// One order's inbox line.
pub async fn inbox_row(pool: &AnyPool, subscription_id: &str) -> super::Result<Option<InboxDbRow>> {
    let inner = format!("SELECT {INBOX_COLUMNS} FROM orders o WHERE o.subscription_id = $1");
    let sql = with_progress(&inner, "x.subscription_id");
    Ok(sqlx::query_as::<_, InboxDbRow>(&sql).bind(subscription_id).fetch_optional(pool).await?)
}

/// The products to filter by, as configured (the sync adds every product it sees): (ID, name).
pub async fn products(pool: &AnyPool) -> super::Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT product_id, display_name FROM products ORDER BY display_name, product_id";
    Ok(sqlx::query_as::<_, (String, String)>(SQL).fetch_all(pool).await?)
}
