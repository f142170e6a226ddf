use std::process::ExitCode;

use clap::Parser;
use recovery_pool::cli::{Cli, run};

// A request allocates many small, short-lived objects across worker threads; the system allocator spent a quarter
// of the time of a page under load on them (docs/operations.md, "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
