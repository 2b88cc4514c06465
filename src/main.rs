use clap::Parser;
use crdlint::cli::{Cli, Command};

// Validation allocates many small short-lived values (trees, JSON for CEL); glibc malloc was
// about a third of the widgets run's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(target_os = "linux")]
unsafe extern "C" {
    /// mimalloc's option setter (`mimalloc.h`, v3, which the `mimalloc` crate builds).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
/// `mi_option_arena_eager_commit` and `mi_option_purge_delay` (v3's `mi_option_e`).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
#[cfg(target_os = "linux")]
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// mimalloc commits its memory as it is used, not a whole arena eagerly: an eager arena is
/// backed by huge pages the kernel zeroes whole, which made the resident set of a small check
/// 45-65 MiB and page zeroing a quarter of its profile. The options are read when the first
/// arena is reserved, at the first allocation, before `main`: so they are set from a constructor,
/// which the loader runs before Rust's runtime allocates anything. Memory freed is returned to
/// the system after 100 ms (arena ranges too: v3's `arena_purge_mult` is 1) instead of 1,000:
/// a long run frees each file's trees as it goes, and what is freed but not yet returned adds
/// to its peak (50,000 files: 87 MiB resident with 1 ms, 92 with 100 ms; a constant, not
/// growing with the files). Returning it sooner costs a
/// `madvise`, the other core's TLB flush and fresh zeroed pages when the memory is used again:
/// with 1 ms, the CRD lint made 20% more page faults, 4x the context switches and took 3%
/// more CPU time.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static ALLOCATOR_OPTIONS: extern "C" fn() = allocator_options;

#[cfg(target_os = "linux")]
extern "C" fn allocator_options() {
    // SAFETY: sets a plain integer option of the allocator; no memory is handed over.
    unsafe {
        mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        mi_option_set(MI_OPTION_PURGE_DELAY, 100);
    }
}

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
        Command::Check(args) => args.report.threads,
        Command::Diff(args) => args.report.threads,
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
