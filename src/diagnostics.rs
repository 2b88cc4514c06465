//! The one diagnostic type every stage produces and every report format renders.

use crate::source::{SourceFile, Span};
use serde::Serialize;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The resource a diagnostic is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// A secondary location in the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    /// The API server's wording where there is one, field path first.
    pub message: String,
    pub source: Arc<SourceFile>,
    /// None for a diagnostic about a whole file.
    pub span: Option<Span>,
    /// The API-server field path (`spec.ports[1].name`).
    pub field: Option<String>,
    /// The API server's cause reason (`FieldValueInvalid`, ...) for field errors.
    pub reason: Option<&'static str>,
    pub help: Option<String>,
    pub document: Option<usize>,
    pub resource: Option<Arc<ResourceRef>>,
    pub related: Vec<Related>,
    /// For a change between two revisions of a CRD (`upgrade/*`): the old and new values.
    pub change: Option<Box<crate::lint::Change>>,
    /// The file a rendered stream names as the origin of this diagnostic's document: Helm
    /// starts each document of `helm template` with `# Source: chart/templates/x.yaml`.
    /// Reports name it as the file; the span stays a span of `source` (the stream).
    pub origin: Option<Arc<str>>,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        source: &Arc<SourceFile>,
        span: Option<Span>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            source: Arc::clone(source),
            span,
            field: None,
            reason: None,
            help: None,
            document: None,
            resource: None,
            related: Vec::new(),
            change: None,
            origin: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_document(mut self, index: usize) -> Self {
        self.document = Some(index);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    /// The file reports name: the origin a rendered stream gives the document, or the input.
    pub fn file(&self) -> &str {
        self.origin.as_deref().unwrap_or(&self.source.name)
    }

    /// Sort key: file, then position, then rule and message (deterministic output).
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        let (start, end) = self.span.map(|s| (s.start, s.end)).unwrap_or((0, 0));
        (&self.source.name, start, end, self.rule, &self.message)
    }
}

/// Counts shown in every report's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub resources: usize,
    /// CRDs read from the checked files.
    pub crds: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}
