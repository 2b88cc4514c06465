//! `default/on-required`: a property that is `required` and also has a `default`. Defaulting runs
//! before validation, so the field is never missing and `required` says nothing; usually one of
//! the two is a mistake (the field was meant to be optional, or to have no default).

use crate::lint::{Finding, Rule};
use crate::model::schema::{Schema};

pub const ID: &str = "default/on-required";

pub const RULE: Rule = Rule {
    compiled: Some(check),
    ..Rule::new(ID)
};

pub fn check(s: &Schema, at: &str, problems: &mut Vec<Finding>) {
    for name in &s.required {
        let Some(prop) = s.properties.get(name.as_str()) else {
            continue;
        };
        if let Some(default) = &prop.default {
            problems.push(Finding::new(
                ID,
                format!(
                    "{at}.properties[{name}]: required, but it has a default, so it can never be missing: the default always fills it"
                ),
                default.span,
            )
            .with_field(format!("{at}.properties[{name}].default")));
        }
    }
}
