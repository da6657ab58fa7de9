//! The signed-in operator's own account: who they are, and changing their password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{ChangePassword, get_me};
use crate::components::error_view::error_fallback;
use crate::components::form_field::{FormField, Refusal, RepeatField};
use crate::error::AppError;
use crate::i18n::{AccountText, FormText, use_i18n};

/// `/account`
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let me = Resource::new(|| (), |_| get_me());
    let refusal = Refusal::from_query();
    // A field refused is marked beside the field; anything else is said above the form.
    let failed = refusal.general(&["current", "new", "repeat"]).is_some();
    let notice = move || {
        if query.read().get("changed").is_some() {
            Some((
                "status",
                locale.t(AccountText::Changed),
                "border-emerald-200 bg-emerald-50 text-emerald-900",
            ))
        } else {
            failed
                .then(|| ("alert", locale.t(AccountText::Failed), "border-rose-200 bg-rose-50 text-rose-900"))
        }
    };
    view! {
        <Title text=i18n.t(AccountText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(AccountText::Title)}</h1>
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let operator = me.await?.ok_or(AppError::Unauthorized)?;
                    Ok::<_, AppError>(view! {
                        <p class="mt-1 text-sm text-slate-600">
                            {operator.display_name} " · " {operator.email} " · " {locale.t(operator.role.text())}
                        </p>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        {move || notice().map(|(role, text, class)| view! {
            <p role=role class=format!("mt-5 max-w-md rounded-md border px-3 py-2 text-sm {class}")>{text}</p>
        })}
        <form method="post" action=ChangePassword::url() class="mt-6 max-w-md space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-sm font-semibold">{i18n.t(AccountText::ChangePassword)}</h2>
            <FormField id="current" label=locale.t(AccountText::Current) kind="password" autocomplete="current-password"
                error=refusal.is("current").then(|| locale.t(FormText::CurrentWrong)) />
            <FormField id="new" label=locale.t(AccountText::New) kind="password" autocomplete="new-password" minlength=10
                error=refusal.is("new").then(|| locale.t(FormText::PasswordTooWeak)) />
            <RepeatField label=locale.t(AccountText::Repeat) against="new" mismatch=locale.t(FormText::PasswordsDiffer) refused=refusal.is("repeat") />
            <button type="submit" class="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
                {i18n.t(AccountText::ChangePassword)}
            </button>
        </form>
    }
}
