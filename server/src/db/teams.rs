//! SQL for customers' projects: who belongs to which, and the invitations to join.

use sqlx::AnyPool;

/// Lets a customer see a project's subscriptions (nothing changes if they already do).
pub async fn link_project<'e, E>(
    executor: E,
    customer_id: &str,
    project_id: &str,
    role: &str,
) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "INSERT INTO customer_projects (customer_id, project_id, role, added_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, project_id) DO NOTHING";
    sqlx::query(SQL)
        .bind(customer_id)
        .bind(project_id)
        .bind(role)
        .bind(crate::db::now_ms())
        .execute(executor)
        .await?;
    Ok(())
}

/// The customers who see a project's subscriptions: (e-mail, language tag).
pub async fn project_readers(pool: &AnyPool, project_id: &str) -> super::Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT c.email, c.locale FROM customers c JOIN customer_projects cp ON cp.customer_id = c.id WHERE cp.project_id = $1 ORDER BY c.email";
    Ok(sqlx::query_as::<_, (String, String)>(SQL).bind(project_id).fetch_all(pool).await?)
}

/// The project of a subscription, if the customer belongs to it, and whether they own it.
pub async fn membership(
    pool: &AnyPool,
    customer_id: &str,
    subscription_id: &str,
) -> super::Result<Option<(String, String)>> {
    const SQL: &str = "SELECT cp.project_id, cp.role FROM customer_projects cp JOIN orders o ON o.project_id = cp.project_id WHERE cp.customer_id = $1 AND o.subscription_id = $2";
    Ok(sqlx::query_as::<_, (String, String)>(SQL)
        .bind(customer_id)
        .bind(subscription_id)
        .fetch_optional(pool)
        .await?)
}

/// Members of a project: (customer ID, e-mail, role).
pub async fn members(pool: &AnyPool, project_id: &str) -> super::Result<Vec<(String, String, String)>> {
    const SQL: &str = "SELECT c.id, c.email, cp.role FROM customer_projects cp JOIN customers c ON c.id = cp.customer_id WHERE cp.project_id = $1 ORDER BY cp.role DESC, c.email";
    Ok(sqlx::query_as::<_, (String, String, String)>(SQL).bind(project_id).fetch_all(pool).await?)
}

/// Addresses invited to a project whose links still work.
pub async fn open_invites(pool: &AnyPool, project_id: &str) -> super::Result<Vec<String>> {
    const SQL: &str = "SELECT email FROM project_invites WHERE project_id = $1 AND accepted_at_ms IS NULL AND expires_at_ms > $2 ORDER BY email";
    Ok(sqlx::query_scalar::<_, String>(SQL)
        .bind(project_id)
        .bind(crate::db::now_ms())
        .fetch_all(pool)
        .await?)
}

pub async fn insert_invite<'e, E>(
    executor: E,
    token_hash: &str,
    project_id: &str,
    email: &str,
    invited_by: &str,
    expires_at_ms: i64,
) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "INSERT INTO project_invites (token_hash, project_id, email, invited_by, expires_at_ms) VALUES ($1, $2, $3, $4, $5)";
    sqlx::query(SQL)
        .bind(token_hash)
        .bind(project_id)
        .bind(email)
        .bind(invited_by)
        .bind(expires_at_ms)
        .execute(executor)
        .await?;
    Ok(())
}

/// Uses an invitation link once: the project it is for.
/// The project and invited address of an open invitation, without using it.
pub async fn invite_details(pool: &AnyPool, token_hash: &str) -> super::Result<Option<(String, String)>> {
    const SQL: &str = "SELECT project_id, email FROM project_invites WHERE token_hash = $1 AND accepted_at_ms IS NULL AND expires_at_ms > $2";
    Ok(sqlx::query_as::<_, (String, String)>(SQL)
        .bind(token_hash)
        .bind(crate::db::now_ms())
        .fetch_optional(pool)
        .await?)
}

pub async fn use_invite(pool: &AnyPool, token_hash: &str) -> super::Result<Option<String>> {
    let now = crate::db::now_ms();
    const FIND: &str = "SELECT project_id FROM project_invites WHERE token_hash = $1 AND accepted_at_ms IS NULL AND expires_at_ms > $2";
    let Some(project) =
        sqlx::query_scalar::<_, String>(FIND).bind(token_hash).bind(now).fetch_optional(pool).await?
    else {
        return Ok(None);
    };
    const USE: &str =
        "UPDATE project_invites SET accepted_at_ms = $2 WHERE token_hash = $1 AND accepted_at_ms IS NULL";
    let used = sqlx::query(USE).bind(token_hash).bind(now).execute(pool).await?.rows_affected() == 1;
    Ok(used.then_some(project))
}

/// Takes a member (never an owner) out of a project; `false` when there was no such member.
pub async fn remove_member(pool: &AnyPool, project_id: &str, customer_id: &str) -> super::Result<bool> {
    const SQL: &str =
        "DELETE FROM customer_projects WHERE project_id = $1 AND customer_id = $2 AND role = 'member'";
    Ok(sqlx::query(SQL).bind(project_id).bind(customer_id).execute(pool).await?.rows_affected() == 1)
}
