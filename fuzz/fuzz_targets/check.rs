//! `check` on arbitrary bytes, with the gadget fixture CRD in scope (every validation
//! behaviour crdlint implements), and every report format rendered.
#![no_main]

use crdlint::check::{self, Options};
use crdlint::model::CrdIndex;
use crdlint::rules::selection::RuleSettings;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

const GADGET: &str = include_str!("../../fixtures/crds/gadget/crd.yaml");

static INDEX: LazyLock<CrdIndex> =
    LazyLock::new(|| check::crd_index_of_text("gadget-crd.yaml", GADGET));

static RULES: LazyLock<Arc<RuleSettings>> = LazyLock::new(|| {
    // Rules that are off by default run too.
    let mut rules = RuleSettings::default();
    rules
        .command_line
        .extend_select
        .push("crd/missing-description".into());
    Arc::new(rules)
});

fuzz_target!(|data: &[u8]| {
    crdlint_fuzz::init();
    let report = match std::str::from_utf8(data) {
        // The editor's path: an in-memory file against a pre-built index.
        Ok(text) => check::check_source("fuzz.yaml", text, &INDEX, &RULES),
        // Bytes that are not UTF-8 (or hold NULs) take the command line's stdin path.
        Err(_) => check::run(&Options {
            paths: vec![PathBuf::from("-")],
            stdin_name: "fuzz.yaml".into(),
            stdin_text: Some(data.to_vec()),
            rules: Arc::clone(&RULES),
            ..Options::default()
        }),
    };
    crdlint_fuzz::check_report(&report);
});
