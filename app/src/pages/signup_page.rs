//! `/signup?x-stackit-marketplace-token=…`: where STACKIT sends a customer after an order. The
//! token is verified and exchanged on the server; the browser then goes on to registration (or to
//! the status page when already signed in). A failure is a page that says what to do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{SignupFailure, SignupOutcome, start_signup};
use crate::i18n::{CustomerText, use_locale};

/// The query parameter STACKIT's docs name, and the other spelling some of its texts use.
pub const TOKEN_PARAMETERS: [&str; 2] = ["x-stackit-marketplace-token", "x-stackit-marketplace"];

/// `/signup`
#[component]
pub fn SignupPage() -> impl IntoView {
    let query = use_query_map();
    let token =
        query.with_untracked(|q| TOKEN_PARAMETERS.iter().find_map(|name| q.get(name)).unwrap_or_default());
    let outcome = Resource::new(move || token.clone(), start_signup);
    let locale = use_locale();
    view! {
        <Suspense fallback=move || view! { <p class="text-sm text-slate-500">{locale.t(CustomerText::Loading)}</p> }>
            {move || Suspend::new(async move {
                let outcome = outcome.await.unwrap_or(SignupOutcome::Failed {
                    problem: SignupFailure::Internal,
                    reference: "-".into(),
                });
                match outcome {
                    SignupOutcome::Continue { to } => {
                        redirect_now(&to);
                        view! { <p><a href=to.clone() class="text-sky-700 underline">{to.clone()}</a></p> }.into_any()
                    }
                    SignupOutcome::Failed { problem, reference } => {
                        view! { <SignupFailed problem reference /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Sends the browser on with a 303 while the page is rendered on the server.
pub fn redirect_now(to: &str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(location) = http::HeaderValue::from_str(to)
    {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, location);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = to;
}

#[component]
fn SignupFailed(problem: SignupFailure, reference: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(problem.status())
    {
        response.set_status(status);
    }
    let locale = use_locale();
    let what = match problem {
        SignupFailure::Invalid => CustomerText::SignupInvalid,
        SignupFailure::Expired => CustomerText::SignupExpired,
        SignupFailure::AlreadyUsed => CustomerText::SignupUsed,
        SignupFailure::Unreachable => CustomerText::SignupUnreachable,
        SignupFailure::Internal => CustomerText::SignupInternal,
    };
    view! {
        <Title text=locale.t(CustomerText::SignupFailedTitle) />
        <section role="alert" class="mx-auto mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::SignupFailedTitle)}</h1>
            <p class="mt-3 text-slate-700">{locale.t(what)}</p>
            <p class="mt-3 text-slate-600">{locale.f(CustomerText::SignupWhatToDo, &[("reference", &reference)])}</p>
        </section>
    }
}
