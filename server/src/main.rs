//! The `orderdesk` binary: reads the configuration, starts logging, runs the chosen command.

use std::process::ExitCode;

use clap::Parser;
use server::config::{Cli, Command};
use server::startup::Application;
use server::telemetry;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
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

async fn serve(config: server::config::Config) -> anyhow::Result<()> {
    Application::build(config).await?.run_until_stopped().await
}
