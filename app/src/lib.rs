//! Orderdesk's user interface: the HTML shell, the router, pages, components and server functions.
//! Compiled twice: with `ssr` into the server, and with `hydrate` into the browser's wasm. Leptos
//! runs in islands mode: every page is rendered on the server and works without JavaScript; the
//! few interactive parts are islands, the only code the browser downloads.

pub mod api;
pub mod components;
pub mod context;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod url;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::app_layout::AppLayout;
use crate::pages::account_page::AccountPage;
use crate::pages::api_tokens_page::ApiTokensPage;
use crate::pages::audit_page::AuditPage;
use crate::pages::confirm_signup_page::ConfirmSignupPage;
use crate::pages::customer_login_page::CustomerLoginPage;
use crate::pages::docs_page::DocsPage;
use crate::pages::home_page::HomePage;
use crate::pages::inbox_page::InboxPage;
use crate::pages::invite_page::InvitePage;
use crate::pages::login_page::LoginPage;
use crate::pages::my_subscriptions_page::MySubscriptionsPage;
use crate::pages::not_found_page::NotFoundPage;
use crate::pages::operators_page::OperatorsPage;
use crate::pages::order_page::OrderPage;
use crate::pages::outbox_page::OutboxPage;
use crate::pages::password_reset_page::{ForgotPasswordPage, ResetPasswordPage};
use crate::pages::settings_page::SettingsPage;
use crate::pages::setup_check_page::SetupCheckPage;
use crate::pages::setup_page::SetupPage;
use crate::pages::signup_page::SignupPage;
use crate::pages::subscription_status_page::SubscriptionStatusPage;
use crate::pages::verify_page::VerifyPage;
use crate::pages::welcome_page::WelcomePage;

/// The HTML document the server renders around [`App`].
/// Reads the viewer's language and time zone from the request first, for every component below.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let locale = i18n::provide_i18n().locale;
    #[cfg(not(feature = "ssr"))]
    let locale = i18n::Locale::En;
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the layout around them.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/orderdesk.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Orderdesk".to_string() } else { format!("{page} · Orderdesk") }
        } />
        <Router>
            <AppLayout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/orders") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/operators") view=OperatorsPage ssr=SsrMode::Async />
                    <Route path=path!("/api-tokens") view=ApiTokensPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/check") view=SetupCheckPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/docs/:name") view=DocsPage ssr=SsrMode::Async />
                    <Route path=path!("/welcome") view=WelcomePage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/my") view=MySubscriptionsPage ssr=SsrMode::Async />
                    <Route path=path!("/my/login") view=CustomerLoginPage ssr=SsrMode::Async />
                    <Route path=path!("/my/confirm") view=ConfirmSignupPage ssr=SsrMode::Async />
                    <Route path=path!("/my/forgot") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/my/invite") view=InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/my/reset") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/my/subscriptions/:id") view=SubscriptionStatusPage ssr=SsrMode::Async />
                </Routes>
            </AppLayout>
        </Router>
    }
}

/// The browser's entry point. Pages are server-rendered; only islands (`#[island]` components)
/// ship to the browser and come alive here, which keeps the bundle small however many pages
/// there are.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
