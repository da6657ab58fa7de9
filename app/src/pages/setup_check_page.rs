//! `/settings/check`: the set-up check as admins read it, the same lines `orderdesk check`
//! prints. Opening (or reloading) the page runs the check, so it works the same without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::settings::setup_check;
use crate::components::error_view::error_fallback;
use crate::i18n::{CheckText, Layout, use_locale};
use crate::model::{CheckLine, CheckOutcome};

/// `/settings/check`
#[component]
pub fn SetupCheckPage() -> impl IntoView {
    let locale = use_locale();
    let report = Resource::new(|| (), |_| setup_check());
    view! {
        <Title text=locale.t(CheckText::Title) />
        <p class="text-sm"><a href="/settings" class="text-sky-800 underline">{locale.t(Layout::Settings)}</a></p>
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CheckText::Title)}</h1>
        <p class="mt-1 max-w-3xl text-sm text-slate-600">{locale.t(CheckText::Intro)}</p>
        <Suspense fallback=move || view! { <p class="mt-4 text-sm text-slate-600">"…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let report = report.await?;
                    let failed = report.lines.iter().filter(|l| l.outcome == CheckOutcome::Fail).count();
                    let summary = if failed == 0 {
                        view! { <p role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{locale.t(CheckText::AllPassed)}</p> }.into_any()
                    } else {
                        view! { <p role="alert" class="mt-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{locale.f(CheckText::SomeFailed, &[("n", &failed.to_string())])}</p> }.into_any()
                    };
                    Ok::<_, crate::error::AppError>(view! {
                        {summary}
                        <ol class="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
                            {report.lines.into_iter().map(|line| view! { <Line line /> }).collect_view()}
                        </ol>
                        <p class="mt-4"><a href="/settings/check" rel="external" class="inline-block rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">{locale.t(CheckText::Run)}</a></p>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// One line: the outcome as a word (not colour alone), what was checked, what was found, and
/// what to do.
#[component]
fn Line(line: CheckLine) -> impl IntoView {
    let locale = use_locale();
    let (word, badge) = match line.outcome {
        CheckOutcome::Pass => (CheckText::Pass, "bg-emerald-100 text-emerald-900"),
        CheckOutcome::Warn => (CheckText::Warn, "bg-amber-100 text-amber-900"),
        CheckOutcome::Fail => (CheckText::Fail, "bg-rose-100 text-rose-900"),
        CheckOutcome::Skipped => (CheckText::Skipped, "bg-slate-100 text-slate-700"),
    };
    view! {
        <li class="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[4.5rem_7.5rem_1fr] sm:gap-4">
            <div class="flex items-center gap-2 sm:contents">
                <span class="whitespace-nowrap text-xs text-slate-500 sm:pt-0.5">{locale.t(CheckText::Step)}" "{line.step}</span>
                <span class=format!("h-fit w-fit rounded px-2 py-0.5 text-xs font-medium {badge}")>{locale.t(word)}</span>
            </div>
            <div class="min-w-0 flex-1">
                <p class="font-medium">{line.what}</p>
                <p class="break-words text-slate-700">{line.detail}</p>
                {line.advice.map(|advice| view! { <p class="mt-1 text-slate-900">"→ "{advice}</p> })}
            </div>
        </li>
    }
}
