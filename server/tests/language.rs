//! English and German, and times in the viewer's zone: chosen from the browser's language, the
//! language switch and the zone the browser reports.

use std::time::{Duration, Instant};

use crate::support::{Backend, TestApp, order, ordered_at, place_order, vendor_client};
use app::i18n::{Clock, Locale};
use app::model::Role;
use server::db::orders;
use server::jobs::sync::run_once;

/// 2026-11-20 09:30 UTC.
const AT: i64 = 1_795_167_000_000;

async fn page(client: &reqwest::Client, app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    let mut request = client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    response.text().await.unwrap()
}

async fn the_browsers_language_picks_english_or_german(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    orders::upsert(app.db.pool(), &order("20000000-0000-4000-8000-000000000001", "SUBSCRIPTION_CANCELLED"))
        .await
        .unwrap();
    let viewer = app.signed_in(Role::Viewer).await;

    let german = page(&viewer, &app, "/", &[("accept-language", "de-DE,de;q=0.9,en;q=0.8")]).await;
    assert!(german.contains(r#"<html lang="de""#), "{german}");
    assert!(german.contains("Gekündigt") && german.contains("Aufträge"), "{german}");
    assert!(!german.contains(">Cancelled<"), "no English state names on a German page");

    let english = page(&viewer, &app, "/", &[("accept-language", "fr-FR,en;q=0.5")]).await;
    assert!(english.contains(r#"<html lang="en""#) && english.contains("Cancelled"));

    let missing =
        app.client.get(app.url("/no/such/page")).header("accept-language", "de").send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Seite nicht gefunden"));
}

async fn the_language_switch_remembers_the_choice_over_the_browsers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = crate::support::cookie_client();

    let switched = client
        .post(app.url("/api/language"))
        .header("accept", "text/html")
        .form(&[("locale", "de"), ("next", "/login?next=%2Forders")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 302);
    assert_eq!(switched.headers()["location"], "/login?next=%2Forders");
    let cookie = switched.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("orderdesk_lang=de;") && cookie.contains("SameSite=Lax"), "{cookie}");

    let login = page(&client, &app, "/login", &[("accept-language", "en")]).await;
    assert!(login.contains(r#"<html lang="de""#) && login.contains("Anmelden"), "{login}");

    for (locale, next) in [("fr", "/"), ("de-XX", "/"), ("de", "https://evil.example/")] {
        let refused = client
            .post(app.url("/api/language"))
            .header("accept", "application/json")
            .form(&[("locale", locale), ("next", next)])
            .send()
            .await
            .unwrap();
        if locale == "de" {
            // A foreign address is never followed: the switch goes home instead.
            assert_eq!(refused.status(), 200);
        } else {
            assert_eq!(refused.status(), 422, "{locale}");
            assert!(refused.headers().get("set-cookie").is_none());
        }
    }
    let after = page(&client, &app, "/login", &[]).await;
    assert!(after.contains(r#"<html lang="de""#), "a refused switch keeps the earlier choice");
}

async fn times_are_shown_in_the_zone_the_browser_reported(backend: Backend) {
    // Before the browser reports its zone, times are in the vendor's default zone.
    let app = TestApp::spawn_with(backend, &["--default-time-zone", "UTC"]).await;
    let id = "20000000-0000-4000-8000-000000000002";
    orders::upsert(app.db.pool(), &ordered_at(order(id, "SUBSCRIPTION_ACTIVE"), AT)).await.unwrap();
    // The inbox shows when each order was placed.
    let path = "/orders".to_string();

    let utc = page(&app.signed_in(Role::Viewer).await, &app, &path, &[("accept-language", "en")]).await;
    assert!(utc.contains("20 Nov 2026, 09:30 UTC"), "{utc}");
    assert!(utc.contains("Times in UTC"));

    let local =
        page(&with_zone(&app, "Europe%2FBerlin").await, &app, &path, &[("accept-language", "de")]).await;
    assert!(local.contains("20.11.2026, 10:30 CET"), "{local}");
    assert!(local.contains("Zeiten in Europe/Berlin"));

    let nonsense = page(&with_zone(&app, "%3Cscript%3E").await, &app, &path, &[]).await;
    assert!(nonsense.contains("20 Nov 2026, 09:30 UTC"), "an unknown zone falls back to UTC");

    // Unless the vendor says, that zone is Europe/Berlin.
    let app = TestApp::spawn(backend).await;
    orders::upsert(app.db.pool(), &ordered_at(order(id, "SUBSCRIPTION_ACTIVE"), AT)).await.unwrap();
    let berlin = page(&app.signed_in(Role::Viewer).await, &app, &path, &[("accept-language", "en")]).await;
    assert!(
        berlin.contains("20 Nov 2026, 10:30 CET") && berlin.contains("Times in Europe/Berlin"),
        "{berlin}"
    );
    let reported = page(&with_zone(&app, "America%2FNew_York").await, &app, &path, &[]).await;
    assert!(reported.contains("20 Nov 2026, 04:30 EST"), "{reported}");
}

async fn operators_are_mailed_in_the_language_and_zone_of_their_browser(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    // Fourteen hours ahead of UTC and eleven behind: a date there is never the same day.
    let east = signed_in_from(&app, Role::Operator, "Pacific%2FKiritimati", Some("de-DE,de;q=0.9")).await;
    let west = signed_in_from(&app, Role::Operator, "Pacific%2FPago_Pago", Some("de")).await;
    let english = signed_in_from(&app, Role::Operator, "Europe%2FBerlin", Some("en-GB")).await;
    // Switching the language while signed in changes the mails' language too.
    let switched = signed_in_from(&app, Role::Operator, "Europe%2FBerlin", Some("en")).await;
    let answer = app.call(&switched.client, "/api/language", &[("locale", "de"), ("next", "/")]).await;
    assert_eq!(answer.status(), 200);

    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let deadline = orders::get(app.db.pool(), &id).await.unwrap().unwrap().deadline_ms;
    let mail_to = |email: String| {
        let db = app.db.clone();
        async move {
            let started = Instant::now();
            loop {
                const SQL: &str = "SELECT subject, body FROM captured_mails WHERE recipient = $1";
                let found: Option<(String, String)> =
                    sqlx::query_as(SQL).bind(&email).fetch_optional(db.pool()).await.unwrap();
                if let Some(mail) = found {
                    return mail;
                }
                assert!(started.elapsed() < Duration::from_secs(10), "no new-order mail to {email}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let due = |zone: &str, locale: Locale| Clock::named(zone).date(locale, deadline);

    let (subject, body) = mail_to(east.email).await;
    assert!(subject.starts_with("Neuer Auftrag:"), "{subject}");
    assert!(body.contains(&format!("fällig bis {}.", due("Pacific/Kiritimati", Locale::De))), "{body}");
    let (subject, body) = mail_to(west.email).await;
    assert!(subject.starts_with("Neuer Auftrag:"), "{subject}");
    assert!(body.contains(&format!("fällig bis {}.", due("Pacific/Pago_Pago", Locale::De))), "{body}");
    assert_ne!(due("Pacific/Kiritimati", Locale::De), due("Pacific/Pago_Pago", Locale::De));
    let (subject, body) = mail_to(english.email.clone()).await;
    assert!(subject.starts_with("New order:"), "{subject}");
    assert!(body.contains(&format!("due by {}.", due("Europe/Berlin", Locale::En))), "{body}");
    let (subject, _) = mail_to(switched.email).await;
    assert!(subject.starts_with("Neuer Auftrag:"), "{subject}");

    // Signing in again from a browser that reports no zone (no JavaScript) keeps the zone known.
    let again = crate::support::cookie_client();
    assert_eq!(app.sign_in(&again, &english.email, &english.password).await.status(), 200);

    // Admins see each operator's mail language and zone; viewers get none.
    let (viewer_email, _) = app.operator(Role::Viewer).await;
    let admin = app.signed_in(Role::Admin).await;
    let team = page(&admin, &app, "/operators", &[("accept-language", "en")]).await;
    assert!(team.contains(r#"Deutsch<span class="subline">Pacific/Kiritimati</span>"#), "{team}");
    assert!(team.contains(r#"English<span class="subline">Europe/Berlin</span>"#), "{team}");
    let viewer_row = team.split("<tr>").find(|row| row.contains(&viewer_email)).expect("the viewer's row");
    assert!(viewer_row.contains("viewers get no mails"), "{viewer_row}");
}

struct SignedIn {
    email: String,
    password: String,
    client: reqwest::Client,
}

/// A new operator with `role`, signed in from a browser that reported `zone` (URL-encoded, as the
/// browser stores it) and, if given, sends `accept_language`.
async fn signed_in_from(app: &TestApp, role: Role, zone: &str, accept_language: Option<&str>) -> SignedIn {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("orderdesk_tz={zone}; Path=/"), &app.url("/").parse().unwrap());
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(language) = accept_language {
        headers.insert("accept-language", language.parse().unwrap());
    }
    let client = reqwest::Client::builder()
        .cookie_provider(jar)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (email, password) = app.operator(role).await;
    assert_eq!(app.sign_in(&client, &email, &password).await.status(), 200);
    SignedIn { email, password, client }
}

/// A signed-in viewer whose browser reported `zone`.
async fn with_zone(app: &TestApp, zone: &str) -> reqwest::Client {
    signed_in_from(app, Role::Viewer, zone, None).await.client
}

on_both_databases!(
    the_browsers_language_picks_english_or_german,
    the_language_switch_remembers_the_choice_over_the_browsers,
    times_are_shown_in_the_zone_the_browser_reported,
    operators_are_mailed_in_the_language_and_zone_of_their_browser,
);
