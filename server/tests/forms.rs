//! Forms as a browser without JavaScript meets them: a refused form comes back with the one
//! field it was refused for marked (`aria-invalid`, its own reason beside it, the focus on it)
//! and the address typed kept; and an order page leads to the orders before and after it in
//! the inbox view last opened.

use app::model::{InboxPage, Neighbours, Role};

use crate::support::customers::{arrive, register};
use crate::support::{Backend, TestApp, cookie_client, place_order, vendor_client};
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

/// Posts `form` to `path` as a browser's form does; returns the `Location` it is sent to.
async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> String {
    let response = client
        .post(app.url(path))
        .header("accept", "text/html")
        .header("referer", app.url("/"))
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302, "{path}");
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn html(app: &TestApp, client: &reqwest::Client, location: &str) -> String {
    let path = location.split('#').next().unwrap();
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{location}");
    response.text().await.unwrap()
}

/// The opening tag of the input with ID `id`.
fn input<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<input id=\"{id}\"")).unwrap_or_else(|| panic!("no input {id}"));
    let end = start + page[start..].find('>').unwrap();
    &page[start..=end]
}

fn refused(tag: &str, described_by: &str) -> bool {
    tag.contains("aria-invalid=\"true\"")
        && tag.contains(&format!("aria-describedby=\"{described_by}\""))
        && tag.contains("autofocus")
}

async fn a_refused_sign_in_keeps_the_address_and_marks_the_password(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let (email, _) = app.operator(Role::Viewer).await;
    let browser = cookie_client();
    let form = [("email", email.as_str()), ("password", "wrong password!"), ("next", "/orders")];
    let back = post_form(&app, &browser, "/api/login", &form).await;
    assert!(
        back.starts_with("/login?next=/orders&email=") && back.ends_with("&error=unauthorized"),
        "{back}"
    );
    let page = html(&app, &browser, &back).await;
    assert!(input(&page, "email").contains(&format!("value=\"{email}\"")), "the address stays");
    assert!(refused(input(&page, "password"), "login-error"), "{}", input(&page, "password"));
    assert!(!input(&page, "email").contains("aria-invalid=\"true\""));
    assert!(page.contains("id=\"login-error\" role=\"alert\""));

    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    let customer = cookie_client();
    arrive(&app, &customer, &sim.redirect_token(&id)).await;
    register(&app, &customer, "owner+team@customer.example").await;
    let stranger = cookie_client();
    let form = [("email", "owner+team@customer.example"), ("password", "not the password")];
    let back = post_form(&app, &stranger, "/api/customer_login", &form).await;
    assert_eq!(back, "/my/login?email=owner%2Bteam%40customer.example&error=unauthorized");
    let page = html(&app, &stranger, &back).await;
    assert!(input(&page, "email").contains("value=\"owner+team@customer.example\""));
    assert!(refused(input(&page, "password"), "login-error"));

    // The team invitation: a refused address comes back beside its field, a sent one is confirmed.
    let team = format!("/my/subscriptions/{id}");
    let form = [("subscription_id", id.as_str()), ("email", "not an address")];
    let back = post_form(&app, &customer, "/api/invite_member", &form).await;
    assert_eq!(back, format!("{team}?form=invite&email=not%20an%20address&error=invalid&field=email#team"));
    let page = html(&app, &customer, &back).await;
    let field = input(&page, "invite-email");
    assert!(refused(field, "invite-email-error") && field.contains("value=\"not an address\""), "{field}");
    assert!(page.contains("This is not an e-mail address we can write to"));
    let form = [("subscription_id", id.as_str()), ("email", "colleague@customer.example")];
    let sent = post_form(&app, &customer, "/api/invite_member", &form).await;
    assert_eq!(sent, format!("{team}?invited=1#team"), "the address is not put in the address bar");
    let page = html(&app, &customer, &sent).await;
    assert!(page.contains("Invitation sent: the link in it works for 7 days."), "confirmed");
    assert!(page.contains("colleague@customer.example"), "the team lists the invitation");
    assert!(!input(&page, "invite-email").contains("value=\"colleague"), "the field is empty again");
    // Another form's refusal on the page (a failed removal) is not the invitation's.
    let page = html(&app, &customer, &format!("{team}?error=not_found&email=x%40y.example")).await;
    assert!(!page.contains("The invitation was not sent") && !input(&page, "invite-email").contains("x@y"));
}

async fn each_refused_field_gets_its_own_reason_and_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (email, password) = app.operator(Role::Operator).await;
    let operator = cookie_client();
    assert_eq!(app.sign_in(&operator, &email, &password).await.status(), 200);
    let cases = [
        (
            "wrong current password",
            "a new password 1",
            "a new password 1",
            "current",
            "This is not your current password.",
        ),
        (password.as_str(), "short", "short", "new", "Choose a password of at least 10 characters"),
        (password.as_str(), "a new password 1", "a new password 2", "repeat", "The two passwords differ"),
    ];
    for (current, new, repeat, field, reason) in cases {
        let form = [("current", current), ("new", new), ("repeat", repeat)];
        let back = post_form(&app, &operator, "/api/change_password", &form).await;
        assert_eq!(back, format!("/account?error=invalid&field={field}"));
        let page = html(&app, &operator, &back).await;
        assert!(refused(input(&page, field), &format!("{field}-error")), "{field}: {}", input(&page, field));
        assert!(page.contains(reason), "{field}: {reason}");
        assert!(!page.contains("role=\"alert\""), "{field}: no list of every cause above the form");
        for other in ["current", "new", "repeat"].into_iter().filter(|other| *other != field) {
            assert!(input(&page, other).contains("aria-invalid=\"false\""), "{field} → {other}");
        }
    }
    assert_eq!(app.sign_in(&cookie_client(), &email, &password).await.status(), 200, "nothing changed");

    // A used or made-up link says so, and only that.
    let browser = cookie_client();
    let form = [("token", "made-up"), ("password", "a new password 1"), ("repeat", "a new password 1")];
    for (path, page) in [("/api/customer_reset", "/my/reset"), ("/api/complete_setup", "/setup")] {
        let back = post_form(&app, &browser, path, &form).await;
        assert_eq!(back, format!("{page}?token=made-up&error=invalid&field=token"));
        let shown = html(&app, &browser, &back).await;
        assert!(shown.contains("This link is used, expired or unknown: ask for a new one."), "{page}");
        assert!(
            !shown.contains("shorter than 10") && !shown.contains("id=\"repeat-error\""),
            "{page}: one reason"
        );
        assert!(input(&shown, "password").contains("aria-invalid=\"false\""), "{page}");
    }
}

async fn neighbours(app: &TestApp, client: &reqwest::Client, id: &str) -> Neighbours {
    let response = app.call(client, "/api/order_neighbours", &[("subscription_id", id)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn rows(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> Vec<String> {
    let response = app.call(client, "/api/list_orders", form).await;
    assert_eq!(response.status(), 200);
    response.json::<InboxPage>().await.unwrap().rows.into_iter().map(|r| r.subscription_id).collect()
}

/// Every order of `order` (a whole view, fewer than a page) has the one before and the one after
/// it as neighbours, and none past either end.
async fn walk(app: &TestApp, client: &reqwest::Client, order: &[String], back: &str) {
    assert!((3..50).contains(&order.len()), "a view with a middle, on one page: {}", order.len());
    for (i, id) in order.iter().enumerate() {
        let found = neighbours(app, client, id).await;
        let previous = i.checked_sub(1).map(|p| order[p].clone());
        assert_eq!(found.previous, previous, "before {id} (row {i})");
        assert_eq!(found.next, order.get(i + 1).cloned(), "after {id} (row {i})");
        assert_eq!(found.back, back);
    }
}

async fn an_order_page_leads_to_its_neighbours_in_the_view_last_opened(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: 40,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let viewer = app.signed_in(Role::Viewer).await;

    // No view opened yet: the default inbox.
    let default = rows(&app, &viewer, &[("query[sort]", "deadline")]).await;
    walk(&app, &viewer, &default, "/orders?sort=deadline").await;
    let fresh = app.signed_in(Role::Viewer).await;
    assert_eq!(neighbours(&app, &fresh, &default[0]).await.next.as_ref(), Some(&default[1]));

    // The inbox page itself remembers its view (in a cookie for this browser only).
    let opened = viewer.get(app.url("/orders?state=SUBSCRIPTION_ACTIVE&sort=newest")).send().await.unwrap();
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("orderdesk_view=state=SUBSCRIPTION_ACTIVE&sort=newest")
            && cookie.contains("HttpOnly")
    );
    let active =
        rows(&app, &viewer, &[("query[state]", "SUBSCRIPTION_ACTIVE"), ("query[sort]", "newest")]).await;
    walk(&app, &viewer, &active, "/orders?state=SUBSCRIPTION_ACTIVE&sort=newest").await;
    let page = html(&app, &viewer, &format!("/orders/{}", active[1])).await;
    assert!(page.contains(&format!("href=\"/orders/{}\" rel=\"prev\"", active[0])), "the page links back");
    assert!(page.contains(&format!("href=\"/orders/{}\" rel=\"next\"", active[2])));
    assert!(page.contains("href=\"/orders?state=SUBSCRIPTION_ACTIVE&amp;sort=newest\""), "and to the view");

    // One state in deadline order (its own index), and a search.
    let by_deadline = rows(&app, &viewer, &[("query[state]", "SUBSCRIPTION_ACTIVE")]).await;
    walk(&app, &viewer, &by_deadline, "/orders?state=SUBSCRIPTION_ACTIVE").await;
    // "example": most contact addresses, few enough that SQLite takes them from its index.
    let found = rows(&app, &viewer, &[("query[q]", "example"), ("query[sort]", "newest")]).await;
    walk(&app, &viewer, &found, "/orders?q=example&sort=newest").await;

    // Another browser keeps its own view; a remembered view that no longer parses is the default.
    assert_eq!(neighbours(&app, &fresh, &default[1]).await.previous.as_ref(), Some(&default[0]));
    let (email, password) = app.operator(Role::Viewer).await;
    let signed = app.sign_in(&cookie_client(), &email, &password).await;
    let session = signed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let garbled = reqwest::Client::new()
        .post(app.url("/api/order_neighbours"))
        .header("accept", "application/json")
        .header("cookie", format!("{session}; orderdesk_view=state=NOPE&sort=sideways&q=%ZZ"))
        .form(&[("subscription_id", default[1].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status(), 200);
    let found = garbled.json::<Neighbours>().await.unwrap();
    assert_eq!((found.previous.as_ref(), found.back.as_str()), (Some(&default[0]), "/orders"));
    let unknown = neighbours(&app, &viewer, "no-such-order").await;
    assert_eq!((unknown.previous, unknown.next), (None, None), "nothing next to nothing");
    let anonymous =
        app.call(&cookie_client(), "/api/order_neighbours", &[("subscription_id", &default[0])]).await;
    assert_eq!(anonymous.status(), 401);

    // The view ends with the session (a search may name a customer); one too long is forgotten.
    let (long_term, long_product) = ("x".repeat(190), "p".repeat(900));
    let none = rows(&app, &viewer, &[("query[q]", &long_term), ("query[product]", &long_product)]).await;
    assert!(none.is_empty());
    assert_eq!(neighbours(&app, &viewer, &default[1]).await.back, "/orders", "the long view was not kept");
    let out = app.call(&viewer, "/api/logout", &[]).await;
    let cookies: Vec<String> =
        out.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("orderdesk_view=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
}

on_both_databases!(
    a_refused_sign_in_keeps_the_address_and_marks_the_password,
    each_refused_field_gets_its_own_reason_and_nothing_else,
    an_order_page_leads_to_its_neighbours_in_the_view_last_opened,
);
