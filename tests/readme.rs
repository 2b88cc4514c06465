//! The README says what is true: the number of rules and their families, the install commands
//! and the minimum Rust version, the flags its commands use, the pre-commit hook it names, and
//! YAML snippets that parse.

use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string("README.md").unwrap()
}

fn crdlint(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The fenced code blocks of the README: (language, text).
fn code_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let fence = line.trim_start();
        if let Some(lang) = fence.strip_prefix("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some((lang.trim().to_string(), String::new())),
            }
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    blocks
}

#[test]
fn the_rule_count_and_families_are_those_of_the_registry() {
    let listed = crdlint(&["rule"]).lines().count();
    let text = readme();
    let count = regex::Regex::new(r"`crdlint rule` lists all (\d+) with")
        .unwrap()
        .captures(&text)
        .expect("the README gives the number of rules");
    assert_eq!(count[1].parse::<usize>().unwrap(), listed);
    for family in std::fs::read_dir("rules").unwrap() {
        let name = family.unwrap().file_name().into_string().unwrap();
        assert!(
            text.contains(&format!("`{name}/`")),
            "family {name}/ is not in the README's list"
        );
    }
}

#[test]
fn install_is_written_down_with_locked_dist_and_the_minimum_rust() {
    let text = readme();
    assert!(text.contains("## Install"));
    assert!(text.contains("cargo install --locked --profile dist --path ."));
    for line in text.lines().filter(|l| l.contains("cargo install")) {
        let command = &line[line.find("cargo install").unwrap()..];
        if command.starts_with("cargo install`") {
            continue; // prose about the command
        }
        assert!(command.contains("--locked"), "without --locked: {line}");
        // The profile the benchmarks measure (8-12% less CPU than `release`).
        assert!(
            command.contains("--profile dist"),
            "without --profile dist: {line}"
        );
    }
    let manifest = std::fs::read_to_string("Cargo.toml").unwrap();
    // The profile the install commands name.
    assert!(manifest.contains("\n[profile.dist]\n"));
    let msrv = regex::Regex::new(r#"(?m)^rust-version = "([0-9.]+)""#)
        .unwrap()
        .captures(&manifest)
        .expect("Cargo.toml has a rust-version")[1]
        .to_string();
    assert!(
        text.contains(&format!("crdlint needs Rust {msrv} or newer")),
        "the README does not give rust-version {msrv}"
    );
    // The CI image of the GitLab snippet is that version.
    assert!(text.contains(&format!("image: rust:{msrv}")));
}

#[test]
fn every_flag_the_readme_uses_exists() {
    let help = crdlint(&["check", "--help"]);
    // Flags of cargo and of crdlint itself rather than of `check`.
    let others = [
        "--locked",
        "--path",
        "--git",
        "--rev",
        "--root",
        "--force",
        "--release",
        "--profile",
        "--all-targets",
        "--check",
        "--version",
        "--help",
    ];
    let flag = regex::Regex::new(r"--[a-z][a-z-]*").unwrap();
    for m in flag.find_iter(&readme()) {
        let f = m.as_str();
        assert!(
            others.contains(&f)
                || help.contains(&format!("{f} "))
                || help.contains(&format!("{f}\n")),
            "the README uses {f}, which `crdlint check` does not have"
        );
    }
    for sub in ["diff", "rule", "server", "completions"] {
        let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
            .args([sub, "--help"])
            .output()
            .unwrap();
        assert!(out.status.success(), "crdlint {sub}");
    }
}

#[test]
fn yaml_snippets_parse_and_the_pre_commit_snippet_names_what_exists() {
    let blocks = code_blocks(&readme());
    let yaml: Vec<&String> = blocks
        .iter()
        .filter(|(lang, _)| lang == "yaml")
        .map(|(_, b)| b)
        .collect();
    assert!(yaml.len() >= 3);
    for b in &yaml {
        for doc in crdlint::yaml::parse_stream(b) {
            let problems: Vec<_> = doc
                .problems
                .iter()
                .filter(|p| !matches!(p.kind, crdlint::yaml::ProblemKind::ImplicitType))
                .collect();
            assert!(problems.is_empty(), "{problems:?} in\n{b}");
        }
    }
    let pre_commit = yaml
        .iter()
        .find(|b| b.contains("repos:"))
        .expect("a pre-commit snippet");
    let v = crdlint::yaml::parse_stream(pre_commit)[0]
        .root
        .as_ref()
        .unwrap()
        .to_serde();
    let repo = &v["repos"][0];
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    for h in repo["hooks"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        assert!(hooks.contains(&format!("- id: {id}\n")), "no hook {id}");
    }
    // `rev` is a tag of this repository or the branch `pre-commit autoupdate` starts from.
    let rev = repo["rev"].as_str().unwrap();
    if rev != "main" {
        let tags = Command::new("git").args(["tag", "--list", rev]).output();
        let tags = tags.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        assert_eq!(
            tags.ok().as_deref().map(str::trim),
            Some(rev),
            "no tag {rev}"
        );
    }
}
