//! The customer side over HTTP, against the simulator: the sign-up redirect (good and bad tokens),
//! registration, the verification mail, identity reuse, and who may see which subscription.

use crate::support::customers::{PASSWORD, arrive, count, mail_to, page, register};
use crate::support::{Backend, TestApp, cookie_client, place_order};
use app::model::Role;

async fn a_customer_arrives_registers_and_follows_the_setup(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let token = sim.redirect_token(&id);
    let customer = cookie_client();

    assert_eq!(arrive(&app, &customer, &token).await, (303, "/welcome".to_string()));
    assert_eq!(arrive(&app, &customer, &token).await, (303, "/welcome".to_string()), "reloading goes on");
    assert_eq!(count(&app, "orders").await, 1, "one order, however often the redirect is loaded");
    let (_, welcome) = page(&app, &customer, "/welcome").await;
    assert!(welcome.contains("DataVault"), "{welcome}");
    assert!(!welcome.contains(&token), "the token goes no further than the redirect");

    assert_eq!(register(&app, &customer, "Ada@Customer.example").await.status(), 200);
    let order = server::db::orders::get(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(order.contact_email.as_deref(), Some("ada@customer.example"));
    assert_eq!(order.contact_email_source.as_deref(), Some("customer"));

    let received = mail_to(&app, "ada@customer.example", "setting it up for you").await;
    assert!(received.contains(&format!("/my/subscriptions/{id}")), "{received}");
    let (status, list) = page(&app, &customer, "/my").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("/my/subscriptions/{id}")), "{list}");
    assert!(!list.contains("Please confirm"), "the mailed link confirmed the address: {list}");

    let steps: Vec<(String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, title, customer_visible, customer_title_en, customer_title_de
         FROM order_steps WHERE subscription_id = $1 ORDER BY position",
    )
    .bind(&id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let visible: Vec<_> = steps.iter().filter(|s| s.2 == 1).collect();
    let internal: Vec<_> = steps.iter().filter(|s| s.2 == 0).collect();
    assert!(!visible.is_empty() && !internal.is_empty(), "the default checklist has both kinds");
    let status_path = format!("/my/subscriptions/{id}");
    let (_, before) = page(&app, &customer, &status_path).await;
    assert!(before.contains(&format!("0 of {} steps done", visible.len())), "{before}");
    assert!(before.contains("Being set up"));
    let order = server::db::orders::get(app.db.pool(), &id).await.unwrap().unwrap();
    let zone = app::i18n::Clock::named("Europe/Berlin");
    let expected = zone.date(app::i18n::Locale::En, order.deadline_ms);
    assert!(
        before.contains("Expected ready by") && before.contains(&expected),
        "expected {expected}: {before}"
    );
    let german = customer.get(app.url(&status_path)).header("accept-language", "de").send().await.unwrap();
    let german = german.text().await.unwrap();
    assert!(
        german.contains("Wird eingerichtet") && german.contains("Voraussichtlich fertig bis"),
        "{german}"
    );
    for step in &internal {
        assert!(!before.contains(&step.1), "internal step {:?} is not for customers", step.1);
    }
    for step in &visible {
        assert!(before.contains(&step.3), "the customer reads {:?}: {before}", step.3);
        assert!(german.contains(&step.4), "a German customer reads {:?}: {german}", step.4);
        for page in [&before, &german] {
            assert!(!page.contains(&step.1), "the operators' title {:?} is internal", step.1);
        }
    }
    assert!(german.contains("Wir richten Ihre Instanz ein"), "{german}");

    let operator = app.signed_in(Role::Operator).await;
    let note = app
        .call(&operator, "/api/add_note", &[("subscription_id", &id), ("body", "Internal: VIP discount")])
        .await;
    assert_eq!(note.status(), 200);
    let detail: serde_json::Value =
        app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    assert_eq!(
        detail["customer_accounts"],
        serde_json::json!(["ada@customer.example"]),
        "operators see who registered"
    );
    let ticked = app
        .call(
            &operator,
            "/api/set_step",
            &[("subscription_id", &id), ("step_id", &visible[0].0), ("done", "true")],
        )
        .await;
    assert_eq!(ticked.status(), 200);
    let internal_tick = app
        .call(
            &operator,
            "/api/set_step",
            &[("subscription_id", &id), ("step_id", &internal[0].0), ("done", "true")],
        )
        .await;
    assert_eq!(internal_tick.status(), 200);
    let step_mail = mail_to(&app, "ada@customer.example", "is done").await;
    assert!(step_mail.contains(&visible[0].3), "{step_mail}");
    assert!(!step_mail.contains(&visible[0].1), "never the operators' title: {step_mail}");
    let (_, after) = page(&app, &customer, &status_path).await;
    assert!(!after.contains("VIP discount"), "internal notes never reach the customer");
    assert!(after.contains(&format!("1 of {} steps done", visible.len())), "{after}");

    let approved = app
        .call(
            &operator,
            "/api/approve_order",
            &[("subscription_id", &id), ("instance_url", "https://ada.datavault.example")],
        )
        .await;
    assert_eq!(approved.status(), 200);
    let (_, active) = page(&app, &customer, &status_path).await;
    assert!(
        active.contains("https://ada.datavault.example") && active.contains("Open your instance"),
        "{active}"
    );
    mail_to(&app, "ada@customer.example", "Your instance:\n\nhttps://ada.datavault.example").await;
    let internal_mails: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM captured_mails WHERE body LIKE '%Record the customer in billing%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(internal_mails, 0, "internal steps are never mailed");
    let new_order_notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'notify' AND dedupe_key = $1")
            .bind(format!("notify:new:{id}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(new_order_notices, 1, "operators hear of the new order once");

    let mail = mail_to(&app, "ada@customer.example", "/verify?token=").await;
    let link = mail.split_whitespace().find(|w| w.contains("/verify?token=")).expect("a link in the mail");
    let path = &link[link.find("/verify").unwrap()..];
    // `register` confirmed the address with this link: opening it again only asks, and the
    // button then says it is used.
    let (status, asked) = page(&app, &customer, path).await;
    assert_eq!(status, 200);
    assert!(asked.contains("Confirm my address"), "{asked}");
    let token = path.split("token=").nth(1).unwrap();
    let again = app.call(&customer, "/api/verify_email", &[("token", token), ("password", PASSWORD)]).await;
    assert_eq!(again.status(), 422, "a link works once");
    let (_, list) = page(&app, &customer, "/my?verified=1").await;
    assert!(!list.contains("Please confirm") && list.contains("is confirmed"), "{list}");
}

async fn bad_sign_up_links_get_a_clear_page_and_create_nothing(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let good = sim.redirect_token(&id);
    // A changed character in the middle of the signature (the last one may only hold padding bits).
    let at = good.len() - 20;
    let swapped = if &good[at..=at] == "A" { "B" } else { "A" };
    let tampered = format!("{}{swapped}{}", &good[..at], &good[at + 1..]);
    // Signed with a shared secret instead of STACKIT's key: the algorithm is pinned to RS256.
    let claims = serde_json::json!({ "iss": sim.keys_url(), "sub": id, "exp": 4_000_000_000_i64 });
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"guessed"),
    )
    .unwrap();
    let huge = "a".repeat(20_000);
    let cases = [
        (hs256.as_str(), 400, "incomplete or not genuine"),
        (huge.as_str(), 400, "incomplete or not genuine"),
        ("", 400, "incomplete or not genuine"),
        ("not-a-jwt", 400, "incomplete or not genuine"),
        (tampered.as_str(), 400, "incomplete or not genuine"),
        (&sim.redirect_token_lasting(&id, -600), 410, "expired"),
    ];
    for (token, status, words) in cases {
        let (got, body) = arrive(&app, &cookie_client(), token).await;
        assert_eq!(got, status, "{token}: {body}");
        assert!(body.contains(words) && body.contains("open the product again"), "{body}");
        assert!(body.contains("reference"), "a reference to find in the logs");
    }
    // (The order itself may be there: the sync on start reads it from STACKIT, as it should.)
    for table in ["signups", "marketplace_tokens", "customers", "customer_projects"] {
        assert_eq!(count(&app, table).await, 0, "{table} after bad tokens");
    }

    sim.inject(server::marketplace::simulator::Fault::next(
        server::marketplace::simulator::FaultKind::Status { status: 503 },
        10,
    ));
    let (got, body) = arrive(&app, &cookie_client(), &good).await;
    assert_eq!(got, 502, "{body}");
    assert!(body.contains("could not reach STACKIT"));
    assert_eq!(count(&app, "signups").await, 0);
    sim.clear_faults();

    assert_eq!(arrive(&app, &cookie_client(), &good).await.0, 303);
    let (got, body) = arrive(&app, &cookie_client(), &good).await;
    assert_eq!(got, 410, "another browser with a used token");
    assert!(body.contains("used already"));
    assert_eq!(count(&app, "orders").await, 1);
    assert_eq!(count(&app, "signups").await, 1);
}

async fn one_identity_holds_subscriptions_of_several_projects(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let first = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let second = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let customer = cookie_client();
    arrive(&app, &customer, &sim.redirect_token(&first)).await;
    assert_eq!(register(&app, &customer, "grace@customer.example").await.status(), 200);

    let (status, to) = arrive(&app, &customer, &sim.redirect_token(&second)).await;
    assert_eq!((status, to.as_str()), (303, "/my/confirm"), "signed in: asked first");
    let (_, question) = page(&app, &customer, "/my/confirm").await;
    assert!(question.contains("to your account grace@customer.example"), "{question}");
    let (_, list) = page(&app, &customer, "/my").await;
    assert!(!list.contains(second.as_str()), "nothing is linked before the customer says so");
    let confirmed = app.call(&customer, "/api/confirm_signup", &[]).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.json::<String>().await.unwrap(), second);
    assert_eq!(app.call(&customer, "/api/confirm_signup", &[]).await.status(), 409, "once");

    let elsewhere = cookie_client();
    let third = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    arrive(&app, &elsewhere, &sim.redirect_token(&third)).await;
    let login = elsewhere
        .post(app.url("/api/customer_login"))
        .header("accept", "application/json")
        .form(&[("email", "grace@customer.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200, "signing in links the third");

    let (_, list) = page(&app, &elsewhere, "/my").await;
    for id in [&first, &second, &third] {
        assert!(list.contains(id.as_str()), "{id} in {list}");
    }
    assert_eq!(count(&app, "customers").await, 1);
}

async fn customers_see_only_their_own_subscriptions_and_never_the_console(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let mine = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let theirs = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let a = cookie_client();
    arrive(&app, &a, &sim.redirect_token(&mine)).await;
    register(&app, &a, "a@customer.example").await;
    let b = cookie_client();
    arrive(&app, &b, &sim.redirect_token(&theirs)).await;
    register(&app, &b, "b@customer.example").await;

    let mut successes = 0;
    for (path, form) in [
        ("/api/subscription_status", vec![("subscription_id", theirs.as_str())]),
        ("/api/subscription_status", vec![("subscription_id", "no-such-subscription")]),
        ("/api/subscription_team", vec![("subscription_id", theirs.as_str())]),
        ("/api/invite_member", vec![("subscription_id", theirs.as_str()), ("email", "spy@customer.example")]),
        ("/api/remove_member", vec![("subscription_id", theirs.as_str()), ("member_id", "anyone")]),
        ("/api/list_orders", vec![("query[sort]", "deadline")]),
        ("/api/get_order", vec![("subscription_id", theirs.as_str())]),
        ("/api/dashboard", vec![]),
        ("/api/me", vec![]),
    ] {
        let response = app.call(&a, path, &form).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        // `/api/me` answers `null` to anyone who is not an operator.
        if status < 300 && body != "null" {
            successes += 1;
        }
    }
    assert_eq!(successes, 0, "customer A reached B's data or the console");
    assert_eq!(page(&app, &a, &format!("/my/subscriptions/{theirs}")).await.0, 404);
    assert_eq!(page(&app, &a, &format!("/my/subscriptions/{mine}")).await.0, 200);
    let console = a.get(app.url("/orders")).send().await.unwrap();
    assert_eq!(console.status(), 302, "a customer session is no operator session");
    let anonymous = page(&app, &cookie_client(), &format!("/my/subscriptions/{mine}")).await;
    assert_ne!(anonymous.0, 200);
}

async fn the_sign_up_path_registered_with_stackit_can_be_another(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--signup-path", "/stackit/welcome"]).await;
    let response = app.get("/stackit/welcome?x-stackit-marketplace-token=abc.def.ghi").await;
    assert_eq!(response.status(), 307);
    assert_eq!(response.headers()["location"], "/signup?x-stackit-marketplace-token=abc.def.ghi");
    for bad in ["signup", "/api/x", "/a b", "/"] {
        let parsed =
            <server::config::Cli as clap::Parser>::try_parse_from(["orderdesk", "--signup-path", bad]);
        assert!(parsed.is_err(), "{bad}");
    }
}

async fn the_documentation_pages_render_the_vendors_markdown_safely(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("usage.md"),
        "# Our usage guide\n\n<script>alert(1)</script>\n\nA [bad link](javascript:alert(1)).",
    )
    .unwrap();
    let dir = folder.path().display().to_string();
    let app = TestApp::spawn_with(backend, &["--docs-dir", &dir]).await;
    let (status, built_in) = page(&app, &app.client, "/docs/marketplace").await;
    assert_eq!(status, 200);
    assert!(built_in.contains("Billing starts only when the subscription becomes active"));
    let german =
        app.client.get(app.url("/docs/marketplace")).header("accept-language", "de").send().await.unwrap();
    assert!(german.text().await.unwrap().contains("Die Abrechnung beginnt erst"));
    let (_, own) = page(&app, &app.client, "/docs/usage").await;
    assert!(own.contains("Our usage guide") && own.contains("&lt;script&gt;"), "{own}");
    assert!(own.contains("bad link"), "{own}");
    for bad in ["<script>alert", "href=\"javascript:"] {
        let at = own.find(bad).map(|i| own[i.saturating_sub(200)..(i + 100).min(own.len())].to_string());
        assert!(at.is_none(), "{bad}: {at:?}");
    }
    assert_eq!(page(&app, &app.client, "/docs/secrets").await.0, 404);
    assert_eq!(page(&app, &app.client, "/docs/..%2F..%2Fetc%2Fpasswd").await.0, 404);
}

on_both_databases!(
    the_documentation_pages_render_the_vendors_markdown_safely,
    the_sign_up_path_registered_with_stackit_can_be_another,
    a_customer_arrives_registers_and_follows_the_setup,
    bad_sign_up_links_get_a_clear_page_and_create_nothing,
    one_identity_holds_subscriptions_of_several_projects,
    customers_see_only_their_own_subscriptions_and_never_the_console,
);
