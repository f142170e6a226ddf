use clap::Parser;
use recovery_pool::cli::{Cli, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    recovery_pool::init_logging(cli.log_format);
    run(cli).await
}
