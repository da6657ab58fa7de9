//! Above the inbox's list: the quick views an operator opens all day (with how many orders wait
//! in each), how many orders the current view holds, and its CSV export. Plain links: they work
//! without JavaScript and land in the address like every other filter.

use leptos::prelude::*;

use crate::i18n::{InboxText, Locale};
use crate::model::{InboxQuery, QuickViews, Total};

/// One quick view: its name, where it leads, how many orders wait in it, and whether the
/// current filters are exactly it.
struct View {
    label: InboxText,
    href: &'static str,
    count: u64,
    current: bool,
    urgent: bool,
}

/// The quick views as links with counts; the one shown now is marked `aria-current`.
#[component]
pub fn QuickViewLinks(query: InboxQuery, views: QuickViews, locale: Locale) -> impl IntoView {
    let only = |state: bool, assigned: Option<&str>, overdue: bool, due_soon: bool| {
        query.q.is_none()
            && query.product.is_none()
            && query.state.as_deref() == state.then_some("SUBSCRIPTION_PENDING")
            && query.assigned.as_deref() == assigned
            && query.overdue == overdue
            && query.due_soon == due_soon
    };
    let links = [
        View {
            label: InboxText::MyPending,
            href: "/orders?state=SUBSCRIPTION_PENDING&assigned=me",
            count: views.mine,
            current: only(true, Some("me"), false, false),
            urgent: false,
        },
        View {
            label: InboxText::Unassigned,
            href: "/orders?state=SUBSCRIPTION_PENDING&assigned=none",
            count: views.unassigned,
            current: only(true, Some("none"), false, false),
            urgent: false,
        },
        View {
            label: InboxText::DueSoon,
            href: "/orders?due_soon=on",
            count: views.due_soon,
            current: only(false, None, false, true),
            urgent: false,
        },
        View {
            label: InboxText::Overdue,
            href: "/orders?overdue=on",
            count: views.overdue,
            current: only(false, None, true, false),
            urgent: views.overdue > 0,
        },
    ];
    view! {
        <nav aria-label=locale.t(InboxText::QuickViews) class="mt-4">
            <ul class="flex flex-wrap gap-2">
                {links.into_iter().map(|link| {
                    let colours = match (link.current, link.urgent) {
                        (true, _) => "border-slate-900 bg-slate-900 text-white",
                        (false, true) => "border-rose-300 bg-rose-50 text-rose-900 hover:bg-rose-100",
                        (false, false) => "border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
                    };
                    view! {
                        <li>
                            <a href=link.href aria-current=link.current.then_some("page")
                                class=format!("inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm font-medium {colours}")>
                                {locale.t(link.label)}
                                <span class="tabular-nums">{locale.number(link.count)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// "1,234 orders" and the export of the whole view.
#[component]
pub fn ViewSummary(total: Total, export_href: String, locale: Locale) -> impl IntoView {
    let count = match total {
        Total::Exact(1) => locale.t(InboxText::TotalOne).to_string(),
        Total::Exact(n) => locale.f(InboxText::TotalMany, &[("count", &locale.number(n))]),
        Total::MoreThan(n) => locale.f(InboxText::TotalMore, &[("count", &locale.number(n))]),
    };
    view! {
        <div class="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
            <p class="font-medium text-slate-700" id="view-total">{count}</p>
            <a href=export_href download="" class="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50"
                title=locale.t(InboxText::ExportLabel) aria-describedby="view-total">
                {locale.t(InboxText::Export)}
            </a>
        </div>
    }
}
