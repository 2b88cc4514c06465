//! Renderers: each output format is a function of the diagnostics and the summary.
//!
//! Text from inputs is sanitised in every format shown as text (`sanitize`); a document of a
//! rendered stream with Helm's `# Source:` comment is reported under that file, with its
//! position in the stream (each renderer says how).

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sanitize;
pub mod sarif;

use crate::check::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

/// The width human output wraps at when the terminal's is not known.
pub const DEFAULT_WIDTH: usize = 80;

/// How a report is rendered.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Colour in human output.
    pub color: bool,
    /// The width human output wraps at (the terminal's).
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: DEFAULT_WIDTH,
        }
    }
}

/// Render at a fixed width of 100 columns (that of the fixture snapshots, `tests/fixtures.rs`);
/// the command line renders at the terminal's width ([`render_with`]).
pub fn render(format: Format, report: &Report, color: bool) -> String {
    render_with(format, report, &RenderOptions { color, width: 100 })
}

/// The report written to `w`: the bytes of [`render_with`], the JSON report as it is
/// serialized (never held whole).
pub fn write_with(
    format: Format,
    report: &Report,
    opts: &RenderOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(&report.diagnostics, &report.summary, w),
        _ => w.write_all(render_with(format, report, opts).as_bytes()),
    }
}

pub fn render_with(format: Format, report: &Report, opts: &RenderOptions) -> String {
    let (diagnostics, summary) = (&report.diagnostics, &report.summary);
    match format {
        Format::Human => human::render(diagnostics, summary, opts.color, opts.width),
        Format::Json => json::render(diagnostics, summary),
        Format::Sarif => sarif::render(diagnostics),
        Format::Github => github::render(diagnostics),
        Format::Junit => junit::render(&report.files, diagnostics),
    }
}
