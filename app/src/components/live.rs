//! Keeps an open page current without a reload. The server's pages are the only rendering:
//! when something changed, the island fetches its own page again and swaps in the parts marked
//! `data-live` (the inbox also its changed rows, `tr#order-…`), except a part that holds the
//! focus or a field someone is typing in, which waits for the next change. What changed is
//! announced politely to screen readers. Without JavaScript the page is as fresh as its load.
//!
//! - Operators' pages ask `/api/live` every [`OPERATOR_POLL_SECS`] seconds whether anything
//!   changed after the page's cursor (the newest event it had seen), from the database's change
//!   record, so a colleague on another replica counts too; an order's page also says who else
//!   has it open.
//! - The customer's status page fetches itself every [`CUSTOMER_POLL_SECS`] seconds and swaps
//!   what differs.

use leptos::prelude::*;

use crate::i18n::{LiveText, Locale};

/// How often an open operator page asks what changed.
pub const OPERATOR_POLL_SECS: u64 = 5;
/// How often an open status page of a customer looks again.
pub const CUSTOMER_POLL_SECS: u64 = 15;

/// For the inbox (`order: None`) or one order's page: new orders offered, changes swapped in,
/// the others who have the order open named.
#[island]
pub fn LiveUpdates(cursor: i64, order: Option<String>, locale: Locale) -> impl IntoView {
    let (new_orders, set_new_orders) = signal(0_u64);
    let (others, set_others) = signal(Vec::<String>::new());
    let (message, set_message) = signal(String::new());
    Effect::new({
        let order = order.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            poll::operator(cursor, order.clone(), locale, set_new_orders, set_others, set_message);
            #[cfg(not(feature = "hydrate"))]
            let _ = (cursor, &order, set_new_orders, set_others, set_message);
        }
    });
    let new_orders_text = move || match new_orders.get() {
        1 => locale.t(LiveText::NewOrderOne).to_string(),
        n => locale.f(LiveText::NewOrdersMany, &[("n", &n)]),
    };
    view! {
        <div class="live-updates">
            {move || (new_orders.get() > 0).then(|| view! {
                // The newest first: where new orders are, whatever the view's order.
                <a href="/orders?sort=newest"
                    class="mt-3 inline-flex rounded-full border border-sky-300 bg-sky-50 px-3 py-1 text-sm font-medium text-sky-900 hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
                    {new_orders_text()}
                </a>
            })}
            {move || {
                let names = others.get();
                (!names.is_empty()).then(|| view! {
                    <p class="mt-2 text-sm text-slate-700">{locale.f(LiveText::AlsoHere, &[("names", &names.join(", "))])}</p>
                })
            }}
            // Not `role="status"`: the page has its own status messages; this one only speaks.
            <p aria-live="polite" class="sr-only">{message}</p>
        </div>
    }
}

/// For the customer's status page: the parts that changed swapped in and announced.
#[island]
pub fn LiveRegions(locale: Locale) -> impl IntoView {
    let (message, set_message) = signal(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        poll::customer(locale, set_message);
        #[cfg(not(feature = "hydrate"))]
        let _ = (locale, set_message);
    });
    view! { <p aria-live="polite" class="sr-only">{message}</p> }
}

#[cfg(feature = "hydrate")]
mod poll {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::swap;
    use crate::i18n::{LiveText, Locale};

    /// Every few seconds while the tab is shown: what changed, and the page's parts swapped in
    /// when something did. One request at a time.
    pub fn operator(
        cursor: i64,
        order: Option<String>,
        locale: Locale,
        set_new_orders: WriteSignal<u64>,
        set_others: WriteSignal<Vec<String>>,
        set_message: WriteSignal<String>,
    ) {
        let busy = Rc::new(Cell::new(false));
        let seen = Rc::new(Cell::new(0_u64));
        let tick = move || {
            if document().hidden() || busy.get() {
                return;
            }
            busy.set(true);
            let (busy, seen, order) = (busy.clone(), seen.clone(), order.clone());
            spawn_local(async move {
                if let Ok(live) = crate::api::orders::live(cursor, order.clone()).await {
                    set_new_orders.set(live.new_orders);
                    set_others.set(live.others);
                    if live.changes != seen.get() {
                        let rows: Vec<String> = live.changed.iter().map(|id| format!("order-{id}")).collect();
                        if let Some(swapped) = swap::from_server(&rows).await {
                            seen.set(live.changes);
                            if swapped > 0 {
                                set_message.set(match order {
                                    Some(_) => locale.t(LiveText::OrderUpdated).to_string(),
                                    None => locale.f(LiveText::RowsUpdated, &[("n", &swapped)]),
                                });
                            }
                        }
                    }
                }
                busy.set(false);
            });
        };
        let _ = set_interval_with_handle(tick, Duration::from_secs(super::OPERATOR_POLL_SECS));
    }

    /// Every few seconds while the tab is shown: the page again, what differs swapped in.
    pub fn customer(locale: Locale, set_message: WriteSignal<String>) {
        let busy = Rc::new(Cell::new(false));
        let tick = move || {
            if document().hidden() || busy.get() {
                return;
            }
            busy.set(true);
            let busy = busy.clone();
            spawn_local(async move {
                if swap::from_server(&[]).await.is_some_and(|n| n > 0) {
                    let status = swap::announcement().unwrap_or_default();
                    set_message.set(locale.f(LiveText::StatusUpdated, &[("status", &status)]));
                }
                busy.set(false);
            });
        };
        let _ = set_interval_with_handle(tick, Duration::from_secs(super::CUSTOMER_POLL_SECS));
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod swap {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, Element, HtmlInputElement, HtmlTextAreaElement};

    /// Fetches this page again and swaps in its `data-live` parts and the elements with the IDs
    /// in `ids` that differ; how many it swapped, `None` when the page could not be fetched.
    pub async fn from_server(ids: &[String]) -> Option<usize> {
        let href = leptos::prelude::window().location().href().ok()?;
        Some(document(&fetch_text(&href).await?)?.then_swap(ids, None))
    }

    /// A page's HTML as a document to take parts from.
    pub fn document(html: &str) -> Option<Document> {
        let parser = web_sys::DomParser::new().ok()?;
        parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
    }

    /// Swapping parts of a freshly fetched page into this one.
    pub trait Fresh {
        /// Swaps in the `data-live` parts that differ and are not busy (the part holding
        /// `acting`, the form just sent, is swapped however it looks; so is the `data-flash`
        /// message after it), and the elements with the IDs in `ids`. How many it swapped.
        fn then_swap(&self, ids: &[String], acting: Option<&Element>) -> usize;
    }

    impl Fresh for Document {
        fn then_swap(&self, ids: &[String], acting: Option<&Element>) -> usize {
            let current = leptos::prelude::document();
            let mut swapped = 0;
            let mut selector = String::from("[data-live]");
            if acting.is_some() {
                selector.push_str(", [data-flash]");
            }
            let Ok(parts) = current.query_selector_all(&selector) else { return 0 };
            for i in 0..parts.length() {
                let Some(old) = parts.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
                let name = match (old.get_attribute("data-live"), old.has_attribute("data-flash")) {
                    (Some(name), _) => format!("[data-live=\"{name}\"]"),
                    (None, true) => "[data-flash]".to_string(),
                    (None, false) => continue,
                };
                let Some(new) = self.query_selector(&name).ok().flatten() else { continue };
                let chosen =
                    acting.is_some_and(|form| old.contains(Some(form))) || old.has_attribute("data-flash");
                if new.inner_html() != old.inner_html() && (chosen || !busy(&current, &old)) {
                    old.set_inner_html(&new.inner_html());
                    swapped += 1;
                }
            }
            for id in ids {
                let (Some(old), Some(new)) = (current.get_element_by_id(id), self.get_element_by_id(id))
                else {
                    continue;
                };
                if new.outer_html() != old.outer_html() && !busy(&current, &old) {
                    old.set_outer_html(&new.outer_html());
                    swapped += 1;
                }
            }
            swapped
        }
    }

    /// The text the page offers to announce after an update (`data-announce`).
    pub fn announcement() -> Option<String> {
        let element = leptos::prelude::document().query_selector("[data-announce]").ok()??;
        element.text_content().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    async fn fetch_text(href: &str) -> Option<String> {
        let window = leptos::prelude::window();
        let response = JsFuture::from(window.fetch_with_str(href)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() || response.redirected() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }

    /// Whether someone is at work in `part`: it holds the focus, or a field whose value differs
    /// from the one the page came with.
    fn busy(document: &Document, part: &Element) -> bool {
        if document.active_element().is_some_and(|focused| part.contains(Some(&focused))) {
            return true;
        }
        let Ok(fields) = part.query_selector_all("input, textarea") else { return true };
        (0..fields.length()).filter_map(|i| fields.get(i)).any(|field| {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    // A box's `value` is "on" without a value attribute: only its tick counts.
                    "checkbox" | "radio" => input.checked() != input.default_checked(),
                    _ => input.value() != input.default_value(),
                }
            } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                area.default_value().is_ok_and(|original| area.value() != original)
            } else {
                false
            }
        })
    }
}
