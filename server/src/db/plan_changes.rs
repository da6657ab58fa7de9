//! Plan changes: STACKIT cancels the old subscription and creates a new one for the same
//! customer project and product. Finding the order a new one follows, linking the two, and
//! reading an order's neighbours.

use sqlx::AnyPool;

use super::orders::OrderRow;

/// The orders of a project and product that follow no other order, oldest first.
pub async fn unlinked_of(
    tx: &mut sqlx::AnyConnection,
    project_id: &str,
    product_id: &str,
) -> super::Result<Vec<OrderRow>> {
    const SQL: &str = "SELECT * FROM orders WHERE project_id = $1 AND product_id = $2
                       AND replaces_subscription_id IS NULL ORDER BY ordered_at_ms, subscription_id";
    Ok(sqlx::query_as(SQL).bind(project_id).bind(product_id).fetch_all(&mut *tx).await?)
}

/// Of these projects, the (project, product) pairs with more than one order: where a new order
/// may follow another after a plan change.
pub async fn shared_pairs(
    tx: &mut sqlx::AnyConnection,
    project_ids: &[&str],
) -> super::Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for chunk in project_ids.chunks(200) {
        pairs.extend(shared_pairs_of(tx, chunk).await?);
    }
    Ok(pairs)
}

/// One query for at most 200 projects (at least one).
async fn shared_pairs_of(
    tx: &mut sqlx::AnyConnection,
    project_ids: &[&str],
) -> super::Result<Vec<(String, String)>> {
    let sql = format!(
        "SELECT project_id, product_id FROM orders WHERE project_id IN ({})
         GROUP BY project_id, product_id HAVING COUNT(*) > 1",
        super::placeholders(super::kind_of(tx), project_ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in project_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&mut *tx).await?)
}

/// The order a new subscription follows when the customer changed plans: STACKIT cancels the old
/// subscription and creates a new one for the same project and product. The latest earlier order
/// of that project and product that was live and that no other order follows yet:
/// (subscription ID, plan, contact e-mail, its source).
pub async fn predecessor(
    tx: &mut sqlx::AnyConnection,
    row: &OrderRow,
) -> super::Result<Option<(String, String, Option<String>, Option<String>)>> {
    const SQL: &str = "SELECT o.subscription_id, o.pricing_plan, o.contact_email, o.contact_email_source
                       FROM orders o
                       WHERE o.project_id = $1 AND o.product_id = $2 AND o.subscription_id <> $3
                         AND o.ordered_at_ms <= $4
                         AND o.lifecycle_state IN ('SUBSCRIPTION_ACTIVE', 'SUBSCRIPTION_INACTIVE',
                                                   'SUBSCRIPTION_CANCELLING', 'SUBSCRIPTION_CANCELLED')
                         AND NOT EXISTS (SELECT 1 FROM orders n WHERE n.replaces_subscription_id = o.subscription_id)
                         AND (o.replaces_subscription_id IS NULL OR o.replaces_subscription_id <> $3)
                       ORDER BY o.ordered_at_ms DESC, o.subscription_id DESC
                       LIMIT 1";
    Ok(sqlx::query_as(SQL)
        .bind(&row.project_id)
        .bind(&row.product_id)
        .bind(&row.subscription_id)
        .bind(row.ordered_at_ms)
        .fetch_optional(&mut *tx)
        .await?)
}

/// Links a new order to the one it follows, and carries over the contact e-mail the customer or
/// an operator gave on the old one (STACKIT's own address is on the new order already).
pub async fn link_plan_change(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    previous_id: &str,
    previous_plan: &str,
    carried_email: Option<(&str, &str)>,
) -> super::Result<()> {
    const SQL: &str = "UPDATE orders SET replaces_subscription_id = $2, replaces_plan = $3,
                              contact_email = COALESCE($4, contact_email),
                              contact_email_source = CASE WHEN $4 IS NULL THEN contact_email_source ELSE $5 END
                       WHERE subscription_id = $1";
    sqlx::query(SQL)
        .bind(subscription_id)
        .bind(previous_id)
        .bind(previous_plan)
        .bind(carried_email.map(|(email, _)| email))
        .bind(carried_email.map(|(_, source)| source))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The plan-change neighbours of an order: (the order it follows, its plan) and (the order that
/// follows it, that one's plan).
pub async fn plan_history(
    pool: &AnyPool,
    subscription_id: &str,
) -> super::Result<(Option<(String, String)>, Option<(String, String)>)> {
    const BEFORE: &str = "SELECT p.subscription_id, p.pricing_plan FROM orders o
                          JOIN orders p ON p.subscription_id = o.replaces_subscription_id
                          WHERE o.subscription_id = $1";
    const AFTER: &str = "SELECT subscription_id, pricing_plan FROM orders WHERE replaces_subscription_id = $1
                         ORDER BY ordered_at_ms LIMIT 1";
    let before = sqlx::query_as(BEFORE).bind(subscription_id).fetch_optional(pool).await?;
    let after = sqlx::query_as(AFTER).bind(subscription_id).fetch_optional(pool).await?;
    Ok((before, after))
}
