//! Operator accounts: passwords, sessions (stored hashed in the database, so replicas share
//! them) with idle and absolute timeouts, and sign-in rate limits ([`limits`]).

pub mod api_tokens;
pub mod limits;
pub mod passwords;

pub use limits::SignInAttempt;

use app::api::ports::Accounts;
use app::error::AppError;
use app::model::{Operator, OperatorAccount, Role};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use crate::db::operators::{self, OperatorRow};
use crate::db::{Database, now_ms};

const REALM: &str = operators::OPERATOR_REALM;
/// How long a setup link works.
const SETUP_LINK_MS: i64 = 7 * 86_400_000;
/// Sessions are touched at most this often, to spare the database a write per request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Without activity for this long, a session ends.
    pub idle_ms: i64,
    /// However active, a session ends this long after sign-in.
    pub absolute_ms: i64,
}

/// A session found by its token that has neither expired nor been idle too long, in one realm
/// (operators and customers keep theirs apart).
pub struct LiveSession {
    hash: String,
    last_seen_at_ms: i64,
    /// The operator's or customer's ID.
    pub subject_id: String,
}

impl LiveSession {
    /// The live session of `token` in `realm`; an expired or idle one is closed on the way.
    pub async fn find(
        pool: &sqlx::AnyPool,
        token: &str,
        realm: &str,
        policy: SessionPolicy,
    ) -> Result<Option<LiveSession>, AppError> {
        let hash = token_hash(token);
        let Some(row) = operators::session(pool, &hash, realm).await? else {
            return Ok(None);
        };
        let session = LiveSession { hash, last_seen_at_ms: row.last_seen_at_ms, subject_id: row.subject_id };
        session.alive(pool, row.expires_at_ms, policy).await
    }

    /// This session if it has neither expired nor been idle too long; closed otherwise.
    async fn alive(
        self,
        pool: &sqlx::AnyPool,
        expires_at_ms: i64,
        policy: SessionPolicy,
    ) -> Result<Option<LiveSession>, AppError> {
        let now = now_ms();
        if now >= expires_at_ms || now - self.last_seen_at_ms >= policy.idle_ms {
            self.end(pool).await?;
            return Ok(None);
        }
        Ok(Some(self))
    }

    /// Records activity (the idle timer starts again), at most once a minute.
    pub async fn keep(&self, pool: &sqlx::AnyPool) -> Result<(), AppError> {
        if now_ms() - self.last_seen_at_ms >= TOUCH_EVERY_MS {
            operators::touch_session(pool, &self.hash).await?;
        }
        Ok(())
    }

    /// Ends the session (its subject is gone or may no longer sign in).
    pub async fn end(&self, pool: &sqlx::AnyPool) -> Result<(), AppError> {
        operators::close_session(pool, &self.hash).await.map_err(AppError::from)
    }
}

/// The database-backed `Accounts` port.
pub struct DbAccounts {
    pub db: Database,
    pub policy: SessionPolicy,
}

/// A fresh session token (32 random bytes) and the hash it is stored under.
pub fn new_token() -> (String, String) {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token: a leaked sessions table cannot be replayed.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn to_operator(row: &OperatorRow) -> Option<Operator> {
    Some(Operator {
        id: row.id.clone(),
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: Role::parse(&row.role)?,
    })
}

/// Creates an operator with a password (the CLI's `admin create`, demo accounts).
pub async fn create_operator(
    db: &Database,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<String> {
    if let Some(reason) = passwords::weakness(password) {
        anyhow::bail!("password: {reason}");
    }
    let Ok(email) = app::model::EmailAddress::parse(email) else {
        anyhow::bail!("{:?} is not an e-mail address", email.trim());
    };
    let email = email.as_str();
    let hash = passwords::hash(password).await?;
    match operators::insert(db.pool(), email, name, role.as_str(), operators::NewLogin::Password(&hash)).await
    {
        Ok(id) => Ok(id),
        Err(error) if error.is_unique_violation() => {
            anyhow::bail!("an operator with e-mail {email} exists already")
        }
        Err(error) => Err(error.into()),
    }
}

#[async_trait]
impl Accounts for DbAccounts {
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<(Operator, String), AppError> {
        let pool = self.db.pool();
        let now = now_ms();
        let attempt = SignInAttempt::begin(
            pool,
            format!("account:{}", email.trim().to_lowercase()),
            format!("address:{address}"),
        )
        .await?;
        let checked = async {
            let row = operators::by_email(pool, email).await?;
            let usable = row.as_ref().filter(|r| r.active == 1);
            let matches =
                passwords::verify(password, usable.and_then(|r| r.password_hash.as_deref())).await?;
            Ok::<_, AppError>(usable.filter(|_| matches).and_then(to_operator))
        }
        .await;
        let operator = attempt.settle(pool, checked).await?;
        let (token, hash) = new_token();
        operators::open_session(pool, &hash, REALM, &operator.id, now + self.policy.absolute_ms).await?;
        tracing::info!(operator = %operator.id, "operator signed in");
        Ok((operator, token))
    }

    async fn operator_for_session(&self, token: &str) -> Result<Option<Operator>, AppError> {
        // Every page asks: the session and its operator in one query.
        let pool = self.db.pool();
        let hash = token_hash(token);
        let Some(row) = operators::operator_session(pool, &hash).await? else {
            return Ok(None);
        };
        let session =
            LiveSession { hash, last_seen_at_ms: row.last_seen_at_ms, subject_id: row.operator.id.clone() };
        let Some(session) = session.alive(pool, row.expires_at_ms, self.policy).await? else {
            return Ok(None);
        };
        let operator = if row.operator.active == 1 { to_operator(&row.operator) } else { None };
        let Some(operator) = operator else {
            session.end(pool).await?;
            return Ok(None);
        };
        session.keep(pool).await?;
        Ok(Some(operator))
    }

    async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        operators::close_session(self.db.pool(), &token_hash(token)).await.map_err(AppError::from)
    }

    async fn remember_preferences(
        &self,
        operator: &Operator,
        locale: app::i18n::Locale,
        time_zone: Option<&str>,
    ) -> Result<(), AppError> {
        operators::set_preferences(self.db.pool(), &operator.id, locale.tag(), time_zone)
            .await
            .map_err(AppError::from)
    }

    async fn change_password(
        &self,
        operator: &Operator,
        current: &str,
        new: &str,
        keep_session: &str,
    ) -> Result<(), AppError> {
        let pool = self.db.pool();
        let row = operators::by_id(pool, &operator.id).await?.ok_or(AppError::Unauthorized)?;
        if !passwords::verify(current, row.password_hash.as_deref()).await? {
            return Err(AppError::invalid("current", "The current password is not right."));
        }
        let hash = passwords::new_hash("new", new).await?;
        operators::set_password(pool, &operator.id, &hash).await?;
        operators::close_other_sessions(pool, REALM, &operator.id, &token_hash(keep_session)).await?;
        Ok(())
    }

    async fn operators(&self) -> Result<Vec<OperatorAccount>, AppError> {
        let rows = operators::all(self.db.pool()).await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let operator = to_operator(row)?;
                Some(OperatorAccount {
                    setup_pending: row.setup_pending == 1,
                    active: row.active == 1,
                    mail_locale: row.locale.clone(),
                    mail_time_zone: row.time_zone.clone(),
                    id: operator.id,
                    email: operator.email,
                    display_name: operator.display_name,
                    role: operator.role,
                })
            })
            .collect())
    }

    async fn invite(
        &self,
        email: &str,
        name: &str,
        role: Role,
        by: &Operator,
        address: &str,
    ) -> Result<String, AppError> {
        let pool = self.db.pool();
        limits::take(
            pool,
            &format!("operator-invite:address:{address}"),
            limits::OPERATOR_INVITES_PER_ADDRESS,
        )
        .await?;
        limits::take_mail(pool, email, address).await?;
        let (token, hash) = new_token();
        let expires = now_ms() + SETUP_LINK_MS;
        let login = operators::NewLogin::SetupToken { hash: &hash, expires_at_ms: expires };
        match operators::insert(pool, email, name, role.as_str(), login).await {
            Ok(id) => {
                tracing::info!(operator = %id, by = %by.id, "operator invited");
                Ok(token)
            }
            Err(error) if error.is_unique_violation() => {
                Err(AppError::invalid("email", "An operator with this e-mail address exists already."))
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn set_role(&self, id: &str, role: Role, by: &Operator) -> Result<(), AppError> {
        if id == by.id && role != Role::Admin {
            return Err(AppError::conflict("You cannot take away your own admin role; ask another admin."));
        }
        if !operators::set_role(self.db.pool(), id, role.as_str()).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn set_active(&self, id: &str, active: bool, by: &Operator) -> Result<(), AppError> {
        if id == by.id && !active {
            return Err(AppError::conflict("You cannot deactivate yourself; ask another admin."));
        }
        if !operators::set_active(self.db.pool(), id, active).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    async fn api_tokens(&self) -> Result<Vec<app::model::ApiToken>, AppError> {
        let rows = api_tokens::list(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| app::model::ApiToken {
                role: Role::parse(&row.role).unwrap_or(Role::Viewer),
                name: row.name,
                created_at_ms: row.created_at_ms,
                expires_at_ms: row.expires_at_ms,
                revoked_at_ms: row.revoked_at_ms,
                last_used_at_ms: row.last_used_at_ms,
            })
            .collect())
    }

    async fn create_api_token(
        &self,
        name: &str,
        role: Role,
        days: Option<u32>,
        by: &Operator,
    ) -> Result<String, AppError> {
        let token = api_tokens::create(&self.db, name, role, days).await?;
        tracing::info!(by = %by.id, token = %name.trim(), role = role.as_str(), "API token created");
        Ok(token)
    }

    async fn revoke_api_token(&self, name: &str, by: &Operator) -> Result<(), AppError> {
        api_tokens::revoke(&self.db, name).await?;
        tracing::info!(by = %by.id, token = %name.trim(), "API token revoked");
        Ok(())
    }

    async fn complete_setup(&self, token: &str, password: &str) -> Result<(), AppError> {
        let unusable = || {
            AppError::invalid(
                "token",
                "This setup link is used, expired or unknown. Ask an admin for a new one.",
            )
        };
        let pool = self.db.pool();
        let token_hash = token_hash(token);
        // The link first: a made-up token must not cost a 19 MiB hash.
        if !operators::setup_link_open(pool, &token_hash).await? {
            return Err(unusable());
        }
        let hash = passwords::new_hash("password", password).await?;
        if !operators::complete_setup(pool, &token_hash, &hash).await? {
            return Err(unusable());
        }
        Ok(())
    }
}
