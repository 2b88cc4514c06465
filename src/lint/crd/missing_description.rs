//! `crd/missing-description` (off by default): a property without a `description`. The
//! description is what `kubectl explain`, editors (hover) and generated API docs show; the server
//! does not require it.

use crate::lint::{Finding, Rule};
use crate::model::schema::Schema;

pub const ID: &str = "crd/missing-description";

pub const RULE: Rule = Rule {
    compiled: Some(check),
    ..Rule::new(ID)
};

pub fn check(s: &Schema, at: &str, problems: &mut Vec<Finding>) {
    for (name, prop) in &s.properties {
        // apiVersion, kind and metadata are described by Kubernetes itself.
        let top_level = at.ends_with("openAPIV3Schema")
            && matches!(name.as_str(), "apiVersion" | "kind" | "metadata");
        if prop.description.is_none() && !top_level {
            let path = format!("{at}.properties[{name}]");
            problems.push(Finding::new(
                ID,
                format!("{path}: no description; `kubectl explain` and editors show nothing for this field"),
                prop.span,
            )
            .with_field(path));
        }
    }
}
