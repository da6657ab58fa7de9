//! The search index beside the orders (SQLite: migration 14; PostgreSQL: migration 20). A
//! substring of the contact e-mail or an ID cannot be found without a scan unless an index of
//! trigrams serves it: SQLite's full-text engine with its trigram tokenizer (`order_search`,
//! through `search_docs`), PostgreSQL's `pg_trgm` on a table `order_search` of searched texts.
//! Kept in step with every insert, either index was most of a first sync's time, so triggers
//! only note the orders whose searched text is new or changed (`search_pending`) and
//! [`index_pending`] catches up after the writes. A search takes the index's candidates and the
//! pending orders ([`candidates`]) and checks each against the order's current text.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Database, DatabaseKind};

/// The searched text of the orders aliased `o`, as the inbox matches it.
pub(super) const SEARCHED: &str = "(LOWER(COALESCE(o.contact_email, '')) || '\n' || o.subscription_id || '\n' || o.project_id || '\n' || o.organization_id)";

/// The condition that an order's searched text contains the `LIKE` pattern bound as `{p}`. On
/// SQLite one `LIKE` per field: its `LIKE` folds ASCII case as its `LOWER` does, and a term never
/// spans two fields (it has no line break), so this is the same test without building the joined
/// text, in lower case, for every order a search walks (a common term reads hundreds a page).
/// On PostgreSQL, whose `LIKE` keeps case, the joined text: the same test spelled per field made
/// its planner misjudge a common term (12 requests a second instead of 290 at 100,000 orders).
pub(super) fn contains(kind: DatabaseKind, p: &str) -> String {
    match kind {
        DatabaseKind::Sqlite => format!(
            "(o.contact_email LIKE {p} ESCAPE '\\' OR o.subscription_id LIKE {p} ESCAPE '\\'
              OR o.project_id LIKE {p} ESCAPE '\\' OR o.organization_id LIKE {p} ESCAPE '\\')"
        ),
        DatabaseKind::Postgres => format!("{SEARCHED} LIKE {p} ESCAPE '\\'"),
    }
}

/// The shortest term the index serves: a trigram's three characters.
pub(super) const INDEXED_TERM_CHARS: usize = 3;

/// The IDs of the orders whose searched text may contain the term bound as `{key}` (see
/// [`index_key`]): those the index finds and, `with_pending`, those it has not caught up with
/// yet (without them the statement is simpler to plan and run, as it is most of the time).
pub(super) fn candidates(kind: DatabaseKind, key: &str, with_pending: bool) -> String {
    let indexed = match kind {
        DatabaseKind::Sqlite => format!(
            "SELECT d.subscription_id FROM order_search f JOIN search_docs d ON d.doc = f.rowid
              WHERE order_search MATCH {key}"
        ),
        DatabaseKind::Postgres => {
            format!("SELECT subscription_id FROM order_search WHERE searched LIKE {key} ESCAPE '\\'")
        }
    };
    if with_pending { format!("{indexed} UNION SELECT subscription_id FROM search_pending") } else { indexed }
}

/// What the index is asked for a term: on SQLite full-text phrases (quoted, their quotes
/// doubled, so no character is read as query syntax); on PostgreSQL the `LIKE` pattern the
/// orders are checked with (`%term%`, its wildcards escaped).
///
/// On SQLite a term of [`SPREAD_FROM`] characters or more is asked for as three of its trigrams
/// (its first, middle and last), not as the phrase of all of them: the index reads a list of
/// documents per trigram, each list ten times longer at a million orders than at 100,000, and
/// part of an ID has a dozen trigrams (7 ms against 1.2 ms for three at a million). The
/// candidates are a few more and each is checked against the order's text, so the orders found
/// are the same.
pub(super) fn index_key(kind: DatabaseKind, term: &str, pattern: &str) -> String {
    match kind {
        DatabaseKind::Sqlite => {
            let chars: Vec<char> = term.chars().collect();
            if chars.len() < SPREAD_FROM {
                return phrase_key(term);
            }
            let last = chars.len() - INDEXED_TERM_CHARS;
            [0, last / 2, last]
                .iter()
                .map(|&at| phrase_key(&chars[at..at + INDEXED_TERM_CHARS].iter().collect::<String>()))
                .collect::<Vec<_>>()
                .join(" AND ")
        }
        DatabaseKind::Postgres => pattern.to_string(),
    }
}

/// The term as one full-text phrase on SQLite: quoted, its quotes doubled. Three trigrams of a
/// term can be common together where the whole term is not (a mail domain's): when they find
/// too many candidates, the phrase is asked for too.
pub(super) fn phrase_key(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The shortest term asked for as three trigrams that do not overlap.
const SPREAD_FROM: usize = 3 * INDEXED_TERM_CHARS;

/// Whether the index and the pending orders give at most `most` candidates for `key`: `None`
/// when they give more, else whether any order is pending.
/// Counting a common term's matches in the index costs as much as the page's rows and only
/// chooses how to search (both ways find the same orders), so that count is kept for
/// [`TERM_KEPT`]; the pending orders (a first sync adds thousands at once) are counted each time.
pub(super) async fn candidates_at_most(db: &Database, key: &str, most: i64) -> super::Result<Option<bool>> {
    const PENDING: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM search_pending LIMIT $1) p";
    let pending: i64 = sqlx::query_scalar(PENDING).bind(most + 1).fetch_one(db.pool()).await?;
    if pending > most {
        return Ok(None);
    }
    let indexed_sql = match db.kind() {
        DatabaseKind::Sqlite => {
            "SELECT COUNT(*) FROM (SELECT 1 FROM order_search WHERE order_search MATCH $1 LIMIT $2)"
        }
        DatabaseKind::Postgres => {
            "SELECT COUNT(*) FROM (SELECT 1 FROM order_search WHERE searched LIKE $1 ESCAPE '\\' LIMIT $2) m"
        }
    };
    let remembered = format!("{most}/{key}");
    let indexed = match db.search_terms.get(&remembered) {
        Some(indexed) => indexed,
        None => {
            let indexed: i64 =
                sqlx::query_scalar(indexed_sql).bind(key).bind(most + 1).fetch_one(db.pool()).await?;
            db.search_terms.keep(remembered, indexed);
            indexed
        }
    };
    Ok((indexed + pending <= most).then_some(pending > 0))
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
/// indexed (0 when the index is caught up).
pub async fn index_pending(db: &Database, batch: i64) -> super::Result<u64> {
    match db.kind() {
        DatabaseKind::Sqlite => index_pending_sqlite(db, batch).await,
        DatabaseKind::Postgres => index_pending_postgres(db, batch).await,
    }
}

/// One transaction that takes its turn as a sync's batch does, so it neither waits long for one
/// nor delays one for long.
async fn index_pending_sqlite(db: &Database, batch: i64) -> super::Result<u64> {
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

/// One transaction: the notes taken are locked first, and the texts are read by a later
/// statement, so after the locks (each statement reads what was committed when it started).
/// Replicas indexing at once take different notes; a writer noting one of them anew (a new
/// contact address) waits for the lock and then notes it again, so its text is indexed later
/// even when it committed between the two statements, never taken away unread.
async fn index_pending_postgres(db: &Database, batch: i64) -> super::Result<u64> {
    const TAKE: &str =
        "SELECT subscription_id FROM search_pending ORDER BY subscription_id LIMIT $1 FOR UPDATE SKIP LOCKED";
    let mut tx = db.begin().await?;
    let taken: Vec<String> = sqlx::query_scalar(TAKE).bind(batch).fetch_all(&mut *tx).await?;
    if taken.is_empty() {
        return Ok(0);
    }
    let marks = super::placeholders(DatabaseKind::Postgres, taken.len());
    let write = format!(
        "INSERT INTO order_search (subscription_id, searched)
         SELECT o.subscription_id, {SEARCHED} FROM orders o WHERE o.subscription_id IN ({marks})
         ON CONFLICT (subscription_id) DO UPDATE SET searched = EXCLUDED.searched"
    );
    let done = format!("DELETE FROM search_pending WHERE subscription_id IN ({marks})");
    for statement in [&write, &done] {
        let mut query = sqlx::query(statement);
        for id in &taken {
            query = query.bind(id);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(taken.len() as u64)
}

/// After the index caught up with many orders (PostgreSQL; no-op on SQLite; see
/// `jobs::search_index`): the planner needs
/// fresh statistics of the index and of the orders still pending (none now, not the 100,000 of
/// mid-sync) to look a rare term up in the index rather than read every order, and every
/// search reads the trigram index's list of entries not yet merged (up to 4 MB after a large
/// catch-up) until a vacuum merges it. Autovacuum would do both, minutes later.
pub async fn settle(db: &Database) -> super::Result<()> {
    if db.kind() == DatabaseKind::Postgres {
        // Unprepared (the simple protocol): VACUUM runs outside any transaction.
        sqlx::Executor::execute(db.pool(), "VACUUM (ANALYZE) order_search, search_pending").await?;
    }
    Ok(())
}

/// How many orders wait to be indexed.
pub async fn pending(db: &Database) -> super::Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM search_pending";
    Ok(sqlx::query_scalar(SQL).fetch_one(db.pool()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_terms_are_asked_for_as_three_trigrams_and_quotes_stay_text() {
        assert_eq!(index_key(DatabaseKind::Sqlite, "it-ops", ""), "\"it-ops\"");
        assert_eq!(index_key(DatabaseKind::Sqlite, "a\"b", ""), "\"a\"\"b\"");
        assert_eq!(index_key(DatabaseKind::Sqlite, "f2d26537-fa29", ""), "\"f2d\" AND \"537\" AND \"a29\"");
        assert_eq!(index_key(DatabaseKind::Sqlite, "ab\"cdefghi", ""), "\"ab\"\"\" AND \"cde\" AND \"ghi\"");
        assert_eq!(index_key(DatabaseKind::Sqlite, "äöüßéèêëï", ""), "\"äöü\" AND \"ßéè\" AND \"êëï\"");
        assert_eq!(index_key(DatabaseKind::Postgres, "it-ops", "%it-ops%"), "%it-ops%");
    }
}
