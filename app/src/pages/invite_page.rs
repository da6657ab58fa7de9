//! `/my/invite?token=…`: the link in an invitation mail. A signed-in customer is asked whether to
//! join (only the invited address may); anyone else registers or signs in first (the link waits
//! in a cookie). Opening the link changes nothing by itself.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::invites::{AcceptInvite, InviteStep, open_invite};
use crate::i18n::{CustomerText, use_locale};
use crate::pages::signup_page::redirect_now;
use crate::pages::welcome_page::{ALERT, BUTTON};

const CARD: &str = "mx-auto mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm";

/// `/my/invite`
#[component]
pub fn InvitePage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let failed = query.with_untracked(|q| q.get("error").is_some());
    let outcome = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        open_invite,
    );
    let locale = use_locale();
    view! {
        <Title text=locale.t(CustomerText::InviteTitle) />
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match outcome.await {
                        Ok(InviteStep::Continue { to }) => {
                            redirect_now(&to);
                            view! { <p><a href=to.clone() class="text-sky-700 underline">{locale.t(CustomerText::MySubscriptions)}</a></p> }.into_any()
                        }
                        Ok(InviteStep::Confirm { project_id, invited_email, account_email, matches: true }) => view! {
                            <section class=CARD>
                                <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::InviteTitle)}</h1>
                                {failed.then(|| view! { <p role="alert" class=ALERT>{locale.t(CustomerText::InviteFailed)}</p> })}
                                <p class="mt-3 text-slate-700">{locale.f(CustomerText::InviteQuestion, &[("project", &project_id), ("email", &account_email)])}</p>
                                <p class="sr-only">{invited_email}</p>
                                <form method="post" action=AcceptInvite::url() class="mt-6 flex items-center gap-4">
                                    <input type="hidden" name="token" value=token />
                                    <button type="submit" class=format!("{BUTTON} sm:w-auto")>{locale.t(CustomerText::InviteAccept)}</button>
                                    <a href="/my" class="text-sm font-medium text-sky-700 underline">{locale.t(CustomerText::NotNow)}</a>
                                </form>
                            </section>
                        }.into_any(),
                        Ok(InviteStep::Confirm { invited_email, account_email, .. }) => view! {
                            <section role="alert" class=CARD>
                                <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::InviteTitle)}</h1>
                                <p class="mt-3 text-slate-700">{locale.f(CustomerText::InviteOtherAddress, &[("invited", &invited_email), ("email", &account_email)])}</p>
                            </section>
                        }.into_any(),
                        Err(_) => view! {
                            <section role="alert" class=CARD>
                                <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::InviteTitle)}</h1>
                                <p class="mt-3 text-slate-700">{locale.t(CustomerText::InviteFailed)}</p>
                            </section>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
