use clap::Parser;

fn main() {
    // Deep but legal documents recurse in validation; give worker threads room.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(32 << 20)
        .build_global();
    let cli = crdlint::cli::Cli::parse();
    std::process::exit(crdlint::cli::run(cli));
}
