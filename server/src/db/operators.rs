//! The `operators` and `sessions` tables (operators' and customers' sessions alike).

use sqlx::{AnyPool, FromRow};

/// The session realm of operators (customers have their own).
pub const OPERATOR_REALM: &str = "operator";

/// One operator as stored. Holds the password hash: never serialised, never logged.
#[derive(Clone, FromRow)]
pub struct OperatorRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// 1 while an invitation's setup link is outstanding.
    pub setup_pending: i64,
    /// The language (`en`/`de`) and IANA time zone of their mails.
    pub locale: String,
    pub time_zone: String,
}

impl std::fmt::Debug for OperatorRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, email, display_name, role, password_hash, active, created_at_ms, updated_at_ms,
                       CASE WHEN setup_token_hash IS NULL THEN 0 ELSE 1 END AS setup_pending, locale, time_zone";

/// How a new operator will sign in.
#[derive(Debug, Clone, Copy)]
pub enum NewLogin<'a> {
    /// With this password hash, from now on.
    Password(&'a str),
    /// After choosing a password with the setup token whose hash this is, before `expires_at_ms`.
    SetupToken { hash: &'a str, expires_at_ms: i64 },
}

/// Adds an operator. E-mail addresses are stored lowercased and are unique.
pub async fn insert(
    pool: &AnyPool,
    email: &str,
    display_name: &str,
    role: &str,
    login: NewLogin<'_>,
) -> super::Result<String> {
    const SQL: &str =
        "INSERT INTO operators (id, email, display_name, role, password_hash, active, setup_token_hash,
                                             setup_expires_at_ms, created_at_ms, updated_at_ms)
                       VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $8)";
    let (password_hash, setup_hash, setup_expires) = match login {
        NewLogin::Password(hash) => (Some(hash), None, None),
        NewLogin::SetupToken { hash, expires_at_ms } => (None, Some(hash), Some(expires_at_ms)),
    };
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(SQL)
        .bind(&id)
        .bind(email.trim().to_lowercase())
        .bind(display_name.trim())
        .bind(role)
        .bind(password_hash)
        .bind(setup_hash)
        .bind(setup_expires)
        .bind(crate::db::now_ms())
        .execute(pool)
        .await?;
    Ok(id)
}

/// An operator by e-mail (case does not matter).
pub async fn by_email(pool: &AnyPool, email: &str) -> super::Result<Option<OperatorRow>> {
    let sql = format!("SELECT {COLUMNS} FROM operators WHERE email = $1");
    Ok(sqlx::query_as::<_, OperatorRow>(&sql).bind(email.trim().to_lowercase()).fetch_optional(pool).await?)
}

/// An operator by ID.
pub async fn by_id(pool: &AnyPool, id: &str) -> super::Result<Option<OperatorRow>> {
    let sql = format!("SELECT {COLUMNS} FROM operators WHERE id = $1");
    Ok(sqlx::query_as::<_, OperatorRow>(&sql).bind(id).fetch_optional(pool).await?)
}

/// Replaces an operator's password hash.
pub async fn set_password(pool: &AnyPool, id: &str, password_hash: &str) -> super::Result<()> {
    const SQL: &str = "UPDATE operators SET password_hash = $2, updated_at_ms = $3 WHERE id = $1";
    sqlx::query(SQL).bind(id).bind(password_hash).bind(crate::db::now_ms()).execute(pool).await?;
    Ok(())
}

/// A session joined with its operator.
#[derive(Clone, FromRow)]
pub struct SessionRow {
    pub subject_id: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
}

/// Opens a session for `subject_id` in `realm`, stored by the hash of its token.
pub async fn open_session(
    pool: &AnyPool,
    token_hash: &str,
    realm: &str,
    subject_id: &str,
    expires_at_ms: i64,
) -> super::Result<()> {
    const SQL: &str =
        "INSERT INTO sessions (token_hash, realm, subject_id, created_at_ms, last_seen_at_ms, expires_at_ms)
                       VALUES ($1, $2, $3, $4, $4, $5)";
    sqlx::query(SQL)
        .bind(token_hash)
        .bind(realm)
        .bind(subject_id)
        .bind(crate::db::now_ms())
        .bind(expires_at_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// A session by token hash in `realm`.
pub async fn session(pool: &AnyPool, token_hash: &str, realm: &str) -> super::Result<Option<SessionRow>> {
    const SQL: &str = "SELECT subject_id, created_at_ms, last_seen_at_ms, expires_at_ms FROM sessions WHERE token_hash = $1 AND realm = $2";
    Ok(sqlx::query_as::<_, SessionRow>(SQL).bind(token_hash).bind(realm).fetch_optional(pool).await?)
}

/// An operator's session with the operator it belongs to.
#[derive(Clone, FromRow)]
pub struct OperatorSessionRow {
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
    #[sqlx(flatten)]
    pub operator: OperatorRow,
}

/// An operator session by token hash, with its operator, in one query (every page asks).
pub async fn operator_session(pool: &AnyPool, token_hash: &str) -> super::Result<Option<OperatorSessionRow>> {
    const SQL: &str = "SELECT s.last_seen_at_ms, s.expires_at_ms, o.id, o.email, o.display_name, o.role,
                              o.password_hash, o.active, o.created_at_ms, o.updated_at_ms,
                              CASE WHEN o.setup_token_hash IS NULL THEN 0 ELSE 1 END AS setup_pending,
                              o.locale, o.time_zone
                       FROM sessions s JOIN operators o ON o.id = s.subject_id
                       WHERE s.token_hash = $1 AND s.realm = $2";
    Ok(sqlx::query_as::<_, OperatorSessionRow>(SQL)
        .bind(token_hash)
        .bind(OPERATOR_REALM)
        .fetch_optional(pool)
        .await?)
}

/// Records activity on a session (its idle timer starts again).
pub async fn touch_session(pool: &AnyPool, token_hash: &str) -> super::Result<()> {
    const SQL: &str = "UPDATE sessions SET last_seen_at_ms = $2 WHERE token_hash = $1";
    sqlx::query(SQL).bind(token_hash).bind(crate::db::now_ms()).execute(pool).await?;
    Ok(())
}

/// Ends one session.
pub async fn close_session(pool: &AnyPool, token_hash: &str) -> super::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// Ends every session of a subject except `keep` (a token hash).
pub async fn close_other_sessions(
    pool: &AnyPool,
    realm: &str,
    subject_id: &str,
    keep: &str,
) -> super::Result<()> {
    const SQL: &str = "DELETE FROM sessions WHERE realm = $1 AND subject_id = $2 AND token_hash <> $3";
    sqlx::query(SQL).bind(realm).bind(subject_id).bind(keep).execute(pool).await?;
    Ok(())
}

/// Active operators who can work orders (admins and operators): (ID, name), by name.
pub async fn workers(pool: &AnyPool) -> super::Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT id, display_name FROM operators WHERE active = 1 AND role IN ('admin', 'operator') ORDER BY display_name, id";
    Ok(sqlx::query_as::<_, (String, String)>(SQL).fetch_all(pool).await?)
}

/// Every operator, by name.
pub async fn all(pool: &AnyPool) -> super::Result<Vec<OperatorRow>> {
    let sql = format!("SELECT {COLUMNS} FROM operators ORDER BY display_name, email");
    Ok(sqlx::query_as::<_, OperatorRow>(&sql).fetch_all(pool).await?)
}

/// Deletes the sessions (of operators and customers) past their absolute expiry; the number.
pub async fn prune_sessions(pool: &AnyPool, now_ms: i64) -> super::Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE expires_at_ms <= $1";
    Ok(sqlx::query(SQL).bind(now_ms).execute(pool).await?.rows_affected())
}

/// Records the language (`en`/`de`) and IANA time zone an operator's mails are written in; no
/// zone keeps the one recorded before.
pub async fn set_preferences(
    pool: &AnyPool,
    id: &str,
    locale: &str,
    time_zone: Option<&str>,
) -> super::Result<()> {
    const SQL: &str = "UPDATE operators SET locale = $2, time_zone = COALESCE($3, time_zone) WHERE id = $1";
    sqlx::query(SQL).bind(id).bind(locale).bind(time_zone).execute(pool).await?;
    Ok(())
}

/// Changes a role; false when there is no such operator.
pub async fn set_role(pool: &AnyPool, id: &str, role: &str) -> super::Result<bool> {
    const SQL: &str = "UPDATE operators SET role = $2, updated_at_ms = $3 WHERE id = $1";
    Ok(sqlx::query(SQL).bind(id).bind(role).bind(crate::db::now_ms()).execute(pool).await?.rows_affected()
        == 1)
}

/// Deactivates (ending every session) or reactivates; false when there is no such operator.
pub async fn set_active(pool: &AnyPool, id: &str, active: bool) -> super::Result<bool> {
    let mut tx = pool.begin().await?;
    const SQL: &str = "UPDATE operators SET active = $2, updated_at_ms = $3 WHERE id = $1";
    let found = sqlx::query(SQL)
        .bind(id)
        .bind(i64::from(active))
        .bind(crate::db::now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE realm = 'operator' AND subject_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Sets the password of the operator whose unexpired setup token hashes to `token_hash`, and
/// retires the token; false when no such token is valid.
/// Whether a setup link is one an active operator may still use.
pub async fn setup_link_open(pool: &AnyPool, token_hash: &str) -> super::Result<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM operators WHERE setup_token_hash = $1 AND setup_expires_at_ms > $2 AND active = 1";
    Ok(sqlx::query_scalar::<_, i64>(SQL).bind(token_hash).bind(crate::db::now_ms()).fetch_one(pool).await?
        > 0)
}

pub async fn complete_setup(pool: &AnyPool, token_hash: &str, password_hash: &str) -> super::Result<bool> {
    const SQL: &str = "UPDATE operators SET password_hash = $2, setup_token_hash = NULL, setup_expires_at_ms = NULL, updated_at_ms = $3
                       WHERE setup_token_hash = $1 AND setup_expires_at_ms > $3 AND active = 1";
    let now = crate::db::now_ms();
    Ok(sqlx::query(SQL).bind(token_hash).bind(password_hash).bind(now).execute(pool).await?.rows_affected()
        == 1)
}

/// Who gets operator mails (active admins and operators who have set a password): (e-mail,
/// language tag, IANA time zone), by e-mail.
pub async fn mail_recipients(pool: &AnyPool) -> super::Result<Vec<(String, String, String)>> {
    const SQL: &str = "SELECT email, locale, time_zone FROM operators WHERE active = 1 AND role IN ('admin', 'operator') AND password_hash IS NOT NULL ORDER BY email";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}
