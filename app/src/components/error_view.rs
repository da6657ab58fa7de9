//! How a failed page looks, and the HTTP status it is sent with.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::{AppError, first_app_error};
use crate::i18n::{ErrorText, use_locale};

/// A full-width error message with advice; during SSR it also sets the response status.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
        // A page that needs a signed-in operator sends the browser to sign in, then back.
        if error == AppError::Unauthorized
            && let Some(parts) = use_context::<http::request::Parts>()
        {
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let login = if crate::components::app_layout::is_customer_path(parts.uri.path()) {
                "/my/login".to_string()
            } else {
                format!("/login?next={}", crate::url::urlencode(here))
            };
            if let Ok(location) = http::HeaderValue::from_str(&login) {
                response.set_status(http::StatusCode::FOUND);
                response.insert_header(http::header::LOCATION, location);
            }
        }
    }
    let locale = use_locale();
    let (href, action) = if error == AppError::Unauthorized {
        ("/login", ErrorText::SignIn)
    } else {
        ("/", ErrorText::BackToOverview)
    };
    view! {
        <Title text=error.title(locale) />
        <section role="alert" class="mx-auto mt-10 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
            <p class="text-sm font-medium text-slate-500">{locale.f(ErrorText::ErrorStatus, &[("status", &error.status())])}</p>
            <h1 class="mt-1 text-2xl font-semibold tracking-tight">{error.title(locale)}</h1>
            <p class="mt-3 text-slate-600">{error.advice(locale)}</p>
            <a
                href=href
                class="mt-6 inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
            >
                {locale.t(action)}
            </a>
        </section>
    }
}

/// The fallback for an `ErrorBoundary`: shows the first error it caught.
pub fn error_fallback(errors: ArcRwSignal<leptos::error::Errors>) -> impl IntoView {
    move || first_app_error(&errors.read()).map(|error| view! { <ErrorView error /> })
}
