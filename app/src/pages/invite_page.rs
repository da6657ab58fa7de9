//! `/my/invite?token=…`: the link in an invitation mail. A signed-in customer joins the project at
//! once; anyone else registers or signs in first (the link waits in a cookie).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::open_invite;
use crate::i18n::{CustomerText, use_locale};
use crate::pages::signup_page::redirect_now;

/// `/my/invite`
#[component]
pub fn InvitePage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let outcome = Resource::new(move || token.clone(), open_invite);
    let locale = use_locale();
    view! {
        <Title text=locale.t(CustomerText::InviteTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match outcome.await {
                    Ok(to) => {
                        redirect_now(&to);
                        view! { <p><a href=to.clone() class="text-sky-700 underline">{locale.t(CustomerText::MySubscriptions)}</a></p> }.into_any()
                    }
                    Err(_) => view! {
                        <section role="alert" class="mx-auto mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
                            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::InviteTitle)}</h1>
                            <p class="mt-3 text-slate-700">{locale.t(CustomerText::InviteFailed)}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
