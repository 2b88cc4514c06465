use clap::Parser;
use crdlint::cli::{Cli, Command};

// Validation allocates many small short-lived values (trees, JSON for CEL); glibc malloc was
// about a third of the widgets run's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A panic is caught per file (or per CEL evaluation, or per editor request) and reported
    // as a diagnostic; on stderr it gets one line, not Rust's panic text, unless a backtrace
    // is asked for.
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|info| {
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("crdlint: internal error{at}: {what} (please report it)");
        }));
    }
    let cli = Cli::parse();
    let threads = match &cli.command {
        Command::Check(args) => args.threads,
        Command::Diff(args) => args.threads,
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
