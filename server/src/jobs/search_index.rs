//! Keeps the search index caught up with the orders (see `db::search`): after a sync's batches,
//! a new contact address, or the migration that made the index, in batches of its own (on
//! SQLite taking their turn between a sync's). Until it has caught up, a search still finds
//! every order (it checks the pending ones one by one); it is only slower.

use std::time::Duration;

use crate::db::{self, Database};

/// Orders indexed in one transaction: about 0.1 s of writing at a time on SQLite (100,000 orders
/// in 5.3 s), 0.2–0.3 s on PostgreSQL (in 15 s).
const BATCH: i64 = 2_000;

/// Indexes every pending order; returns how many.
pub async fn catch_up(db: &Database) -> db::Result<u64> {
    let mut indexed = 0;
    loop {
        match db::search::index_pending(db, BATCH).await? {
            0 => return Ok(indexed),
            n => indexed += n,
        }
    }
}

/// Catches up, then looks again each second, for as long as the server runs. While orders are
/// being written (the number waiting grew since it last looked: a sync's batches), it waits for
/// the writes to end rather than take turns with them, which would make the sync as slow as
/// indexing within it did.
pub async fn run_forever(db: Database) {
    let (mut indexed, mut started, mut left) = (0, std::time::Instant::now(), None);
    loop {
        let waiting = match db::search::pending(&db).await {
            Ok(waiting) => waiting,
            Err(error) => {
                tracing::warn!(%error, "the search index could not catch up; trying again in 10 s");
                tokio::time::sleep(Duration::from_secs(10)).await;
                continue;
            }
        };
        let writing = left.is_some_and(|left| waiting > left);
        if waiting == 0 || writing {
            if waiting == 0 && indexed > 0 {
                let seconds = started.elapsed().as_secs_f64();
                // Building the index's segments took memory that would otherwise stay with
                // the allocator (it stayed resident after a first sync).
                db::release_freed_memory();
                // A large catch-up only (a sync's new orders, the migration): not a vacuum of the
                // whole index after each contact address an operator changes.
                if indexed >= BATCH as u64
                    && let Err(error) = db::search::settle(&db).await
                {
                    tracing::warn!(%error, "the search index could not be vacuumed after catching up");
                }
                tracing::info!(orders = indexed, seconds, "search index caught up");
                indexed = 0;
            }
            left = Some(waiting);
            tokio::time::sleep(Duration::from_secs(1)).await;
            started = std::time::Instant::now();
            continue;
        }
        match db::search::index_pending(&db, BATCH).await {
            Ok(0) => {
                // Orders wait, but another replica's indexer (or a writer) holds their notes.
                left = Some(waiting);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(n) => {
                indexed += n;
                left = Some(waiting - i64::try_from(n).unwrap_or(waiting));
            }
            Err(error) => {
                tracing::warn!(%error, "the search index could not catch up; trying again in 10 s");
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
        }
    }
}
