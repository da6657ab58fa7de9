//! Database URLs: which engine a URL names, and the URL kept secret (it may hold a password),
//! shown in logs without user information or query.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// A database URL. It may hold a password, so it is kept secret: `Debug` and [`DatabaseUrl::redacted`]
/// never show the password.
#[derive(Clone)]
pub struct DatabaseUrl {
    kind: DatabaseKind,
    url: SecretString,
}

impl DatabaseUrl {
    /// Accepts `sqlite:` and `postgres:`/`postgresql:` URLs.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let kind = if value.starts_with("sqlite:") {
            DatabaseKind::Sqlite
        } else if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            return Err("must start with sqlite:// or postgres://".into());
        };
        if kind == DatabaseKind::Sqlite && sqlite_path(value).is_empty() {
            return Err("names no SQLite file (e.g. sqlite://data/orderdesk.db)".into());
        }
        Ok(DatabaseUrl { kind, url: SecretString::from(value.to_string()) })
    }

    /// SQLite in `data_dir`, created on first start.
    pub fn sqlite_in(data_dir: &std::path::Path) -> Self {
        let url = format!("sqlite://{}/orderdesk.db", data_dir.display());
        DatabaseUrl { kind: DatabaseKind::Sqlite, url: SecretString::from(url) }
    }

    /// The engine this URL names.
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// The full URL, password included: only for opening the connection.
    pub fn expose(&self) -> &str {
        self.url.expose_secret()
    }

    /// For SQLite, the database file's path.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        (self.kind == DatabaseKind::Sqlite).then(|| PathBuf::from(sqlite_path(self.expose())))
    }

    /// The URL for logs: without user information (name and password, even one holding an
    /// unencoded `@`, `/` or `?`) and without the query (which may carry `password=` or
    /// `sslpassword=`). The user information is cut as text, up to the last `@`, before parsing:
    /// a parser reads `user:2024/secret@host` as host `user`, port 2024.
    pub fn redacted(&self) -> String {
        let url = self.expose();
        if self.kind == DatabaseKind::Sqlite {
            return url.split('?').next().unwrap_or_default().to_string();
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return format!("{}:(not shown)", url.split(':').next().unwrap_or("?"));
        };
        let rest = rest.rsplit_once('@').map_or(rest, |(_, host_and_path)| host_and_path);
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        format!("{scheme}://{rest}")
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The file part of a SQLite URL (`sqlite://a/b.db?mode=rwc` → `a/b.db`).
fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default()
}
