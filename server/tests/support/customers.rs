//! Helpers for the customer side over HTTP: arriving from STACKIT, registering, reading pages
//! and the captured mails.

use super::TestApp;

pub const PASSWORD: &str = "customer password 1";

pub async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Follows STACKIT's redirect with `token` in `client`; returns (status, Location or body).
pub async fn arrive(app: &TestApp, client: &reqwest::Client, token: &str) -> (u16, String) {
    let response =
        client.get(app.url(&format!("/signup?x-stackit-marketplace-token={token}"))).send().await.unwrap();
    let status = response.status().as_u16();
    let text = match response.headers().get("location") {
        Some(location) => location.to_str().unwrap().to_string(),
        None => response.text().await.unwrap(),
    };
    (status, text)
}

/// Registers, confirms the address by the mailed link and so signs `client` in.
pub async fn register(app: &TestApp, client: &reqwest::Client, email: &str) -> reqwest::Response {
    app.register_customer(client, email, PASSWORD).await
}

/// Only the registration form, where mail is not captured (SMTP configured).
pub async fn register_only(app: &TestApp, client: &reqwest::Client, email: &str) -> reqwest::Response {
    app.call(
        client,
        "/api/customer_register",
        &[("email", email), ("password", PASSWORD), ("repeat", PASSWORD)],
    )
    .await
}

pub async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Waits for the job runner to capture a mail to `to` containing `needle`; returns its body.
pub async fn mail_to(app: &TestApp, to: &str, needle: &str) -> String {
    for _ in 0..100 {
        let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM captured_mails WHERE recipient = $1")
            .bind(to)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        if let Some(body) = bodies.into_iter().find(|b| b.contains(needle)) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail to {to} with {needle:?}");
}
