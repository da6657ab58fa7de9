//! Migrations that rewrite or fill in rows keep what older builds wrote: notes written before
//! tokens could author them survive the notes table's rebuild (migration 18), and checklist
//! steps of every product and order get their stable keys (migration 19).

use server::db::Database;

use crate::support::{Backend, TestDatabase};

const TOKEN_AUTHORS: i64 = 20261202000018;

async fn older_notes_and_steps_survive_and_get_keys(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let db = Database::connect(&database.url, 2).await.unwrap();
    db.migrate_before(TOKEN_AUTHORS).await.unwrap();
    let pool = db.pool();
    let run = |sql: &'static str| sqlx::query(sql).execute(pool);
    run("INSERT INTO operators (id, email, display_name, role, active, created_at_ms, updated_at_ms)
         VALUES ('op-1', 'ann@vendor.example', 'Ann', 'operator', 1, 1, 1)")
    .await
    .unwrap();
    run("INSERT INTO orders (subscription_id, organization_id, project_id, lifecycle_state, lifecycle_state_raw,
            ordered_at, ordered_at_ms, product_id, product_name, plan_id, price_type, pricing_plan, delivery_method,
            product_lifecycle_state, vendor_name, vendor_website_url, rate, validity_period, notice_period,
            first_seen_at_ms, updated_at_ms)
         VALUES ('sub-1', 'org', 'proj', 'SUBSCRIPTION_PENDING', 'SUBSCRIPTION_PENDING', '2026-11-01T00:00:00Z', 1,
            'prod', 'Product', 'plan', 'FREE', 'Starter', 'SAAS_ASYNC', 'PRODUCT_LIVE', 'Vendor',
            'https://vendor.example', '0', 'P1M', 'P1M', 1, 1)")
    .await
    .unwrap();
    run("INSERT INTO products (product_id, display_name, approval_window_secs, created_at_ms, updated_at_ms)
         VALUES ('prod', 'Product', 86400, 1, 1)")
    .await
    .unwrap();
    for (position, title) in
        [(0, "Provision the customer's instance"), (1, "Call the customer"), (2, "Call the customer")]
    {
        sqlx::query(
            "INSERT INTO checklist_steps (id, product_id, position, title, description, customer_visible)
             VALUES ($1, 'prod', $2, $3, '', 0)",
        )
        .bind(format!("t-{position}"))
        .bind(i64::from(position))
        .bind(title)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO order_steps (id, subscription_id, position, title, description, customer_visible, done_at_ms, done_by)
             VALUES ($1, 'sub-1', $2, $3, '', 0, 5, 'op-1')",
        )
        .bind(format!("sub-1-{position}"))
        .bind(i64::from(position))
        .bind(title)
        .execute(pool)
        .await
        .unwrap();
    }
    run("INSERT INTO order_notes (id, subscription_id, author_id, body, created_at_ms)
         VALUES ('n-1', 'sub-1', 'op-1', 'Called them.', 7)")
    .await
    .unwrap();

    db.migrate().await.unwrap();
    assert!(db.is_ready().await);
    let note: (Option<String>, Option<String>, String) =
        sqlx::query_as("SELECT author_id, author_token, body FROM order_notes WHERE id = 'n-1'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(note, (Some("op-1".into()), None, "Called them.".into()));
    let template: Vec<String> = sqlx::query_scalar(
        "SELECT step_key FROM checklist_steps WHERE product_id = 'prod' ORDER BY position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(template, ["provision", "step-1", "step-2"], "the default title's word, else the position");
    let ordered: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT step_key, done_by FROM order_steps WHERE subscription_id = 'sub-1' ORDER BY position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(ordered[0], ("provision".to_string(), Some("op-1".to_string())), "a tick is kept");
    let keys: Vec<&str> = ordered.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(keys, ["provision", "step-1", "step-1-2"], "one key per step of an order");
}

on_both_databases!(older_notes_and_steps_survive_and_get_keys);
