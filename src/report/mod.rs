//! Renderers: each output format is a function of the diagnostics and the summary.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
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

pub fn render(format: Format, report: &Report, color: bool) -> String {
    let (diagnostics, summary) = (&report.diagnostics, &report.summary);
    match format {
        Format::Human => human::render(diagnostics, summary, color),
        Format::Json => json::render(diagnostics, summary),
        Format::Sarif => sarif::render(diagnostics),
        Format::Github => github::render(diagnostics),
        Format::Junit => junit::render(&report.files, diagnostics),
    }
}
