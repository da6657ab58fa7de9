//! Settings (admins only): products, their checklist templates, and the STACKIT connection.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Settings;

/// The settings page's data.
#[server(prefix = "/api", endpoint = "get_settings")]
pub async fn get_settings() -> Result<Settings, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.settings().await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// The set-up check (admins): what `orderdesk check` prints, in the reader's language.
#[server(prefix = "/api", endpoint = "setup_check")]
pub async fn setup_check() -> Result<crate::model::CheckReport, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.check(super::ports::request_locale()).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Captured mails and failed background jobs (admins).
#[server(prefix = "/api", endpoint = "outbox")]
pub async fn get_outbox() -> Result<crate::model::Outbox, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.outbox().await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Gives a job that gave up its attempts back, to run now (admins).
#[server(prefix = "/api", endpoint = "retry_job")]
pub async fn retry_job(job_id: String) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.retry_job(job_id.trim()).await
    }
    .await;
    super::ports::finish_form(result, "/outbox", "/outbox")
}

/// Adds or changes a product.
#[server(prefix = "/api", endpoint = "save_product")]
pub async fn save_product(product_id: String, name: String, window_days: i64) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.save_product(product_id.trim(), name.trim(), window_days).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}

/// What customers read of a step from a form's four fields (missing ones are empty).
#[cfg(feature = "ssr")]
fn wording(
    en_title: Option<String>,
    en_description: Option<String>,
    de_title: Option<String>,
    de_description: Option<String>,
) -> Result<crate::model::CustomerWording, AppError> {
    crate::model::CustomerWording::parse(
        en_title.as_deref().unwrap_or_default(),
        en_description.as_deref().unwrap_or_default(),
        de_title.as_deref().unwrap_or_default(),
        de_description.as_deref().unwrap_or_default(),
    )
}

/// Adds a step at the end of a product's checklist template. Customers see it when the form
/// says what they read of it (both titles, English and German); with none of those fields
/// filled in it is internal.
#[server(prefix = "/api", endpoint = "add_template_step")]
pub async fn add_template_step(
    product_id: String,
    title: String,
    description: String,
    customer_title_en: Option<String>,
    customer_description_en: Option<String>,
    customer_title_de: Option<String>,
    customer_description_de: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        let fields =
            [&customer_title_en, &customer_description_en, &customer_title_de, &customer_description_de];
        let visible = fields.iter().any(|f| f.as_deref().is_some_and(|v| !v.trim().is_empty()));
        let customer = if visible {
            Some(wording(
                customer_title_en,
                customer_description_en,
                customer_title_de,
                customer_description_de,
            )?)
        } else {
            None
        };
        let settings = super::ports::ports()?.settings;
        settings.add_step(&product_id, title.trim(), description.trim(), customer.as_ref()).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}

/// Changes what customers read of a template step (English and German); it becomes visible to
/// them if it was internal.
#[server(prefix = "/api", endpoint = "set_step_wording")]
pub async fn set_step_wording(
    product_id: String,
    step_id: String,
    customer_title_en: Option<String>,
    customer_description_en: Option<String>,
    customer_title_de: Option<String>,
    customer_description_de: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        let customer =
            wording(customer_title_en, customer_description_en, customer_title_de, customer_description_de)?;
        super::ports::ports()?.settings.set_wording(&product_id, &step_id, &customer).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}

/// Marks a template step as carried over to the new order of a plan change, or not.
#[server(prefix = "/api", endpoint = "set_carry_over")]
pub async fn set_carry_over(product_id: String, step_id: String, on: bool) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.set_carry_over(&product_id, &step_id, on).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}

/// Removes a step from a product's checklist template (orders keep their own copy).
#[server(prefix = "/api", endpoint = "remove_template_step")]
pub async fn remove_template_step(product_id: String, step_id: String) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.remove_step(&product_id, &step_id).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}

/// Moves a template step one place up or down.
#[server(prefix = "/api", endpoint = "move_template_step")]
pub async fn move_template_step(product_id: String, step_id: String, up: bool) -> Result<(), AppError> {
    let result = async {
        super::session::require(crate::model::Role::Admin).await?;
        super::ports::ports()?.settings.move_step(&product_id, &step_id, up).await
    }
    .await;
    super::ports::finish_form(result, "/settings", "/settings")
}
