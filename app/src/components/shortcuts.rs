//! Keyboard shortcuts of the console, for operators who work through many orders: `j` / `k`
//! move through the inbox's orders (Enter opens one, as any link), `a` assigns the current one
//! to oneself, `x` ticks the next open step on an order's page, `?` shows them all. Never while
//! typing in a field, never with Ctrl, Alt or Meta. The elements they act on say so with a
//! `data-shortcut` attribute, so the pages need no script of their own.

use leptos::prelude::*;

use crate::i18n::{Layout, Locale};

/// Listens for the shortcuts and shows their list on `?` (Escape closes it).
#[island]
pub fn Shortcuts(locale: Locale) -> impl IntoView {
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let handle = window_event_listener(leptos::ev::keydown, move |event| {
                if event.ctrl_key() || event.meta_key() || event.alt_key() || typing(&event) {
                    return;
                }
                let done = match event.key().as_str() {
                    "j" => move_through_orders(1),
                    "k" => move_through_orders(-1),
                    "a" => click_in_current_row("[data-shortcut=assign]"),
                    "x" => click_first("[data-shortcut=tick]"),
                    "?" => {
                        open.update(|open| *open = !*open);
                        true
                    }
                    "Escape" if open.get_untracked() => {
                        open.set(false);
                        true
                    }
                    _ => false,
                };
                if done {
                    event.prevent_default();
                }
            });
            on_cleanup(move || handle.remove());
        }
    });
    let keys = [
        ("j / k", Layout::KeyMove),
        ("Enter", Layout::KeyOpen),
        ("a", Layout::KeyAssign),
        ("x", Layout::KeyTick),
        ("?", Layout::KeyHelp),
    ];
    view! {
        <Show when=move || open.get()>
            <div role="dialog" aria-labelledby="shortcuts-title" class="fixed bottom-4 right-4 z-20 w-72 rounded-lg border border-slate-300 bg-white p-4 text-sm text-slate-800 shadow-lg">
                <h2 id="shortcuts-title" class="font-semibold">{locale.t(Layout::Shortcuts)}</h2>
                <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                    {keys.into_iter().map(|(key, what)| view! {
                        <dt><kbd class="rounded border border-slate-300 bg-slate-50 px-1 font-mono text-xs">{key}</kbd></dt>
                        <dd>{locale.t(what)}</dd>
                    }).collect_view()}
                </dl>
                <p class="mt-2 text-xs text-slate-600">{locale.t(Layout::KeyClose)}</p>
            </div>
        </Show>
    }
}

/// Whether the key goes to a field being typed in.
#[cfg(feature = "hydrate")]
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast as _;
    event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || element.get_attribute("contenteditable").is_some()
    })
}

/// Focuses the next (`step` 1) or previous (-1) order link of the inbox, the first when none
/// has focus; on an order's page, opens the next or previous order.
#[cfg(feature = "hydrate")]
fn move_through_orders(step: i32) -> bool {
    use wasm_bindgen::JsCast as _;
    let Ok(links) = document().query_selector_all("a.order-link") else { return false };
    let links: Vec<web_sys::HtmlElement> =
        (0..links.length()).filter_map(|i| links.get(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect();
    if links.is_empty() {
        // On an order's page: the next or previous order of the inbox view.
        return click_first(if step > 0 { "a[rel=next]" } else { "a[rel=prev]" });
    }
    let current = document().active_element();
    let at = links
        .iter()
        .position(|link| current.as_ref().is_some_and(|c| c == link.unchecked_ref::<web_sys::Element>()));
    let next = match at {
        None => 0,
        Some(i) => (i as i32 + step).clamp(0, links.len() as i32 - 1) as usize,
    };
    let _ = links[next].focus();
    true
}

/// Clicks the element matching `selector` in the table row that holds the focus.
#[cfg(feature = "hydrate")]
fn click_in_current_row(selector: &str) -> bool {
    use wasm_bindgen::JsCast as _;
    document()
        .active_element()
        .and_then(|focused| focused.closest("tr").ok().flatten())
        .and_then(|row| row.query_selector(selector).ok().flatten())
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|target| target.click())
        .is_some()
}

/// Clicks the first element on the page matching `selector`.
#[cfg(feature = "hydrate")]
fn click_first(selector: &str) -> bool {
    use wasm_bindgen::JsCast as _;
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|target| target.click())
        .is_some()
}
