//! The floor for benchmarks, and the YAML reader against it: read the same files once, then
//! time in paired rounds (each round runs every reader once, in rotating order), in parallel
//! over the files as `crdlint check` does, and print each reader's median:
//! - `saphyr`: saphyr-parser's event parser, crdlint's previous reader (events only);
//! - `goyaml`: crdlint's port of go-yaml v2's scanner and parser (events only): the floor;
//! - `old tree`: crdlint's previous whole reader (saphyr-parser's events into the spanned
//!   tree), kept in `saphyr_reader.rs` for this comparison only;
//! - `tree`:   crdlint's whole reader, `yaml::parse_stream` (documents split, events, the
//!   spanned tree with go-yaml's decoding and the JSON conversion's checks).
//!
//! Usage: cargo run --release --example parse_floor -- [--runs N] [--only READER] PATH...
//!
//! `--once`: read the files and run the floor reader (go-yaml events) over them once, in
//! parallel, and exit: the process whose wall time and memory `bench/compare.py` sets beside
//! `crdlint check` (reading and parsing, nothing else).

mod saphyr_reader;

use crdlint::yaml;

// As crdlint's binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

fn files(p: PathBuf, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&p)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            files(e, out);
        }
    } else if p
        .extension()
        .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
    {
        out.push(p);
    }
}

const READERS: [&str; 4] = ["saphyr", "goyaml", "old tree", "tree"];

/// One pass of a reader over every text; returns a count so the work is not optimised away.
fn pass(reader: &str, texts: &[String]) -> usize {
    match reader {
        "saphyr" => texts
            .par_iter()
            .map(|t| {
                saphyr_parser::Parser::new_from_str(t)
                    .take_while(Result::is_ok)
                    .count()
            })
            .sum(),
        "goyaml" => texts
            .par_iter()
            .map(|t| {
                // Documents are read one `---` chunk at a time, as crdlint reads them.
                yaml::split::split_documents(t)
                    .iter()
                    .map(|c| {
                        yaml::goyaml::parser::Parser::new(c.text)
                            .take_while(Result::is_ok)
                            .count()
                    })
                    .sum::<usize>()
            })
            .sum(),
        "old tree" => texts
            .par_iter()
            .map(|t| {
                saphyr_reader::parse_stream_limited(t, yaml::MAX_DOCUMENTS)
                    .iter()
                    .filter(|d| d.root.is_some())
                    .count()
            })
            .sum(),
        _ => texts
            .par_iter()
            .map(|t| {
                yaml::parse_stream(t)
                    .iter()
                    .filter(|d| d.root.is_some())
                    .count()
            })
            .sum(),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut runs = 11;
    let mut once = false;
    let mut only: Option<String> = None;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else if a == "--once" {
            once = true;
        } else if a == "--only" {
            // For profiling: one reader.
            only = args.next();
        } else {
            paths.push(a);
        }
    }
    let mut all = Vec::new();
    for a in paths {
        files(PathBuf::from(a), &mut all);
    }
    if once {
        // As crdlint check: each file read and parsed on a worker, nothing kept.
        let events: usize = all
            .par_iter()
            .map(|p| pass("goyaml", &[std::fs::read_to_string(p).unwrap_or_default()]))
            .sum();
        std::hint::black_box(events);
        return;
    }
    let texts: Vec<String> = all
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); READERS.len()];
    let mut counts = [0usize; READERS.len()];
    for round in 0..runs {
        for k in 0..READERS.len() {
            let i = (round + k) % READERS.len();
            if only.as_deref().is_some_and(|o| o != READERS[i]) {
                times[i].push(0.0);
                continue;
            }
            let start = Instant::now();
            counts[i] = pass(READERS[i], &texts);
            times[i].push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    println!(
        "{} files, {:.1} MB, {runs} paired rounds (medians):",
        all.len(),
        bytes as f64 / 1e6
    );
    let floor = medians[1];
    for (i, r) in READERS.iter().enumerate() {
        println!(
            "  {r:<8} {:8.1} ms   x{:.2} of saphyr   x{:.2} of the goyaml floor   ({} {})",
            medians[i],
            medians[i] / medians[0],
            medians[i] / floor,
            counts[i],
            if r.ends_with("tree") {
                "documents"
            } else {
                "events"
            }
        );
    }
}
