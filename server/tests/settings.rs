//! Settings over HTTP: products, their checklist templates, and the STACKIT connection shown
//! without secrets.

use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::{Role, Settings};
use server::jobs::sync::run_once;

async fn admins_shape_the_checklist_new_orders_get(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let admin = app.signed_in(Role::Admin).await;
    let settings = |admin: reqwest::Client| {
        let url = app.url("/api/get_settings");
        async move {
            admin
                .post(url)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .json::<Settings>()
                .await
                .unwrap()
        }
    };
    let product = "datavault-1a2b3c4d";
    assert_eq!(
        app.call(
            &admin,
            "/api/save_product",
            &[("product_id", product), ("name", "DataVault"), ("window_days", "14")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.call(
            &admin,
            "/api/save_product",
            &[("product_id", "Not An ID"), ("name", "x"), ("window_days", "14")]
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        app.call(
            &admin,
            "/api/save_product",
            &[("product_id", product), ("name", "x"), ("window_days", "31")]
        )
        .await
        .status(),
        422
    );
    let wording = [
        ("customer_title_en", "Your tenant is created"),
        ("customer_description_en", "We create it for you."),
        ("customer_title_de", "Ihr Mandant wird angelegt"),
        ("customer_description_de", "Wir legen ihn für Sie an."),
    ];
    for (title, visible) in [("Create tenant", true), ("Invoice setup", false), ("Send welcome mail", true)] {
        let mut form = vec![("product_id", product), ("title", title), ("description", "")];
        if visible {
            form.extend(wording);
        }
        assert_eq!(app.call(&admin, "/api/add_template_step", &form).await.status(), 200);
    }
    // A step customers see needs what they read, in both languages; nothing is half-saved.
    for missing in ["customer_title_en", "customer_title_de"] {
        let mut form =
            vec![("product_id", product), ("title", "Half"), ("description", ""), ("customer_visible", "on")];
        form.extend(wording.iter().filter(|(k, _)| *k != missing));
        let answer = app.call(&admin, "/api/add_template_step", &form).await;
        let status = answer.status();
        let body = answer.text().await.unwrap();
        assert_eq!(status, 422, "without {missing}: {body}");
        assert!(body.contains(missing), "{body}");
    }
    let long = "x".repeat(201);
    let form = [
        ("product_id", product),
        ("step_id", "nope"),
        ("customer_title_en", &long),
        ("customer_title_de", "y"),
    ];
    assert_eq!(app.call(&admin, "/api/set_step_wording", &form).await.status(), 422);
    let current = settings(admin.clone()).await;
    let steps = &current.products.iter().find(|p| p.product_id == product).unwrap().steps;
    assert_eq!(
        steps.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Create tenant", "Invoice setup", "Send welcome mail"]
    );
    assert!(!steps[1].customer_visible);
    assert_eq!(steps[0].customer.de.title, "Ihr Mandant wird angelegt");
    assert_eq!(steps.len(), 3, "the refused steps were not added");
    let invoice = steps[1].id.clone();
    // Shown to customers later, with their wording.
    let form = [
        ("product_id", product),
        ("step_id", invoice.as_str()),
        ("customer_title_en", "  Your invoice is set up "),
        ("customer_title_de", "Ihre Rechnung ist eingerichtet"),
    ];
    assert_eq!(app.call(&admin, "/api/set_step_wording", &form).await.status(), 200);
    // Only admins word steps: an operator, a viewer and nobody are refused, and nothing changes.
    let rewrite = [
        ("product_id", product),
        ("step_id", invoice.as_str()),
        ("customer_title_en", "Hijacked"),
        ("customer_title_de", "Entführt"),
    ];
    for role in [Role::Operator, Role::Viewer] {
        let client = app.signed_in(role).await;
        assert_eq!(app.call(&client, "/api/set_step_wording", &rewrite).await.status(), 403, "{role:?}");
    }
    let anonymous = crate::support::cookie_client();
    assert_eq!(app.call(&anonymous, "/api/set_step_wording", &rewrite).await.status(), 401);
    let form = [
        ("product_id", product),
        ("step_id", "no-such-step"),
        ("customer_title_en", "a"),
        ("customer_title_de", "b"),
    ];
    assert_eq!(app.call(&admin, "/api/set_step_wording", &form).await.status(), 404);
    assert_eq!(
        app.call(
            &admin,
            "/api/move_template_step",
            &[("product_id", product), ("step_id", &invoice), ("up", "false")]
        )
        .await
        .status(),
        200
    );
    let first = steps[0].id.clone();
    assert_eq!(
        app.call(&admin, "/api/remove_template_step", &[("product_id", product), ("step_id", &first)])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call(&admin, "/api/remove_template_step", &[("product_id", product), ("step_id", &first)])
            .await
            .status(),
        404
    );

    let id = place_order(&sim, product, "dv-starter-5e6f7a8b", None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let detail: app::model::OrderDetail =
        app.call(&admin, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    assert_eq!(
        detail.steps.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Send welcome mail", "Invoice setup"]
    );
    let wording: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT customer_title_en, customer_title_de, customer_visible FROM order_steps
         WHERE subscription_id = $1 ORDER BY position",
    )
    .bind(&id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        wording,
        [
            ("Your tenant is created".into(), "Ihr Mandant wird angelegt".into(), 1),
            ("Your invoice is set up".into(), "Ihre Rechnung ist eingerichtet".into(), 1),
        ],
        "the order copies what customers read"
    );

    let shown = settings(admin).await;
    assert_eq!(shown.stackit.vendor_project_id.as_deref(), Some(sim.vendor_project_id().as_str()));
    assert!(shown.stackit.credentials.starts_with("service-account key file"));
    let operator = app.signed_in(Role::Operator).await;
    assert_eq!(app.call(&operator, "/api/get_settings", &[]).await.status(), 403);
    assert_eq!(
        app.call(
            &operator,
            "/api/save_product",
            &[("product_id", product), ("name", "x"), ("window_days", "3")]
        )
        .await
        .status(),
        403
    );
}

on_both_databases!(admins_shape_the_checklist_new_orders_get);
