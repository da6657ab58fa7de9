//! "Sync now": a form that posts to the sync server function; once hydrated it runs in place and
//! shows progress and the result without leaving the page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::orders::{SyncNow, sync_now};
use crate::i18n::{Locale, SyncText};

/// The button, and the result of the last click, in `locale`.
#[island]
pub fn SyncButton(locale: Locale) -> impl IntoView {
    let action = Action::new(|_: &()| sync_now());
    let pending = action.pending();
    let result = move || {
        action.value().get().map(|outcome| match outcome {
            Ok((new, changed, unchanged)) => {
                locale.f(SyncText::Done, &[("new", &new), ("changed", &changed), ("unchanged", &unchanged)])
            }
            Err(error) => locale.f(SyncText::Failed, &[("reason", &error)]),
        })
    };
    view! {
        <form
            method="post"
            action=SyncNow::url()
            class="flex items-center gap-3"
            on:submit=move |event| {
                event.prevent_default();
                action.dispatch(());
            }
        >
            <span role="status" class="text-sm text-slate-600">
                {move || if pending.get() { Some(locale.t(SyncText::Running).to_string()) } else { result() }}
            </span>
            <button
                type="submit"
                disabled=move || pending.get()
                class="whitespace-nowrap rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
            >
                {locale.t(SyncText::Button)}
            </button>
        </form>
    }
}
