//! Command line: `crdlint check [PATH]...` and `crdlint rule [ID]`.
//! Exit status: 0 no error diagnostics, 1 at least one, 2 usage error or unreadable input.

use crate::check::{self, Options};
use crate::report::{self, Format};
use crate::rules::{
    self,
    selection::{RuleSet, RuleSettings},
};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "crdlint",
    version,
    about = "Validate Kubernetes custom resources against their CRDs, offline, as the API server would"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The exit status of `check`, shown by `crdlint check --help`.
const EXIT_STATUS: &str = "\
Exit status:
  0  no error-severity diagnostic (warnings and infos do not fail a run)
  1  at least one error-severity diagnostic
  2  usage error, or an input that could not be read at all (missing path, permission denied)";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check manifests: validate custom resources against the CRDs found, and the CRDs themselves.
    #[command(after_help = EXIT_STATUS)]
    Check(Box<CheckArgs>),
    /// Compare two revisions of CRDs (files or directories, matched by metadata.name): what the
    /// change from OLD to NEW breaks for existing users and stored objects.
    Diff(Box<DiffArgs>),
    /// Print the documentation of a rule, or list all rules.
    Rule {
        /// A rule id such as `schema/type`; omit to list every rule.
        #[arg(value_parser = RuleId, hide_possible_values = true)]
        id: Option<String>,
    },
    /// Run the language server (LSP over stdio) for editors.
    Server,
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A rule id: any string is accepted (an unknown one gets crdlint's own message), and the
/// documented ids are offered to shell completion.
#[derive(Clone)]
struct RuleId;

impl clap::builder::TypedValueParser for RuleId {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let ids = rules::RULES.keys().map(|id| id.as_str());
        Some(Box::new(ids.map(clap::builder::PossibleValue::new)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// How a report is made and written: the options `check` and `diff` share.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Settings file; by default the nearest `crdlint.toml` is used.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no `crdlint.toml`.
    #[arg(long)]
    pub no_config: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report only errors (warnings and infos are left out; the summary still counts them).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Colour in human output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Worker threads (default: one per core). The output is the same whatever the number.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (directories are walked, honouring .gitignore); `-` reads stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// CRD files or directories used for validation but not reported on (repeatable).
    #[arg(long = "crds", value_name = "PATH")]
    pub crds: Vec<PathBuf>,
    /// When no CRD source is given (`crds` in crdlint.toml, `--crds`), use every CRD of the
    /// repository (the git work tree holding the current directory, else the current
    /// directory; .gitignore and the exclude settings honoured). The pre-commit hook passes it.
    #[arg(long)]
    pub crds_from_repo: bool,
    /// The file name used for stdin in diagnostics.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Run only these rules (ids, families such as `crd`, or `all`; comma-separated or repeated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Run these rules as well as the selected ones (how rules that are off by default are
    /// switched on).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The oldest Kubernetes version the CRDs must install on (`1.30`); CEL libraries newer
    /// than it are reported. Overrides `kubernetes-version` in crdlint.toml.
    #[arg(long, value_name = "VERSION")]
    pub kubernetes_version: Option<String>,
    /// Leave out these paths (gitignore-style globs, relative to the current directory; comma-
    /// separated or repeated). Replaces `exclude` of crdlint.toml.
    #[arg(long, value_name = "GLOBS", value_delimiter = ',')]
    pub exclude: Option<Vec<String>>,
    /// Leave out these paths as well as the excluded ones.
    #[arg(long, value_name = "GLOBS", value_delimiter = ',')]
    pub extend_exclude: Vec<String>,
    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = check::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Diagnostics reported per file, errors first; the rest are counted in one note
    /// (0: no limit).
    #[arg(long, value_name = "N", default_value_t = check::DEFAULT_MAX_DIAGNOSTICS_PER_FILE)]
    pub max_diagnostics_per_file: usize,
    /// Compare each CRD checked with its state at git revision REF (same metadata.name,
    /// wherever its file was), and validate the custom resources checked against both.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The old revision: a CRD file or a directory of them.
    pub old: PathBuf,
    /// The new revision: a CRD file or a directory of them. Diagnostics point into it.
    pub new: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Run only these upgrade rules (ids, `upgrade`, or `all`; comma-separated or repeated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Run these rules as well as the selected ones.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = check::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

impl DiffArgs {
    /// The check that compares NEW with OLD.
    fn into_check(self) -> (CheckArgs, PathBuf) {
        let args = CheckArgs {
            paths: vec![self.new],
            crds: Vec::new(),
            crds_from_repo: false,
            stdin_filename: "<stdin>".into(),
            report: self.report,
            select: self.select,
            extend_select: self.extend_select,
            ignore: self.ignore,
            kubernetes_version: None,
            exclude: None,
            extend_exclude: Vec::new(),
            max_file_size: self.max_file_size,
            max_diagnostics_per_file: 0,
            base: None,
        };
        (args, self.old)
    }
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Rule { id } => rule(id.as_deref()),
        Command::Check(args) => check(*args, None),
        Command::Diff(args) => {
            let (args, old) = args.into_check();
            check(args, Some(old))
        }
        Command::Server => crate::lsp::run(),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "crdlint", &mut out);
            if shell == clap_complete::Shell::Fish {
                // clap_complete's fish script completes no positional value: add the rule ids.
                let ids: Vec<&str> = rules::RULES.keys().map(String::as_str).collect();
                let _ = writeln!(
                    out,
                    "complete -c crdlint -n \"__fish_crdlint_using_subcommand rule\" -f -a \"{}\"",
                    ids.join(" ")
                );
            }
            0
        }
    }
}

fn rule(id: Option<&str>) -> i32 {
    let mut out = std::io::stdout().lock();
    match id {
        None => {
            for d in rules::RULES.values() {
                // Rules that run only when selected show their severity as `off(info)`.
                let severity = if d.default_enabled {
                    d.severity.as_str().to_string()
                } else {
                    format!("off({})", d.severity.as_str())
                };
                let _ = writeln!(out, "{:<40} {:<12} {}", d.id, severity, d.summary);
            }
            0
        }
        Some(id) => match rules::get(id) {
            Some(d) => {
                let _ = out.write_all(d.text.as_bytes());
                0
            }
            None => {
                eprintln!("crdlint: unknown rule {id:?}; `crdlint rule` lists them");
                2
            }
        },
    }
}

/// The manifests of the repository holding the current directory (see `--crds-from-repo`), as
/// paths relative to the current directory, so a file among the checked ones is the same
/// input (checked, not read twice).
fn repository_crd_files(exclude: &crate::discover::Exclude) -> Vec<PathBuf> {
    let cwd = crate::discover::absolute(Path::new("."));
    let root = crate::discover::repository_root(&cwd).unwrap_or_else(|| cwd.clone());
    let up = cwd
        .strip_prefix(&root)
        .map(|below| below.components().count())
        .unwrap_or(0);
    let from = if up == 0 {
        PathBuf::from(".")
    } else {
        (0..up).map(|_| "..").collect()
    };
    let (inputs, _) = crate::discover::discover_excluding(&[from], "", exclude);
    inputs
        .into_iter()
        .filter_map(|i| match i {
            crate::discover::Input::File(p) => Some(p),
            crate::discover::Input::Stdin { .. } => None,
        })
        .collect()
}

/// The width human output wraps at: `COLUMNS` when set, else the terminal's when writing to
/// one, else 80.
fn output_width(to_terminal: bool) -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    let terminal = || {
        to_terminal
            .then(|| terminal_size::terminal_size_of(std::io::stdout()))
            .flatten()
            .map(|(w, _)| usize::from(w.0))
    };
    columns.or_else(terminal).unwrap_or(report::DEFAULT_WIDTH)
}

/// The families `crdlint diff` reports: the comparison, what keeps it from reading a file, and
/// suppressions that do not apply (only for the rules diff runs: the others are off).
pub const DIFF_FAMILIES: &[&str] = &["upgrade", "input", "yaml", "internal", "suppression"];

/// `crdlint check`, or with `diff_old`, `crdlint diff OLD NEW` (NEW is the one path checked).
fn check(args: CheckArgs, diff_old: Option<PathBuf>) -> i32 {
    let stdin_text = if args.paths.iter().any(|p| p.as_os_str() == "-") {
        // Never more than the size limit: `crdlint check - < /dev/zero` must end.
        match check::read_capped(std::io::stdin().lock(), args.max_file_size) {
            Ok(buf) => Some(buf),
            Err(e) => {
                eprintln!("crdlint: cannot read standard input: {e}");
                return 2;
            }
        }
    } else {
        None
    };
    let config_path = if args.report.no_config {
        None
    } else if let Some(p) = &args.report.config {
        Some(p.clone())
    } else {
        // For stdin, settings are found as for the file it stands for.
        let from = if args.paths.iter().any(|p| p.as_os_str() == "-") {
            Path::new(&args.stdin_filename)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf()
        } else {
            PathBuf::from(".")
        };
        crate::config::find(&from)
    };
    let mut crds = args.crds;
    let mut rules = RuleSettings::default();
    let mut exclude = crate::discover::Exclude::default();
    let cwd = PathBuf::from(".");
    // `None`: the default set (`DEFAULT_EXCLUDE`), when nothing sets `exclude`.
    let mut add_exclude = |base: &Path, globs: Option<&[String]>| {
        let Some(globs) = globs else {
            exclude.add_default(base);
            return true;
        };
        match exclude.add(base, globs) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("crdlint: {e}");
                false
            }
        }
    };
    let config = match config_path.map(|p| crate::config::load(&p)).transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("crdlint: {e}");
            return 2;
        }
    };
    // `--exclude` replaces the file's `exclude`; both `extend-exclude`s add to it.
    let excluded = match (&args.exclude, &config) {
        (Some(globs), _) => add_exclude(&cwd, Some(globs)),
        (None, Some(c)) => add_exclude(&c.base, c.exclude.as_deref()),
        (None, None) => add_exclude(&cwd, None),
    } && config
        .as_ref()
        .is_none_or(|c| add_exclude(&c.base, Some(&c.extend_exclude)))
        && add_exclude(&cwd, Some(&args.extend_exclude));
    if !excluded {
        return 2;
    }
    let mut resources = Vec::new();
    if let Some(c) = config {
        crds.extend(c.crds);
        resources = c.resources;
        rules = c.rules;
    }
    if diff_old.is_some() {
        rules.restrict = Some(DIFF_FAMILIES.iter().map(|f| f.to_string()).collect());
    }
    if args.crds_from_repo && crds.is_empty() {
        crds = repository_crd_files(&exclude);
    }
    rules.command_line = RuleSet {
        select: args.select,
        extend_select: args.extend_select,
        ignore: args.ignore,
        severity: Vec::new(),
    };
    if let Some(v) = &args.kubernetes_version {
        match crate::rules::selection::parse_kubernetes_version(v) {
            Ok(minor) => rules.kubernetes_minor = Some(minor),
            Err(e) => {
                eprintln!("crdlint: {e}");
                return 2;
            }
        }
    }
    if let Err(e) = rules.validate() {
        eprintln!("crdlint: {e}");
        return 2;
    }
    let base = match (&diff_old, &args.base) {
        (Some(old), _) => Some(check::BaseSource::Paths(vec![old.clone()])),
        (None, Some(rev)) => match check::BaseSource::git(rev) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("crdlint: {e}");
                return 2;
            }
        },
        (None, None) => None,
    };
    if let Some(old) = diff_old.as_ref().filter(|p| !p.exists()) {
        eprintln!(
            "crdlint: cannot read {}: no such file or directory",
            old.display()
        );
        return 2;
    }
    let opts = Options {
        paths: args.paths,
        crds: if diff_old.is_some() { Vec::new() } else { crds },
        stdin_name: args.stdin_filename,
        stdin_text,
        max_file_size: args.max_file_size,
        max_diagnostics_per_file: args.max_diagnostics_per_file,
        rules: std::sync::Arc::new(rules),
        exclude,
        base,
        resources,
        diff: diff_old.is_some(),
        // Only the human report shows code frames.
        keep_source_text: matches!(args.report.format, Format::Human),
    };
    let mut report = check::run(&opts);
    let failed = if report.unreadable {
        2
    } else if check::has_errors(&report) {
        1
    } else {
        0
    };
    if args.report.quiet {
        report
            .diagnostics
            .retain(|d| d.severity == crate::diagnostics::Severity::Error);
    }
    let to_terminal = args.report.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.report.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let options = report::RenderOptions {
        color,
        width: output_width(to_terminal),
    };
    let format = args.report.format;
    let written = match &args.report.output {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            report::write_with(format, &report, &options, &mut w).and_then(|()| w.flush())
        }),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            report::write_with(format, &report, &options, &mut w).and_then(|()| w.flush())
        }
    };
    if let Err(e) = written {
        let target = args
            .report
            .output
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or("standard output".into());
        eprintln!("crdlint: cannot write the report to {target}: {e}");
        return 2;
    }
    failed
}
