//! The inbox's search finds what a scan of every order finds, page after page, whichever way it
//! is served: on SQLite from the orders next in the page's order, from the full-text index, or
//! from the orders the index has not caught up with yet; on PostgreSQL the same from its trigram
//! index.
//! Full-text query syntax in a term is matched as text, never read as syntax.

use std::collections::BTreeSet;

use crate::support::{Backend, TestDatabase};
use server::db::inbox::{InboxFilter, inbox};
use server::db::{Database, search};
use server::jobs::search_index::catch_up;
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

/// Every order the inbox's search finds for `term`, following its pages.
async fn searched(db: &Database, term: &str, state: Option<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut filter = InboxFilter {
        search: Some(term.into()),
        state: state.map(str::to_string),
        limit: 51,
        ..InboxFilter::default()
    };
    loop {
        let rows = inbox(db, &filter).await.unwrap();
        for row in &rows {
            assert!(found.insert(row.subscription_id.clone()), "{} twice for {term:?}", row.subscription_id);
        }
        let Some(last) = rows.last().filter(|_| rows.len() == 51) else { return found };
        filter.after = Some((last.rank, last.deadline_ms, last.subscription_id.clone()));
    }
}

/// The orders whose contact e-mail (in lower case) or IDs contain `term`, read one by one.
async fn scanned(db: &Database, term: &str, state: Option<&str>) -> BTreeSet<String> {
    const SQL: &str =
        "SELECT subscription_id, contact_email, project_id, organization_id, lifecycle_state FROM orders";
    let rows: Vec<(String, Option<String>, String, String, String)> =
        sqlx::query_as(SQL).fetch_all(db.pool()).await.unwrap();
    let term = term.to_lowercase();
    rows.into_iter()
        .filter(|(_, _, _, _, s)| state.is_none_or(|state| state == s))
        .filter(|(id, email, project, organization, _)| {
            [
                email.clone().unwrap_or_default().to_lowercase(),
                id.clone(),
                project.clone(),
                organization.clone(),
            ]
            .iter()
            .any(|field| field.contains(&term))
        })
        .map(|(id, ..)| id)
        .collect()
}

async fn assert_search_equals_a_scan(db: &Database, terms: &[String], when: &str) {
    for term in terms {
        for state in [None, Some("SUBSCRIPTION_ACTIVE")] {
            let (found, expected) = (searched(db, term, state).await, scanned(db, term, state).await);
            assert_eq!(found, expected, "search for {term:?} in {state:?} {when}");
        }
    }
}

async fn search_finds_what_a_scan_finds_before_and_after_the_index_catches_up(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    // More orders than a search reads in the page's order before it asks the index.
    let settings = SimulatorSettings {
        seed_subscriptions: 3_000,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    run_once(&crate::support::vendor_client(&sim), &db).await.unwrap();

    // The last order in queue order (rare: one match), a three-character piece of an ID (a few
    // dozen, spread over the queue), a common one, a long one of common trigrams, and terms in
    // full-text query syntax.
    let all = searched(&db, "-", None).await;
    assert_eq!(all.len(), 3_000);
    let last = inbox(&db, &InboxFilter { limit: 3_000, ..InboxFilter::default() }).await.unwrap();
    let last = last.last().unwrap();
    let mut terms = vec![
        last.subscription_id[24..].to_string(),
        last.subscription_id[3..6].to_string(),
        last.contact_email.clone().unwrap_or_else(|| last.project_id.clone()).to_uppercase(),
        "example".to_string(),
        // First, middle and last trigram common together (in most ".example" addresses) while
        // the whole term is in none: SQLite asks its index for the phrase once the three trigrams
        // find more candidates than it looks up.
        "exa.amp.ple".to_string(),
    ];
    for syntax in ["a\" OR \"b", "abc*", "NEAR(abc def)", "\"\"\"", "^abc", "col: abc", "ab'c", "%_\\"] {
        terms.push(syntax.to_string());
    }
    let rare = terms[1].clone();
    assert!((3..300).contains(&scanned(&db, &rare, None).await.len()), "{rare:?} is fairly rare");

    let pending = search::pending(&db).await.unwrap();
    assert_eq!(pending, 3_000, "nothing indexed yet");
    assert_search_equals_a_scan(&db, &terms, "before the index caught up").await;
    // Two indexers at once (two replicas): each order indexed by one of them.
    let (one, other) = tokio::join!(catch_up(&db), catch_up(&db));
    assert_eq!(one.unwrap() + other.unwrap(), u64::try_from(pending).unwrap());
    assert_eq!(search::pending(&db).await.unwrap(), 0);
    assert_search_equals_a_scan(&db, &terms, "from the index").await;

    // A new contact address: found by the new one at once, by the old one no more.
    let id = last.subscription_id.clone();
    let mut tx = db.begin().await.unwrap();
    server::db::work::set_contact_email(&mut tx, &id, "moved-team@elsewhere.example", "operator")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    terms.push("moved-team@elsewhere".into());
    assert_search_equals_a_scan(&db, &terms, "after a new contact address").await;
    assert_eq!(searched(&db, "moved-team@elsewhere", None).await, BTreeSet::from([id.clone()]));
    catch_up(&db).await.unwrap();
    assert_search_equals_a_scan(&db, &terms, "after the index caught up again").await;

    // An order STACKIT now reports in another project: its searched text holds the IDs too.
    sqlx::query("UPDATE orders SET project_id = $1 WHERE subscription_id = $2")
        .bind("moved-project-0001")
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    terms.push("moved-project-0001".into());
    assert_eq!(searched(&db, "moved-project-0001", None).await, BTreeSet::from([id.clone()]));
    assert_search_equals_a_scan(&db, &terms, "after a new project").await;
    catch_up(&db).await.unwrap();
    assert_search_equals_a_scan(&db, &terms, "after the index caught up with the project").await;
    assert_eq!(catch_up(&db).await.unwrap(), 0, "nothing left to index");
}

on_both_databases!(search_finds_what_a_scan_finds_before_and_after_the_index_catches_up);
