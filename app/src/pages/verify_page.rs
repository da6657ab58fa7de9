//! `/verify?token=…`: the link in the verification mail confirms the customer's address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::verify_email;
use crate::i18n::{CustomerText, use_locale};

/// `/verify`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let outcome = Resource::new(move || token.clone(), verify_email);
    let locale = use_locale();
    view! {
        <Title text=locale.t(CustomerText::VerifyTitle) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::VerifyTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (role, text) = match outcome.await {
                    Ok(()) => ("status", CustomerText::Verified),
                    Err(_) => ("alert", CustomerText::VerifyFailed),
                };
                view! {
                    <p role=role class="mt-4 text-slate-700">{locale.t(text)}</p>
                    <p class="mt-4"><a href="/my" class="text-sky-700 underline">{locale.t(CustomerText::MySubscriptions)}</a></p>
                }
            })}
        </Suspense>
    }
}
