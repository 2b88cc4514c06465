use clap::Parser;
use crdlint::cli::{Cli, Command};

// Validation allocates many small short-lived values (trees, JSON for CEL); glibc malloc was
// about a third of the widgets run's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let threads = match &cli.command {
        Command::Check(args) => args.threads,
        _ => None,
    };
    // Deep but legal documents recurse in validation; give worker threads room.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(32 << 20);
    if let Some(n) = threads.filter(|&n| n > 0) {
        pool = pool.num_threads(n);
    }
    let _ = pool.build_global();
    std::process::exit(crdlint::cli::run(cli));
}
