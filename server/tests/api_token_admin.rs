//! The API tokens page (`/api-tokens`) as an admin's browser uses it without JavaScript: a
//! token created by the form is shown once (never in an address), works at once, shows its last
//! use and stops working when revoked; refused names and expiries change nothing; only admins
//! see the page or reach its actions.

use app::model::Role;

use crate::support::{Backend, TestApp};

/// Posts a form as a browser does; the status and `Location`.
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(app.url(path))
        .header("accept", "text/html")
        .header("referer", app.url("/api-tokens"))
        .form(form)
        .send()
        .await
        .unwrap();
    let location =
        response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    (response.status().as_u16(), location)
}

async fn page(app: &TestApp, client: &reqwest::Client) -> (u16, String) {
    let response = client.get(app.url("/api-tokens")).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The secret shown in the page, if one is.
fn shown_secret(html: &str) -> Option<String> {
    let start = html.find("odk_")?;
    let end = html[start..].find(['<', '"']).map(|n| start + n)?;
    Some(html[start..end].to_string())
}

async fn an_admin_creates_sees_once_and_revokes_a_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.signed_in(Role::Admin).await;
    let (status, html) = page(&app, &admin).await;
    assert_eq!(status, 200);
    assert!(html.contains("No tokens yet."));

    let form = [("name", "provisioning"), ("role", "operator"), ("expires_in_days", "")];
    let (status, location) = post_form(&app, &admin, "/api/create_api_token", &form).await;
    assert_eq!((status, location.as_str()), (302, "/api-tokens#created"), "no secret in the address");
    let (_, html) = page(&app, &admin).await;
    let secret = shown_secret(&html).expect("the new token, shown once");
    let (_, again) = page(&app, &admin).await;
    assert!(shown_secret(&again).is_none(), "not shown a second time");
    assert!(again.contains("provisioning") && again.contains("never"), "listed, not used yet");

    let used =
        reqwest::Client::new().get(app.url("/api/v1/orders")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(used.status(), 200, "the token works at once");
    let (_, html) = page(&app, &admin).await;
    assert!(!html.contains(">never<"), "its last use is shown");

    // Refused: a taken name, an admin role, a bad expiry; nothing is created.
    for (form, field) in [
        ([("name", "provisioning"), ("role", "viewer"), ("expires_in_days", "")], "name"),
        ([("name", "root"), ("role", "admin"), ("expires_in_days", "")], "role"),
        ([("name", "later"), ("role", "viewer"), ("expires_in_days", "0")], "expires_in_days"),
        ([("name", "later"), ("role", "viewer"), ("expires_in_days", "many")], "expires_in_days"),
        ([("name", "   "), ("role", "viewer"), ("expires_in_days", "")], "name"),
    ] {
        let (status, location) = post_form(&app, &admin, "/api/create_api_token", &form).await;
        assert_eq!(status, 302);
        assert!(location.starts_with("/api-tokens?error="), "{location}");
        if field != "name" {
            assert!(location.contains(&format!("field={field}")), "{field}: {location}");
        }
    }
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(count, 1);

    // Operators and viewers neither see the page nor reach its actions.
    for role in [Role::Operator, Role::Viewer] {
        let other = app.signed_in(role).await;
        let (_, html) = page(&app, &other).await;
        assert!(!html.contains("Revoke “provisioning”") && !html.contains("create_api_token"), "{role:?}");
        let created = app
            .call(
                &other,
                "/api/create_api_token",
                &[("name", "mine"), ("role", "operator"), ("expires_in_days", "")],
            )
            .await;
        assert_eq!(created.status(), 403, "{role:?}");
        let revoked = app.call(&other, "/api/revoke_api_token", &[("name", "provisioning")]).await;
        assert_eq!(revoked.status(), 403, "{role:?}");
    }
    let stranger = reqwest::Client::new();
    assert_eq!(app.call(&stranger, "/api/list_api_tokens", &[]).await.status(), 401);

    let (status, location) =
        post_form(&app, &admin, "/api/revoke_api_token", &[("name", "provisioning")]).await;
    assert_eq!((status, location.as_str()), (302, "/api-tokens"));
    let refused =
        reqwest::Client::new().get(app.url("/api/v1/orders")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(refused.status(), 401, "revoked: stops working at once");
    let (_, html) = page(&app, &admin).await;
    assert!(html.contains("revoked"), "shown as revoked");
    let (_, location) = post_form(&app, &admin, "/api/revoke_api_token", &[("name", "provisioning")]).await;
    assert!(location.contains("error=not_found"), "once: {location}");
}

on_both_databases!(an_admin_creates_sees_once_and_revokes_a_token);
