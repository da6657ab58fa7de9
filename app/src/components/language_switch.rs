//! The language switch: one button per language, the current one pressed. A plain form, so it
//! works without JavaScript, and it brings the viewer back to the page they were on.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::use_location;

use crate::api::preferences::SetLanguage;
use crate::i18n::{Layout, Locale};

/// The switch, for the page in `current`.
#[component]
pub fn LanguageSwitch(current: Locale) -> impl IntoView {
    let location = use_location();
    let here = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        let search = search.trim_start_matches('?');
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    view! {
        <form method="post" action=SetLanguage::url() class="flex items-center gap-1">
            <span id="language-label">{current.t(Layout::Language)} ":"</span>
            <input type="hidden" name="next" value=here />
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="submit"
                            name="locale"
                            value=locale.tag()
                            lang=locale.tag()
                            aria-pressed=if locale == current { "true" } else { "false" }
                            class="rounded px-1.5 py-0.5 hover:bg-slate-200 aria-pressed:font-semibold aria-pressed:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-700"
                        >
                            {locale.name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
