//! Times `crdlint::builtin::lookup`: the first lookup of a process (read the index, inflate the
//! definition packages the kind needs, inline its refs) and the same lookup again (packages
//! cached), then compiling the result with the CRD schema compiler.
//! Usage: cargo run --release --example builtin_lookup -- [MINOR GROUP/VERSION KIND]...
//! (default: 35 apps/v1 Deployment). Run once per cold measurement: the first lookup of the
//! process is the cold one.

use crdlint::builtin;
use crdlint::model::schema::Schema;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut queries: Vec<(u32, String, String)> = args
        .chunks(3)
        .filter(|c| c.len() == 3)
        .map(|c| (c[0].parse().expect("minor"), c[1].clone(), c[2].clone()))
        .collect();
    if queries.is_empty() {
        queries.push((35, "apps/v1".into(), "Deployment".into()));
    }
    for (minor, gv, kind) in queries {
        let (group, version) = gv.split_once('/').unwrap_or(("", &gv));
        let t = Instant::now();
        let s = builtin::lookup(minor, group, version, &kind).expect("kind served");
        let first = t.elapsed();
        let t = Instant::now();
        let again = builtin::lookup(minor, group, version, &kind).expect("kind served");
        let warm = t.elapsed();
        let t = Instant::now();
        let node = again.node();
        let mut problems = Vec::new();
        let compiled = Schema::compile(&node, "openAPIV3Schema", &mut problems);
        let compile = t.elapsed();
        assert!(problems.is_empty() && compiled.type_ == "object");
        println!(
            "1.{minor} {gv} {kind}: first lookup {:.3} ms, again {:.3} ms, to node + compile {:.3} ms; schema {} bytes of JSON",
            first.as_secs_f64() * 1e3,
            warm.as_secs_f64() * 1e3,
            compile.as_secs_f64() * 1e3,
            s.schema.to_string().len()
        );
    }
}
