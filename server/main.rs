use std::process::ExitCode;

use clap::Parser;
use recovery_pool::cli::{Cli, run};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    recovery_pool::init_logging(cli.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", recovery_pool::cli::describe_error(&e));
            ExitCode::FAILURE
        }
    }
}
