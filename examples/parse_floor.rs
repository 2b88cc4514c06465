//! The floor for benchmarks: read the same files and run saphyr-parser's event parser over
//! them, in parallel as `crdlint check` does, and nothing else.
//! Usage: cargo run --release --example parse_floor -- PATH...

use rayon::prelude::*;
use std::path::PathBuf;

fn files(p: PathBuf, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
            files(e.path(), out);
        }
    } else if p
        .extension()
        .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
    {
        out.push(p);
    }
}

fn main() {
    let mut all = Vec::new();
    for a in std::env::args().skip(1) {
        files(PathBuf::from(a), &mut all);
    }
    let events: usize = all
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            saphyr_parser::Parser::new_from_str(&text)
                .take_while(Result::is_ok)
                .count()
        })
        .sum();
    println!("{} files, {events} events", all.len());
}
