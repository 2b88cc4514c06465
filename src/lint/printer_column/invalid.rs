//! `printer-column/invalid`: each `additionalPrinterColumns` entry has a `name`, a `type` among
//! `integer number string boolean date`, a `format` (when given) among `int32 int64 float double
//! byte date date-time password`, and a `jsonPath` that starts with a dot. The server prints the
//! internal field name `JSONPath` in the path, and reports the columns once at
//! `spec.additionalPrinterColumns` when every version has the same ones. It does not check
//! `priority` (a negative one is accepted) nor parse the JSONPath further at this point.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceColumnDefinition, validateSimpleJSONPath).

use crate::lint::walk::layout::{Layout, ptr, str_of};
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "printer-column/invalid";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};
const TYPES: [&str; 5] = ["boolean", "date", "integer", "number", "string"];
const FORMATS: [&str; 8] = [
    "byte",
    "date",
    "date-time",
    "double",
    "float",
    "int32",
    "int64",
    "password",
];

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    for (at, c) in layout.printer_columns() {
        let span_of = |k: &str| ptr(c, k).map(|n| n.span).unwrap_or(c.span);
        let mut push = |message: String, span| {
            problems.push(Finding::new(ID, message, span))
        };
        if str_of(c, "name").is_empty() {
            push(format!("{at}.name: Required value"), span_of("name"));
        }
        let one_of = |list: &[&str]| format!("must be one of {}", list.join(","));
        let ty = str_of(c, "type");
        if ty.is_empty() {
            push(
                format!("{at}.type: Required value: {}", one_of(&TYPES)),
                span_of("type"),
            );
        } else if !TYPES.contains(&ty) {
            push(
                format!(
                    "{at}.type: Invalid value: {}: {}",
                    go_quote(ty),
                    one_of(&TYPES)
                ),
                span_of("type"),
            );
        }
        let format = str_of(c, "format");
        if !format.is_empty() && !FORMATS.contains(&format) {
            push(
                format!(
                    "{at}.format: Invalid value: {}: {}",
                    go_quote(format),
                    one_of(&FORMATS)
                ),
                span_of("format"),
            );
        }
        let path = str_of(c, "jsonPath");
        if path.is_empty() {
            push(
                format!("{at}.JSONPath: Required value"),
                span_of("jsonPath"),
            );
        } else if !path.starts_with('.') {
            push(
                format!(
                    "{at}.JSONPath: Invalid value: {}: must be a simple json path starting with .",
                    go_quote(path)
                ),
                span_of("jsonPath"),
            );
        }
    }
}
