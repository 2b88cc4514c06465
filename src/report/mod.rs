//! Renderers: each output format is a function of the diagnostics and the summary.

pub mod human;
pub mod json;

use crate::diagnostics::{Diagnostic, Summary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    color: bool,
) -> String {
    match format {
        Format::Human => human::render(diagnostics, summary, color),
        Format::Json => json::render(diagnostics, summary),
    }
}
