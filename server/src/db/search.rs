//! SQLite's search index (migration 14). SQLite cannot index an expression for substring search,
//! so a rare term was a scan of every order; its full-text engine can, with trigrams, in the
//! table `order_search` beside the orders. Triggers note the orders whose searched text is new
//! or changed (`search_pending`) and [`index_pending`] catches up after the writes, so a sync
//! does not pay for the index row by row. A search takes the index's candidates and the pending
//! orders ([`CANDIDATES`]) and checks each against the order's current text. PostgreSQL needs
//! none of this: its trigram index on the orders serves the same `LIKE` directly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Database, DatabaseKind};

/// The searched text of the orders aliased `o`, as the inbox matches it.
pub(super) const SEARCHED: &str = "(LOWER(COALESCE(o.contact_email, '')) || '\n' || o.subscription_id || '\n' || o.project_id || '\n' || o.organization_id)";

/// The shortest term the index serves: a trigram's three characters.
pub(super) const INDEXED_TERM_CHARS: usize = 3;

/// The IDs of the orders whose searched text may contain the phrase bound as `{phrase}` (see
/// [`phrase`]): those the index finds and those it has not caught up with yet.
pub(super) fn candidates(phrase: &str) -> String {
    format!(
        "SELECT d.subscription_id FROM order_search f JOIN search_docs d ON d.doc = f.rowid
          WHERE order_search MATCH {phrase}
         UNION SELECT subscription_id FROM search_pending"
    )
}

/// A term as one full-text phrase: quoted, its quotes doubled, so no character of it is read as
/// query syntax.
pub(super) fn phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Whether the index and the pending orders give at most `most` candidates for `phrase`.
/// Counting a common term's matches in the index costs as much as the page's rows and only
/// chooses how to search (both ways find the same orders), so that count is kept for
/// [`TERM_KEPT`]; the pending orders (a first sync adds thousands at once) are counted each time.
pub(super) async fn candidates_at_most(db: &Database, phrase: &str, most: i64) -> super::Result<bool> {
    const INDEXED: &str =
        "SELECT COUNT(*) FROM (SELECT 1 FROM order_search WHERE order_search MATCH $1 LIMIT $2)";
    const PENDING: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM search_pending LIMIT $1)";
    let pending: i64 = sqlx::query_scalar(PENDING).bind(most + 1).fetch_one(db.pool()).await?;
    if pending > most {
        return Ok(false);
    }
    let key = format!("{most}/{phrase}");
    let indexed = match db.search_terms.get(&key) {
        Some(indexed) => indexed,
        None => {
            let indexed: i64 =
                sqlx::query_scalar(INDEXED).bind(phrase).bind(most + 1).fetch_one(db.pool()).await?;
            db.search_terms.keep(key, indexed);
            indexed
        }
    };
    Ok(indexed + pending <= most)
}

/// How long a term's count of candidates is kept.
const TERM_KEPT: Duration = Duration::from_secs(60);
/// At most this many terms are kept; past it the memory starts afresh.
const TERMS_KEPT: usize = 1_000;

/// How many index matches (up to a limit) terms had lately, and when they were counted.
#[derive(Debug, Default)]
pub struct TermSizes(Mutex<HashMap<String, (i64, Instant)>>);

impl TermSizes {
    fn get(&self, key: &str) -> Option<i64> {
        let terms = self.0.lock().ok()?;
        terms.get(key).filter(|(_, at)| at.elapsed() < TERM_KEPT).map(|(count, _)| *count)
    }

    fn keep(&self, key: String, count: i64) {
        if let Ok(mut terms) = self.0.lock() {
            if terms.len() >= TERMS_KEPT {
                terms.clear();
            }
            terms.insert(key, (count, Instant::now()));
        }
    }
}

/// Indexes up to `batch` orders whose searched text is new or changed and returns how many it
/// indexed (0 on PostgreSQL, and when the index is caught up). One transaction that takes its
/// turn as a sync's batch does, so it neither waits long for one nor delays one for long.
pub async fn index_pending(db: &Database, batch: i64) -> super::Result<u64> {
    if db.kind() != DatabaseKind::Sqlite {
        return Ok(0);
    }
    // The batch is the same set in each statement: the transaction holds SQLite's write lock.
    const BATCH: &str = "SELECT subscription_id FROM search_pending ORDER BY subscription_id LIMIT $1";
    let _turn = db.write_turn().await;
    let mut tx = db.begin_write().await?;
    let statements = [
        format!("INSERT OR IGNORE INTO search_docs (subscription_id) {BATCH}"),
        format!("DELETE FROM order_search WHERE rowid IN (SELECT doc FROM search_docs WHERE subscription_id IN ({BATCH}))"),
        format!(
            "INSERT INTO order_search (rowid, searched)
             SELECT d.doc, {SEARCHED} FROM search_docs d JOIN orders o ON o.subscription_id = d.subscription_id
              WHERE d.subscription_id IN ({BATCH})"
        ),
    ];
    for statement in &statements {
        sqlx::query(statement).bind(batch).execute(&mut *tx).await?;
    }
    let done = format!("DELETE FROM search_pending WHERE subscription_id IN ({BATCH})");
    let indexed = sqlx::query(&done).bind(batch).execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(indexed)
}

/// How many orders wait to be indexed (0 on PostgreSQL).
pub async fn pending(db: &Database) -> super::Result<i64> {
    if db.kind() != DatabaseKind::Sqlite {
        return Ok(0);
    }
    const SQL: &str = "SELECT COUNT(*) FROM search_pending";
    Ok(sqlx::query_scalar(SQL).fetch_one(db.pool()).await?)
}
