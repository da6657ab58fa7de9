//! Settings for admins: products and their checklist templates, and the STACKIT connection.

use app::api::ports::SettingsStore;
use app::error::AppError;
use app::model::{
    CapturedMail, CustomerWording, FailedJob, Outbox, ProductSettings, Settings, StackitInfo, TemplateStep,
    WebhookDelivery,
};
use async_trait::async_trait;

use crate::db::{Database, setup};
use crate::marketplace::model::is_product_id;

/// The database-backed settings port; `stackit` is read from configuration at start.
pub struct DbSettings {
    pub db: Database,
    pub stackit: StackitInfo,
    /// Whether mail is captured in the database rather than sent.
    pub capturing_mail: bool,
    pub webhook_url: Option<String>,
    pub check: crate::check::SetupCheck,
    /// The last check's report, answered again for 10 seconds: reloading the page (or a link
    /// to it from elsewhere) cannot make Orderdesk ping the webhook and STACKIT in a loop.
    pub last_check:
        tokio::sync::Mutex<Option<(std::time::Instant, app::i18n::Locale, app::model::CheckReport)>>,
}

#[async_trait]
impl SettingsStore for DbSettings {
    async fn check(&self, locale: app::i18n::Locale) -> Result<app::model::CheckReport, AppError> {
        let mut last = self.last_check.lock().await;
        if let Some((at, asked, report)) = last.as_ref()
            && *asked == locale
            && at.elapsed() < std::time::Duration::from_secs(10)
        {
            return Ok(report.clone());
        }
        let report = self.check.run(locale).await;
        *last = Some((std::time::Instant::now(), locale, report.clone()));
        Ok(report)
    }

    async fn outbox(&self) -> Result<Outbox, AppError> {
        let pool = self.db.pool();
        let mails = crate::db::mails::recent(pool).await?;
        let failed = crate::db::jobs::failed(pool).await?;
        let deliveries = crate::db::webhooks::deliveries(pool).await?;
        let deliveries = deliveries
            .into_iter()
            .map(|(job_id, payload, state, attempts, last_error, updated_at_ms)| WebhookDelivery {
                job_id,
                event: serde_json::from_str::<crate::webhooks::Delivery>(&payload)
                    .map(|d| d.event)
                    .unwrap_or_default(),
                state,
                attempts,
                last_error,
                updated_at_ms,
            })
            .collect();
        Ok(Outbox {
            webhook_url: self.webhook_url.clone(),
            deliveries,
            capturing: self.capturing_mail,
            mails: mails
                .into_iter()
                .map(|m| CapturedMail {
                    to: m.recipient,
                    subject: m.subject,
                    body: m.body,
                    created_at_ms: m.created_at_ms,
                })
                .collect(),
            failed: failed
                .into_iter()
                .map(|f| FailedJob {
                    id: f.id,
                    kind: f.kind,
                    state: f.state,
                    attempts: f.attempts,
                    last_error: f.last_error.unwrap_or_default(),
                    updated_at_ms: f.updated_at_ms,
                })
                .collect(),
        })
    }

    async fn retry_job(&self, job_id: &str) -> Result<(), AppError> {
        crate::orders::decisions::revive(&self.db, job_id).await
    }

    async fn settings(&self) -> Result<Settings, AppError> {
        let pool = self.db.pool();
        let products = setup::products(pool).await?;
        let steps = setup::template_steps(pool).await?;
        Ok(Settings {
            stackit: self.stackit.clone(),
            products: products
                .into_iter()
                .map(|p| ProductSettings {
                    steps: steps
                        .iter()
                        .filter(|s| s.product_id == p.product_id)
                        .map(|s| TemplateStep {
                            id: s.id.clone(),
                            key: s.step_key.clone(),
                            title: s.title.clone(),
                            description: s.description.clone(),
                            customer_visible: s.customer_visible == 1,
                            carry_over: s.carry_over == 1,
                            customer: s.wording.clone().into(),
                        })
                        .collect(),
                    product_id: p.product_id,
                    display_name: p.display_name,
                    approval_window_days: p.approval_window_secs / 86_400,
                })
                .collect(),
        })
    }

    async fn save_product(&self, product_id: &str, name: &str, window_days: i64) -> Result<(), AppError> {
        if !is_product_id(product_id) {
            return Err(AppError::invalid(
                "product_id",
                "Use STACKIT's product ID, like datavault-1a2b3c4d.",
            ));
        }
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid("name", "Enter a name of at most 100 characters."));
        }
        if !(1..=30).contains(&window_days) {
            return Err(AppError::invalid("window_days", "The approval window is 1 to 30 days."));
        }
        setup::save_product(self.db.pool(), product_id, name, window_days * 86_400)
            .await
            .map_err(AppError::from)
    }

    async fn add_step(
        &self,
        product_id: &str,
        title: &str,
        description: &str,
        customer: Option<&CustomerWording>,
    ) -> Result<(), AppError> {
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::invalid("title", "Give the step a title (at most 200 characters)."));
        }
        if description.chars().count() > 2_000 {
            return Err(AppError::invalid("description", "Keep the description to 2,000 characters."));
        }
        if !setup::add_template_step(self.db.pool(), product_id, title, description, customer).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn set_wording(
        &self,
        product_id: &str,
        step_id: &str,
        customer: &CustomerWording,
    ) -> Result<(), AppError> {
        if !setup::set_template_wording(self.db.pool(), product_id, step_id, customer).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn remove_step(&self, product_id: &str, step_id: &str) -> Result<(), AppError> {
        if !setup::remove_template_step(self.db.pool(), product_id, step_id).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn set_carry_over(&self, product_id: &str, step_id: &str, on: bool) -> Result<(), AppError> {
        if !setup::set_carry_over(self.db.pool(), product_id, step_id, on).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn move_step(&self, product_id: &str, step_id: &str, up: bool) -> Result<(), AppError> {
        setup::move_template_step(self.db.pool(), product_id, step_id, up).await?;
        Ok(())
    }
}
