//! Every rule has a doc, every doc parses, and every doc's examples do what they say:
//! the `## Example` block triggers the rule, the `## Fix` block does not.

mod common;

use crdlint::rules;
use std::path::Path;

/// The first ```yaml block after a `## <section>` heading.
fn yaml_block(doc: &str, section: &str) -> Option<String> {
    let start = doc.find(&format!("\n## {section}\n"))?;
    let rest = &doc[start..];
    let open = rest.find("```yaml\n")? + "```yaml\n".len();
    let close = rest[open..].find("\n```")?;
    Some(rest[open..open + close + 1].to_string())
}

/// The `example-kind` of a doc's front matter: `upgrade` (the examples hold the old CRD, `---`,
/// then the new file, compared as `check --base` does), `diff` (compared as `crdlint diff`
/// does), or none (the example is one file).
fn example_kind(doc: &str) -> Option<&str> {
    let front = doc.split("\n---\n").next()?;
    front
        .lines()
        .find_map(|l| l.strip_prefix("example-kind:"))
        .map(str::trim)
}

/// Run one example: a file, or for upgrade docs the old CRD and the new file.
fn run_example(id: &str, doc: &str, name: &str, text: &str) -> crdlint::check::Report {
    match example_kind(doc) {
        Some(kind @ ("upgrade" | "diff")) => {
            let (old, new) = text
                .split_once("\n---\n")
                .unwrap_or_else(|| panic!("{id}: an upgrade example holds old --- new"));
            common::check_upgrade_text(name, old, new, id, kind == "diff")
        }
        _ => common::check_text_with(name, text, id),
    }
}

fn no_examples(doc: &str) -> bool {
    doc.split("\n---\n")
        .next()
        .is_some_and(|front| front.contains("\nexamples: none"))
}

#[test]
fn every_doc_has_front_matter() {
    assert!(
        rules::malformed_docs().is_empty(),
        "{:?}",
        rules::malformed_docs()
    );
    assert!(
        rules::RULES.len() >= 40,
        "only {} rule docs",
        rules::RULES.len()
    );
}

#[test]
fn doc_paths_match_ids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for (id, _) in rules::RULES.iter() {
        assert!(
            root.join(format!("{id}.md")).is_file(),
            "rules/{id}.md missing"
        );
    }
}

#[test]
fn every_rule_used_in_code_has_a_doc() {
    // Families are the directories under rules/, so a rule of a new family is caught too once
    // any rule of that family is documented.
    let families: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
    assert!(families.len() >= 8, "{families:?}");
    let re = regex::Regex::new(&format!(r#""((?:{})/[a-z0-9-]+)""#, families.join("|"))).unwrap();
    let mut missing = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for c in re.captures_iter(&text) {
                    if rules::get(&c[1]).is_none() {
                        missing.push(format!("{} in {}", &c[1], p.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "rules without a doc: {missing:?}");
}

#[test]
fn examples_trigger_and_fixes_do_not() {
    let mut failures = Vec::new();
    for (id, doc) in rules::RULES.iter() {
        if no_examples(doc.text) {
            continue;
        }
        let (Some(example), Some(fix)) =
            (yaml_block(doc.text, "Example"), yaml_block(doc.text, "Fix"))
        else {
            failures.push(format!("{id}: missing Example or Fix yaml block"));
            continue;
        };
        let report = run_example(id, doc.text, "example.yaml", &example);
        if !common::rules_of(&report).contains(&id.as_str()) {
            failures.push(format!(
                "{id}: Example does not trigger it; got {:?}",
                common::rules_of(&report)
            ));
        }
        let report = run_example(id, doc.text, "fix.yaml", &fix);
        if common::rules_of(&report).contains(&id.as_str()) {
            failures.push(format!("{id}: Fix still triggers it"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_command_prints_the_doc() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(["rule", "schema/enum"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        rules::get("schema/enum").unwrap().text
    );
}
