//! Products, their checklist templates, and each order's own checklist (`products`,
//! `checklist_steps`, `order_steps`).

use app::model::{Actor, CustomerWording};

pub use super::default_checklist::{DEFAULT_CHECKLIST, DefaultStep};
use sqlx::{AnyPool, FromRow};

/// The columns of a step's customer wording, in the order the statements here bind them.
const WORDING: &str =
    "customer_title_en, customer_description_en, customer_title_de, customer_description_de";

/// Approval window assumed when neither STACKIT nor the product says (the SaaS async. maximum).
pub const DEFAULT_WINDOW_SECS: i64 = 30 * 86_400;

/// Makes sure a product exists, with the default checklist if it is new. Runs inside the sync's
/// transaction for a new order.
pub async fn ensure_product(
    tx: &mut sqlx::AnyConnection,
    product_id: &str,
    name: &str,
    window_secs: Option<i64>,
) -> super::Result<()> {
    const INSERT: &str =
        "INSERT INTO products (product_id, display_name, approval_window_secs, created_at_ms, updated_at_ms)
                          VALUES ($1, $2, $3, $4, $4) ON CONFLICT (product_id) DO NOTHING";
    let now = super::now_ms();
    let inserted = sqlx::query(INSERT)
        .bind(product_id)
        .bind(if name.is_empty() { product_id } else { name })
        .bind(window_secs.filter(|w| *w > 0).unwrap_or(DEFAULT_WINDOW_SECS))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if inserted == 1 {
        let step = format!(
            "INSERT INTO checklist_steps (id, product_id, position, title, description, customer_visible, {WORDING}, step_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        for (position, default) in DEFAULT_CHECKLIST.iter().enumerate() {
            let [(en_title, en_description), (de_title, de_description)] =
                default.customer.unwrap_or([("", ""), ("", "")]);
            sqlx::query(&step)
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(product_id)
                .bind(i64::try_from(position).unwrap_or(0))
                .bind(default.title)
                .bind(default.description)
                .bind(i64::from(default.customer.is_some()))
                .bind(en_title)
                .bind(en_description)
                .bind(de_title)
                .bind(de_description)
                .bind(default.key)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// Gives a new order its own copy of its product's checklist.
pub async fn copy_checklist(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    product_id: &str,
) -> super::Result<()> {
    let copy = format!(
        "INSERT INTO order_steps (id, subscription_id, position, title, description, customer_visible, {WORDING}, step_key)
         SELECT $1 || '-' || CAST(position AS TEXT), $1, position, title, description, customer_visible, {WORDING}, step_key
         FROM checklist_steps WHERE product_id = $2
         ON CONFLICT (subscription_id, position) DO NOTHING"
    );
    sqlx::query(&copy).bind(subscription_id).bind(product_id).execute(&mut *tx).await?;
    Ok(())
}

/// Gives new orders their own copies of their products' checklists, one statement per 200 orders.
pub async fn copy_checklists(tx: &mut sqlx::AnyConnection, subscription_ids: &[&str]) -> super::Result<()> {
    for chunk in subscription_ids.chunks(200) {
        copy_checklists_of(tx, chunk).await?;
    }
    Ok(())
}

/// One statement for at most 200 orders (at least one).
async fn copy_checklists_of(tx: &mut sqlx::AnyConnection, subscription_ids: &[&str]) -> super::Result<()> {
    let sql = format!(
        "INSERT INTO order_steps (id, subscription_id, position, title, description, customer_visible, {WORDING}, step_key)
         SELECT o.subscription_id || '-' || CAST(c.position AS TEXT), o.subscription_id, c.position, c.title,
                c.description, c.customer_visible, c.customer_title_en, c.customer_description_en,
                c.customer_title_de, c.customer_description_de, c.step_key
         FROM orders o JOIN checklist_steps c ON c.product_id = o.product_id
         WHERE o.subscription_id IN ({})
         ON CONFLICT (subscription_id, position) DO NOTHING",
        super::placeholders(super::kind_of(tx), subscription_ids.len()),
    );
    let mut query = sqlx::query(&sql);
    for id in subscription_ids {
        query = query.bind(*id);
    }
    query.execute(&mut *tx).await?;
    Ok(())
}

/// One step of an order's checklist, with who ticked it.
#[derive(Debug, Clone, FromRow)]
pub struct OrderStepRow {
    pub id: String,
    pub step_key: String,
    pub title: String,
    pub description: String,
    pub customer_visible: i64,
    pub done_at_ms: Option<i64>,
    pub done_by_name: Option<String>,
}

/// An order's checklist in order.
pub async fn steps(pool: &AnyPool, subscription_id: &str) -> super::Result<Vec<OrderStepRow>> {
    const SQL: &str = "SELECT s.id, s.step_key, s.title, s.description, s.customer_visible, s.done_at_ms,
                              COALESCE(o.display_name, s.done_by_token || ' (API)') AS done_by_name
                       FROM order_steps s LEFT JOIN operators o ON o.id = s.done_by
                       WHERE s.subscription_id = $1 ORDER BY s.position";
    Ok(sqlx::query_as::<_, OrderStepRow>(SQL).bind(subscription_id).fetch_all(pool).await?)
}

/// Ticks (with the operator) or unticks (`None`) a step; false when nothing changed (already
/// so, or no such step on this order).
pub async fn set_step(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    step_id: &str,
    done_by: Option<&Actor>,
) -> super::Result<bool> {
    let result = match done_by {
        Some(actor) => {
            const TICK: &str = "UPDATE order_steps SET done_at_ms = $3, done_by = $4, done_by_token = $5
                                WHERE id = $1 AND subscription_id = $2 AND done_at_ms IS NULL";
            let (operator, token) = doer(actor);
            sqlx::query(TICK)
                .bind(step_id)
                .bind(subscription_id)
                .bind(super::now_ms())
                .bind(operator)
                .bind(token)
                .execute(&mut *tx)
                .await?
        }
        None => {
            const UNTICK: &str =
                "UPDATE order_steps SET done_at_ms = NULL, done_by = NULL, done_by_token = NULL
                                  WHERE id = $1 AND subscription_id = $2 AND done_at_ms IS NOT NULL";
            sqlx::query(UNTICK).bind(step_id).bind(subscription_id).execute(&mut *tx).await?
        }
    };
    Ok(result.rows_affected() == 1)
}

/// The title of a step (for the timeline) and whether the customer sees it (1 or 0).
pub async fn step_title(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    step_id: &str,
) -> super::Result<Option<(String, i64)>> {
    const SQL: &str =
        "SELECT title, customer_visible FROM order_steps WHERE id = $1 AND subscription_id = $2";
    Ok(sqlx::query_as::<_, (String, i64)>(SQL)
        .bind(step_id)
        .bind(subscription_id)
        .fetch_optional(&mut *tx)
        .await?)
}

/// A product as configured.
#[derive(Debug, Clone, FromRow)]
pub struct ProductRow {
    pub product_id: String,
    pub display_name: String,
    pub approval_window_secs: i64,
}

/// A template step.
#[derive(Debug, Clone, FromRow)]
pub struct TemplateStepRow {
    pub id: String,
    pub step_key: String,
    pub product_id: String,
    pub position: i64,
    pub title: String,
    pub description: String,
    pub customer_visible: i64,
    pub carry_over: i64,
    #[sqlx(flatten)]
    pub wording: WordingRow,
}

/// What customers read of a step (empty texts for an internal one).
#[derive(Debug, Clone, FromRow)]
pub struct WordingRow {
    pub customer_title_en: String,
    pub customer_description_en: String,
    pub customer_title_de: String,
    pub customer_description_de: String,
}

impl From<WordingRow> for app::model::CustomerWording {
    fn from(row: WordingRow) -> Self {
        use app::model::Wording;
        app::model::CustomerWording {
            en: Wording { title: row.customer_title_en, description: row.customer_description_en },
            de: Wording { title: row.customer_title_de, description: row.customer_description_de },
        }
    }
}

/// Every product, by name.
pub async fn products(pool: &AnyPool) -> super::Result<Vec<ProductRow>> {
    const SQL: &str = "SELECT product_id, display_name, approval_window_secs FROM products ORDER BY display_name, product_id";
    Ok(sqlx::query_as::<_, ProductRow>(SQL).fetch_all(pool).await?)
}

/// Every template step of every product, in order.
pub async fn template_steps(pool: &AnyPool) -> super::Result<Vec<TemplateStepRow>> {
    let sql = format!(
        "SELECT id, step_key, product_id, position, title, description, customer_visible, carry_over, {WORDING}
         FROM checklist_steps ORDER BY product_id, position"
    );
    Ok(sqlx::query_as::<_, TemplateStepRow>(&sql).fetch_all(pool).await?)
}

/// Adds a product or changes its name and window.
pub async fn save_product(
    pool: &AnyPool,
    product_id: &str,
    name: &str,
    window_secs: i64,
) -> super::Result<()> {
    const SQL: &str = "INSERT INTO products (product_id, display_name, approval_window_secs, created_at_ms, updated_at_ms)
                       VALUES ($1, $2, $3, $4, $4)
                       ON CONFLICT (product_id) DO UPDATE SET display_name = excluded.display_name,
                           approval_window_secs = excluded.approval_window_secs, updated_at_ms = excluded.updated_at_ms";
    sqlx::query(SQL)
        .bind(product_id)
        .bind(name)
        .bind(window_secs)
        .bind(super::now_ms())
        .execute(pool)
        .await?;
    Ok(())
}

/// Appends a step to a product's template, visible to customers when it has their `wording`;
/// false when there is no such product.
pub async fn add_template_step(
    pool: &AnyPool,
    product_id: &str,
    title: &str,
    description: &str,
    wording: Option<&CustomerWording>,
) -> super::Result<bool> {
    let sql = format!(
        "INSERT INTO checklist_steps (id, product_id, position, title, description, customer_visible, {WORDING}, step_key)
         SELECT $1, p.product_id, COALESCE((SELECT MAX(position) + 1 FROM checklist_steps WHERE product_id = $2), 0),
                $3, $4, $5, $6, $7, $8, $9, $10
         FROM products p WHERE p.product_id = $2"
    );
    let empty = CustomerWording::default();
    let texts = wording.unwrap_or(&empty);
    // Two admins adding a step at once may pick the same position or key: the later one tries
    // again with what the first took.
    let mut attempt = 0;
    loop {
        let taken: Vec<String> =
            sqlx::query_scalar("SELECT step_key FROM checklist_steps WHERE product_id = $1")
                .bind(product_id)
                .fetch_all(pool)
                .await?;
        let key = app::model::step_key(title, |candidate| taken.iter().any(|k| k == candidate));
        let inserted = sqlx::query(&sql)
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(product_id)
            .bind(title)
            .bind(description)
            .bind(i64::from(wording.is_some()))
            .bind(&texts.en.title)
            .bind(&texts.en.description)
            .bind(&texts.de.title)
            .bind(&texts.de.description)
            .bind(key)
            .execute(pool)
            .await
            .map_err(super::Error::from);
        match inserted {
            Ok(result) => return Ok(result.rows_affected() == 1),
            Err(error) if error.is_unique_violation() && attempt < 3 => attempt += 1,
            Err(error) => return Err(error),
        }
    }
}

/// Changes what customers read of a template step (and makes it visible to them). Orders that
/// have the step already keep their copy, as they keep its title. False when there is no such
/// step on that product.
pub async fn set_template_wording(
    pool: &AnyPool,
    product_id: &str,
    step_id: &str,
    wording: &CustomerWording,
) -> super::Result<bool> {
    const SQL: &str = "UPDATE checklist_steps SET customer_visible = 1, customer_title_en = $3,
                           customer_description_en = $4, customer_title_de = $5, customer_description_de = $6
                       WHERE id = $1 AND product_id = $2";
    let result = sqlx::query(SQL)
        .bind(step_id)
        .bind(product_id)
        .bind(&wording.en.title)
        .bind(&wording.en.description)
        .bind(&wording.de.title)
        .bind(&wording.de.description)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// What customers read of one of an order's steps (for its mail); `None` when there is no such
/// step or customers do not see it.
pub async fn step_wording(pool: &AnyPool, step_id: &str) -> super::Result<Option<CustomerWording>> {
    let sql = format!("SELECT {WORDING} FROM order_steps WHERE id = $1 AND customer_visible = 1");
    let row = sqlx::query_as::<_, WordingRow>(&sql).bind(step_id).fetch_optional(pool).await?;
    Ok(row.map(CustomerWording::from))
}

/// Marks a template step as carried over on plan changes, or not; false when there is no such
/// step on that product.
pub async fn set_carry_over(
    pool: &AnyPool,
    product_id: &str,
    step_id: &str,
    on: bool,
) -> super::Result<bool> {
    let result = sqlx::query("UPDATE checklist_steps SET carry_over = $3 WHERE id = $1 AND product_id = $2")
        .bind(step_id)
        .bind(product_id)
        .bind(i64::from(on))
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// After a plan change: the new order's steps whose title is a carried-over step of its product's
/// template are done as they were on the previous order (who and when kept). Their titles.
pub async fn carry_over(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    previous_id: &str,
    product_id: &str,
) -> super::Result<Vec<String>> {
    const SQL: &str = "UPDATE order_steps SET
            done_at_ms = (SELECT MIN(p.done_at_ms) FROM order_steps p
                          WHERE p.subscription_id = $2 AND p.title = order_steps.title AND p.done_at_ms IS NOT NULL),
            done_by = (SELECT MIN(p.done_by) FROM order_steps p
                       WHERE p.subscription_id = $2 AND p.title = order_steps.title AND p.done_at_ms IS NOT NULL),
            done_by_token = (SELECT MIN(p.done_by_token) FROM order_steps p
                       WHERE p.subscription_id = $2 AND p.title = order_steps.title AND p.done_at_ms IS NOT NULL)
        WHERE subscription_id = $1 AND done_at_ms IS NULL
          AND title IN (SELECT t.title FROM checklist_steps t WHERE t.product_id = $3 AND t.carry_over = 1)
          AND EXISTS (SELECT 1 FROM order_steps p
                      WHERE p.subscription_id = $2 AND p.title = order_steps.title AND p.done_at_ms IS NOT NULL)
        RETURNING title";
    Ok(sqlx::query_scalar(SQL)
        .bind(subscription_id)
        .bind(previous_id)
        .bind(product_id)
        .fetch_all(&mut *tx)
        .await?)
}

/// Removes a template step; false when there is no such step on that product.
pub async fn remove_template_step(pool: &AnyPool, product_id: &str, step_id: &str) -> super::Result<bool> {
    let result = sqlx::query("DELETE FROM checklist_steps WHERE id = $1 AND product_id = $2")
        .bind(step_id)
        .bind(product_id)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Swaps a step with its neighbour above (`up`) or below; false when there is none.
pub async fn move_template_step(
    pool: &AnyPool,
    product_id: &str,
    step_id: &str,
    up: bool,
) -> super::Result<bool> {
    let mut tx = pool.begin().await?;
    let steps: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, position FROM checklist_steps WHERE product_id = $1 ORDER BY position")
            .bind(product_id)
            .fetch_all(&mut *tx)
            .await?;
    let Some(index) = steps.iter().position(|(id, _)| id == step_id) else { return Ok(false) };
    let other = if up { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < steps.len()) };
    let Some(other) = other else { return Ok(false) };
    let (a, b) = (&steps[index], &steps[other]);
    // Through a free position, because (product, position) is unique.
    const MOVE: &str = "UPDATE checklist_steps SET position = $2 WHERE id = $1";
    sqlx::query(MOVE).bind(&a.0).bind(-1_i64).execute(&mut *tx).await?;
    sqlx::query(MOVE).bind(&b.0).bind(a.1).execute(&mut *tx).await?;
    sqlx::query(MOVE).bind(&a.0).bind(b.1).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Who did something, as the columns that name them: an operator's ID, or an API token's name.
pub(super) fn doer(actor: &Actor) -> (Option<String>, Option<String>) {
    match actor {
        Actor::Operator(id) => (Some(id.clone()), None),
        Actor::Token(name) => (None, Some(name.clone())),
        // STACKIT and Orderdesk tick no steps and write no notes.
        Actor::Stackit | Actor::Orderdesk => (None, None),
    }
}
