//! The signed-in operator in the header, with their account and signing out. On a phone its
//! links wrap onto lines of their own instead of widening the page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::auth::{Logout, get_me};
use crate::i18n::{Layout, use_i18n};

/// Name, role, a link to the account page and a sign-out button; nothing when signed out.
#[component]
pub fn UserMenu() -> impl IntoView {
    let locale = use_i18n().locale;
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().flatten().map(|operator| {
                    view! {
                        <div class="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                            {operator.has(crate::model::Role::Admin).then(|| view! {
                                <a href="/operators" class="rounded px-2 py-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400">{locale.t(Layout::Operators)}</a>
                                <a href="/settings" class="rounded px-2 py-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400">{locale.t(Layout::Settings)}</a>
                                <a href="/audit" class="rounded px-2 py-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400">{locale.t(Layout::AuditLog)}</a>
                                <a href="/outbox" class="rounded px-2 py-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400">{locale.t(Layout::Outbox)}</a>
                            })}
                            <a href="/account" class="rounded px-2 py-1 text-slate-300 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400">
                                {operator.display_name}
                                <span class="ml-2 rounded bg-slate-800 px-1.5 py-0.5 text-xs text-slate-300">{locale.t(operator.role.text())}</span>
                            </a>
                            <form method="post" action=Logout::url()>
                                <button type="submit" class="rounded-md border border-slate-700 px-2.5 py-1 text-slate-200 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-400">
                                    {locale.t(Layout::SignOut)}
                                </button>
                            </form>
                        </div>
                    }
                })
            })}
        </Suspense>
    }
}
