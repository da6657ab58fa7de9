//! A "Copy" button beside an address or ID an operator pastes elsewhere (a ticket, a terminal).
//! It needs the browser's clipboard, so it is hidden until the page's script runs and finds one
//! (a secure context): without either there is no button that cannot work, and the text stays
//! selectable.

use leptos::prelude::*;

use crate::i18n::{Locale, OrderText};

/// Copies the text of the element with ID `from` as it is when clicked (a part of the page that
/// live updates redraw stays right); `what` names it for screen readers ("Copy the contact
/// e-mail").
#[island]
pub fn CopyButton(from: String, what: String, locale: Locale) -> impl IntoView {
    let ready = RwSignal::new(false);
    let copied = RwSignal::new(false);
    // The clipboard is there only on pages served over HTTPS (or from this machine): elsewhere
    // the button stays hidden rather than fail.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        ready.set(
            window().is_secure_context()
                && js_sys::Reflect::has(&window().navigator(), &"clipboard".into()).unwrap_or(false),
        );
    });
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(text) = document().get_element_by_id(&from).and_then(|e| e.text_content()) else {
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                let written = window().navigator().clipboard().write_text(&text);
                if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
                    copied.set(true);
                    set_timeout(move || copied.set(false), std::time::Duration::from_secs(3));
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &from;
    };
    view! {
        <button type="button" hidden=move || !ready.get() on:click=copy
            aria-label=locale.f(OrderText::CopyLabel, &[("what", &what)])
            class="ml-2 rounded border border-slate-300 bg-white px-1.5 py-0.5 align-middle text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
            {move || locale.t(if copied.get() { OrderText::Copied } else { OrderText::Copy })}
        </button>
        // Not `role="status"`: the page has its own status messages; this one only speaks.
        <span aria-live="polite" class="sr-only">{move || copied.get().then(|| locale.t(OrderText::Copied))}</span>
    }
}
