//! The inbox's reads of the `orders` table: one page of lines with their checklist progress,
//! filtered, searched and ordered by keyset, and the counts and lists beside it.

use app::model::DUE_SOON_MS;
use sqlx::{AnyPool, FromRow};

use super::search;
use super::{Database, DatabaseKind};

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
    /// Pending orders due from this time to [`app::model::DUE_SOON_MS`] after it.
    pub due_soon_at_ms: Option<i64>,
    pub assignee_id: Option<String>,
    pub unassigned: bool,
    pub newest_first: bool,
    /// Walks the view backwards from `after`: the orders before it, nearest first (an order
    /// page's "previous").
    pub backward: bool,
    /// Keyset position: (rank or 0, deadline or ordered-at, subscription ID) of the last row seen.
    pub after: Option<(i64, i64, String)>,
    pub limit: i64,
}

/// The most candidates a search takes from the search index (and sorts into the page's order);
/// a term with more is common enough that reading the orders in the page's order
/// fills the page soon: at 100,000 orders, after about 2,500 orders at worst.
const INDEXED_CANDIDATES: i64 = 2_000;

/// A page of the inbox, keyset-paginated: the same filter with `after` set gives the next page.
/// The search matches a substring of the contact e-mail (in lower case) or an ID; the searched
/// fields are one text with a line between them (see `search::SEARCHED`), which a term never
/// spans. A term many orders contain (or one shorter than a trigram) is a walk through the orders
/// in the page's order, which fills the page soon; a rarer one is looked up in the search index
/// beside the orders (`db::search`).
pub async fn inbox(db: &Database, filter: &InboxFilter) -> super::Result<Vec<InboxDbRow>> {
    let (query, from, order) = select(db, filter).await?;
    query.page(&from, order, filter.limit).fetch(db).await
}

/// How many orders the filter's view holds (its `after` and `limit` aside), counting to `cap`
/// at most: `cap + 1` says "more than `cap`". The same selection as the page's, so the two agree.
pub async fn count_at_most(db: &Database, filter: &InboxFilter, cap: i64) -> super::Result<i64> {
    let filter = InboxFilter { after: None, ..filter.clone() };
    let (mut query, from, _) = select(db, &filter).await?;
    let limit = query.bind(Param::Int(cap + 1));
    let sql =
        format!("SELECT COUNT(*) FROM (SELECT 1 FROM {from} {} LIMIT {limit}) counted", query.where_clause());
    let mut counted = sqlx::query_scalar::<_, i64>(&sql);
    for param in query.params {
        counted = match param {
            Param::Text(text) => counted.bind(text),
            Param::Int(number) => counted.bind(number),
        };
    }
    Ok(counted.fetch_one(db.pool()).await?)
}

/// Orders waiting for approval in each of the inbox's quick views, for `operator`: (assigned to
/// them, to nobody, overdue at `now_ms`, due within [`DUE_SOON_MS`]). The operator's own are a
/// range of `orders_assignee_queue`; the others come from the deadline tallies.
pub async fn quick_views(pool: &AnyPool, operator: &str, now_ms: i64) -> super::Result<(i64, i64, i64, i64)> {
    const MINE: &str = "SELECT COUNT(*) FROM orders WHERE assignee_id = $1 AND queue_rank = 0";
    let mine = sqlx::query_scalar(MINE).bind(operator).fetch_one(pool).await?;
    let (overdue, due_soon, unassigned) = super::tallies::deadline_counts(pool, now_ms, DUE_SOON_MS).await?;
    Ok((mine, unassigned, overdue, due_soon))
}

/// The orders a filter selects: its conditions, where they are read from (aliased `o`), and the
/// order of the page (inside and outside, see [`Query::page`]).
async fn select(db: &Database, filter: &InboxFilter) -> super::Result<(Query, String, (String, String))> {
    let mut query = Query::default();
    if let Some(state) = &filter.state {
        let p = query.bind(Param::Text(state.clone()));
        query.conditions.push(format!("o.lifecycle_state = {p}"));
    }
    if let Some(product) = &filter.product_id {
        let p = query.bind(Param::Text(product.clone()));
        query.conditions.push(format!("o.product_id = {p}"));
    }
    if let Some(now) = filter.overdue_at_ms {
        let p = query.bind(Param::Int(now));
        query.conditions.push(format!("o.queue_rank = 0 AND o.deadline_ms < {p}"));
    }
    if let Some(now) = filter.due_soon_at_ms {
        let (from, to) = (query.bind(Param::Int(now)), query.bind(Param::Int(now + DUE_SOON_MS)));
        query
            .conditions
            .push(format!("o.queue_rank = 0 AND o.deadline_ms >= {from} AND o.deadline_ms < {to}"));
    }
    if let Some(assignee) = &filter.assignee_id {
        let p = query.bind(Param::Text(assignee.clone()));
        query.conditions.push(format!("o.assignee_id = {p}"));
    }
    if filter.unassigned {
        query.conditions.push("o.assignee_id IS NULL".into());
    }
    // Forwards, "after" is later in the page's order; backwards, earlier (each sort reversed).
    let (later, earlier) = if filter.backward { ("<", ">") } else { (">", "<") };
    if let Some((rank, key, id)) = &filter.after {
        let (k, i) = (query.bind(Param::Int(*key)), query.bind(Param::Text(id.clone())));
        // Row values: both engines read them as one range of the index the order follows (the
        // same condition spelled with ORs made SQLite walk or sort the index before a position).
        let position = if filter.newest_first {
            format!("(o.ordered_at_ms, o.subscription_id) {earlier} ({k}, {i})")
        } else if filter.state.is_some() {
            format!("(o.deadline_ms, o.subscription_id) {later} ({k}, {i})")
        } else {
            let r = query.bind(Param::Int(*rank));
            format!("(o.queue_rank, o.deadline_ms, o.subscription_id) {later} ({r}, {k}, {i})")
        };
        query.conditions.push(position);
    }
    let (asc, desc) = if filter.backward { ("DESC", "ASC") } else { ("ASC", "DESC") };
    let order = if filter.newest_first {
        (
            format!("o.ordered_at_ms {desc}, o.subscription_id {desc}"),
            format!("x.ordered_at_ms {desc}, x.subscription_id {desc}"),
        )
    } else if filter.state.is_some() {
        // One state has one queue rank: ordered by deadline, as `orders_state_queue` is.
        (
            format!("o.deadline_ms {asc}, o.subscription_id {asc}"),
            format!("x.deadline_ms {asc}, x.subscription_id {asc}"),
        )
    } else {
        (
            format!("o.queue_rank {asc}, o.deadline_ms {asc}, o.subscription_id {asc}"),
            format!("x.rank {asc}, x.deadline_ms {asc}, x.subscription_id {asc}"),
        )
    };
    // Control characters cannot be part of a match: the searched text separates its fields with
    // a line break, which a term must not span.
    let term = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|search| search.to_lowercase().chars().filter(|c| !c.is_control()).collect::<String>());
    let Some(term) = term else {
        return Ok((query, "orders o".into(), order));
    };
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let mut key = search::index_key(db.kind(), &term, &pattern);
    let indexed = match term.chars().count() >= search::INDEXED_TERM_CHARS {
        true => match search::candidates_at_most(db, &key, INDEXED_CANDIDATES).await? {
            None if db.kind() == DatabaseKind::Sqlite && key != search::phrase_key(&term) => {
                key = search::phrase_key(&term);
                search::candidates_at_most(db, &key, INDEXED_CANDIDATES).await?
            }
            indexed => indexed,
        },
        false => None,
    };
    let p = query.bind(Param::Text(pattern));
    query.conditions.push(search::contains(db.kind(), &p));
    let Some(with_pending) = indexed else {
        return Ok((query, "orders o".into(), order));
    };
    // The index's candidates, each checked against the order's text, in the page's order. On
    // SQLite CROSS JOIN keeps them the outer loop: it would otherwise walk every order in the
    // page's order and look each up among them.
    let key = query.bind(Param::Text(key));
    let join = match db.kind() {
        DatabaseKind::Sqlite => "CROSS JOIN",
        DatabaseKind::Postgres => "JOIN",
    };
    let from = format!(
        "({}) c {join} orders o ON o.subscription_id = c.subscription_id",
        search::candidates(db.kind(), &key, with_pending)
    );
    Ok((query, from, order))
}

/// An inbox query under construction: its conditions and the values they bind.
#[derive(Debug, Clone, Default)]
struct Query {
    conditions: Vec<String>,
    params: Vec<Param>,
}

/// A page's SQL: the orders (`inner`, with the inbox's columns) and the whole statement.
struct Page {
    inner: String,
    params: Vec<Param>,
    outer_order: String,
}

impl Query {
    /// `WHERE` and the conditions, or nothing when there are none.
    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: Param) -> String {
        self.params.push(value);
        format!("${}", self.params.len())
    }

    /// The page of the first `limit` orders of `from` (aliased `o`) under the conditions, in
    /// `order` (inside, over `o`, and outside, over the page `x`).
    fn page(mut self, from: &str, order: (String, String), limit: i64) -> Page {
        let limit = self.bind(Param::Int(limit));
        let inner = format!(
            "SELECT {INBOX_COLUMNS} FROM {from} {} ORDER BY {} LIMIT {limit}",
            self.where_clause(),
            order.0
        );
        Page { inner, params: self.params, outer_order: order.1 }
    }
}

impl Page {
    async fn fetch(self, db: &Database) -> super::Result<Vec<InboxDbRow>> {
        let sql = with_progress(&self.inner, &self.outer_order);
        let mut query = sqlx::query_as::<_, InboxDbRow>(&sql);
        for param in self.params {
            query = match param {
                Param::Text(text) => query.bind(text),
                Param::Int(number) => query.bind(number),
            };
        }
        Ok(query.fetch_all(db.pool()).await?)
    }
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
