//! The `orderdesk` binary: reads the configuration, starts logging, runs the chosen command.

use std::process::ExitCode;

use clap::Parser;
use server::config::{Cli, Command};
use server::startup::Application;
use server::telemetry;

// Page rendering allocates many small strings from several threads at once; glibc's allocator
// spent a quarter of the inbox benchmark's time in malloc, free and their locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Demo => demo(cli.config).await,
        Command::Simulator(args) => simulator(args).await,
        Command::Admin(command) => admin(command, cli.config).await,
        Command::ApiToken(command) => api_token(command, cli.config).await,
        Command::Check { language } => check(&language, cli.config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("orderdesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the simulator alone and writes the vendor's key file for clients and SDKs.
async fn simulator(args: server::config::SimulatorArgs) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use server::marketplace::simulator::{Simulator, SimulatorSettings};
    let settings = SimulatorSettings {
        listen: args.listen,
        vendor_project_id: args.vendor_project_id.unwrap_or_else(uuid::Uuid::new_v4).to_string(),
        seed_subscriptions: args.seed_subscriptions,
        seed: args.random_seed,
        signup_url: args.signup_url,
        record_exchanges: false,
        access_token_secs: 3_600,
    };
    let simulator = Simulator::build(settings).await?;
    let handle = simulator.handle();
    // Written whole, then renamed: whoever waits for the file never reads half of it.
    let partial = args.vendor_key_out.with_extension("partial");
    std::fs::write(&partial, handle.service_account_key_json())
        .and_then(|()| std::fs::rename(&partial, &args.vendor_key_out))
        .with_context(|| format!("writing --vendor-key-out {}", args.vendor_key_out.display()))?;
    println!("STACKIT Marketplace simulator on {}", handle.base_url());
    println!("  vendor project:  {}", handle.vendor_project_id());
    println!("  key file:        {}", args.vendor_key_out.display());
    println!("  token endpoint:  {}", handle.token_url());
    println!("  redirect keys:   {}", handle.keys_url());
    tokio::select! {
        result = simulator.run_until_stopped() => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// `orderdesk admin create`: the first admin, without touching the database by hand.
async fn admin(command: server::config::AdminCommand, config: server::config::Config) -> anyhow::Result<()> {
    use server::config::AdminCommand;
    let AdminCommand::Create { email, name, role } = command;
    let role =
        app::model::Role::parse(&role).ok_or_else(|| anyhow::anyhow!("--role: admin, operator or viewer"))?;
    let password = read_password()?;
    let db = server::db::Database::connect(&config.database_url(), 2).await?;
    db.migrate().await?;
    let id = server::accounts::create_operator(&db, &email, &name, role, &password).await?;
    println!("created {} {email} ({id})", role.label().to_lowercase());
    Ok(())
}

/// `orderdesk check`: the set-up check, printed; exit status 1 when a line fails.
async fn check(language: &str, config: server::config::Config) -> anyhow::Result<()> {
    let locale = app::i18n::Locale::parse(language).ok_or_else(|| anyhow::anyhow!("--language: en or de"))?;
    let db = match server::db::Database::connect(&config.database_url(), 2).await {
        Ok(db) => db,
        Err(error) => {
            // The database line fails; the rest needs it (the last sync, the products).
            println!("7 {} Database: {error:#}", app::model::CheckOutcome::Fail.word());
            std::process::exit(1);
        }
    };
    let report = server::check::SetupCheck::new(&config, &db).run(locale).await;
    print!("{}", server::check::as_text(&report));
    if !report.passed() {
        std::process::exit(1);
    }
    Ok(())
}

/// `orderdesk api-token create|list|revoke`: the automation API's tokens, for a deployment's
/// bootstrap as much as for an admin at a terminal.
async fn api_token(
    command: server::config::ApiTokenCommand,
    config: server::config::Config,
) -> anyhow::Result<()> {
    use server::accounts::api_tokens;
    use server::config::ApiTokenCommand;
    let db = server::db::Database::connect(&config.database_url(), 2).await?;
    db.migrate().await?;
    let failed = |error: app::error::AppError| anyhow::anyhow!("{error}");
    match command {
        ApiTokenCommand::Create { name, role, expires_in_days } => {
            let role = app::model::Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("--role: viewer or operator"))?;
            let token = api_tokens::create(&db, &name, role, expires_in_days).await.map_err(failed)?;
            println!("{token}");
        }
        ApiTokenCommand::List => {
            let stamp = |ms: Option<i64>| ms.map_or_else(|| "-".to_string(), |ms| ms.to_string());
            println!("name\trole\tcreated_ms\texpires_ms\trevoked_ms\tlast_used_ms");
            for token in api_tokens::list(&db).await.map_err(failed)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    token.name,
                    token.role,
                    token.created_at_ms,
                    stamp(token.expires_at_ms),
                    stamp(token.revoked_at_ms),
                    stamp(token.last_used_at_ms)
                );
            }
        }
        ApiTokenCommand::Revoke { name } => {
            api_tokens::revoke(&db, &name).await.map_err(failed)?;
            println!("revoked {name}");
        }
    }
    Ok(())
}

/// The new password: prompted twice on a terminal, else the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal as _;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat:   ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

async fn demo(mut config: server::config::Config) -> anyhow::Result<()> {
    let _simulator = server::demo::embed_simulator(&mut config).await?;
    // The demo's mails never leave the machine, and its visitors follow their links from the outbox.
    config.show_captured_links = true;
    let application = Application::build(config).await?;
    // ORDERDESK_DEMO_PASSWORD fixes the demo password (end-to-end tests); otherwise a new one each start.
    let password = std::env::var("ORDERDESK_DEMO_PASSWORD")
        .ok()
        .filter(|p| p.len() >= 10)
        .unwrap_or_else(|| server::marketplace::simulator::keys::random_hex(8));
    let accounts = server::demo::ensure_demo_accounts(application.database(), &password).await?;
    println!("Orderdesk demo: open http://{}/ and sign in with", application.address()?);
    for (email, role) in accounts {
        println!("  {:<24} {password}   ({})", email, role.label());
    }
    application.run_until_stopped().await
}

async fn serve(config: server::config::Config) -> anyhow::Result<()> {
    Application::build(config).await?.run_until_stopped().await
}
