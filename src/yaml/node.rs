//! The document tree: JSON-shaped values (as Kubernetes sees a manifest after YAML-to-JSON
//! conversion) where every node and every mapping key keeps its span in the file.

use crate::source::Span;
use compact_str::CompactString;
use std::fmt::Write as _;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Whole numbers; YAML floats with an integral value below 1e21 become integers too,
    /// as they do after Kubernetes' YAML -> JSON -> unstructured round trip.
    Int(i64),
    Float(f64),
    /// Inline up to 24 bytes (most keys and values of a manifest): no allocation.
    String(CompactString),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: CompactString,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The entries of `N` keys in one pass over this mapping's keys: `slot` says which of the
    /// `N` a key is, if any; each slot holds the first entry of its key, as [`Node::entry`]
    /// finds it. For code that asks a node for several keys, most of them absent: a lookup each
    /// scans the keys each time.
    pub fn entries_of<const N: usize>(
        &self,
        slot: impl Fn(&str) -> Option<usize>,
    ) -> [Option<&Entry>; N] {
        let mut found = [None; N];
        for e in self.as_map().unwrap_or_default() {
            if let Some(i) = slot(&e.key) {
                found[i].get_or_insert(e);
            }
        }
        found
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A copy of this tree with every span replaced by `span` (used for defaults, which come
    /// from the CRD but are reported inside the resource).
    pub fn respanned(&self, span: Span) -> Node {
        let value = match &self.value {
            Value::Seq(items) => Value::Seq(items.iter().map(|n| n.respanned(span)).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: span,
                        value: e.value.respanned(span),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node { value, span }
    }

    /// The JSON type name the API server's validators use for this value.
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }

    /// Compact JSON, with object keys sorted as Go's `json.Marshal` sorts map keys.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&self.value, &mut out);
        out
    }

    /// A serde_json value (object keys sorted).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_serde).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Deep equality as the API server compares JSON values (integers and floats are different
    /// Go types there, so `1` and `1.5` differ but so would `1` and `1.0`; we never hold the
    /// latter as a float, see [`Value::Int`]). Mapping key order does not matter.
    pub fn json_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Map(a), Value::Map(b)) => {
                // A mapping's keys are unique, so the entry at the same index, when it has the
                // key, is the only one to compare with: two versions of a schema list their
                // keys in the same order, and the search of `b` is then skipped.
                a.len() == b.len()
                    && a.iter().zip(b).all(|(ea, at_same)| {
                        let eb = if at_same.key == ea.key {
                            Some(at_same)
                        } else {
                            b.iter().find(|eb| eb.key == ea.key)
                        };
                        eb.is_some_and(|eb| ea.value.value.json_eq(&eb.value.value))
                    })
            }
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value.json_eq(&y.value))
            }
            (a, b) => a == b,
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as `encoding/json` uses it (with its switch to
/// exponent form below 1e-6 and from 1e21).
pub fn format_go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust prints e.g. "1e21"; Go's JSON encoder prints "1e+21".
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            Some((m, e)) => {
                let digits = e.trim_start_matches('-');
                let e = if digits.len() < 2 {
                    format!("-0{digits}")
                } else {
                    format!("-{digits}")
                };
                format!("{m}e{e}")
            }
            None => s,
        }
    } else {
        let s = format!("{f}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&format_go_float(*f)),
        Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Value::Seq(items) => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(&n.value, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            let mut sorted: Vec<&Entry> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            out.push('{');
            for (i, e) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&e.key).unwrap_or_default());
                out.push(':');
                write_json(&e.value.value, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: Value) -> Node {
        Node::new(v, Span::default())
    }

    /// Each slot holds its key's first entry, as `entry` finds it; other keys and non-mappings
    /// give nothing.
    #[test]
    fn entries_of_finds_the_first_entry_of_each_key_as_entry_does() {
        let entry = |k: &str, v: i64, at: usize| Entry {
            key: k.into(),
            key_span: Span::new(at, at + 1),
            value: n(Value::Int(v)),
        };
        let map = n(Value::Map(vec![
            entry("b", 1, 0),
            entry("x", 2, 1),
            entry("a", 3, 2),
            entry("b", 4, 3),
        ]));
        let slot = |k: &str| ["a", "b", "c"].iter().position(|s| *s == k);
        let [a, b, c] = map.entries_of(slot);
        for (key, found) in [("a", a), ("b", b), ("c", c)] {
            assert_eq!(
                found.map(|e| e.key_span),
                map.entry(key).map(|e| e.key_span),
                "{key}"
            );
        }
        assert_eq!(b.map(|e| e.key_span.start), Some(0));
        assert!(c.is_none());
        let seq = n(Value::Seq(vec![map.clone()]));
        assert!(seq.entries_of::<3>(slot).iter().all(Option::is_none));
    }

    #[test]
    fn json_sorts_keys_like_go() {
        let m = n(Value::Map(vec![
            Entry {
                key: "protocol".into(),
                key_span: Span::default(),
                value: n(Value::String("TCP".into())),
            },
            Entry {
                key: "containerPort".into(),
                key_span: Span::default(),
                value: n(Value::Int(88)),
            },
        ]));
        assert_eq!(m.to_json(), r#"{"containerPort":88,"protocol":"TCP"}"#);
    }

    /// `json_eq` as it was written first: every key of `a` searched for in `b`.
    fn json_eq_by_search(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter().all(|ea| {
                        b.iter().any(|eb| {
                            eb.key == ea.key && json_eq_by_search(&ea.value.value, &eb.value.value)
                        })
                    })
            }
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| json_eq_by_search(&x.value, &y.value))
            }
            (a, b) => a == b,
        }
    }

    #[test]
    fn json_eq_agrees_with_searching_every_key() {
        // Every mapping of up to three of the keys a, b, c (each permutation), with values 1
        // or 2, nested once more under `c` as a mapping or a sequence: each pair compared.
        let leaves = [
            Value::Int(1),
            Value::Int(2),
            Value::Seq(vec![n(Value::Int(1))]),
        ];
        let mut values: Vec<Value> = leaves.to_vec();
        let perms: [&[&str]; 10] = [
            &[],
            &["a"],
            &["b"],
            &["a", "b"],
            &["b", "a"],
            &["a", "c"],
            &["c", "a"],
            &["a", "b", "c"],
            &["c", "b", "a"],
            &["b", "c", "a"],
        ];
        for depth in 0..2 {
            let inner = values.clone();
            for keys in perms {
                for (i, v) in inner.iter().enumerate() {
                    let entries = keys
                        .iter()
                        .enumerate()
                        .map(|(k, key)| Entry {
                            key: (*key).into(),
                            key_span: Span::default(),
                            value: n(if *key == "c" {
                                v.clone()
                            } else {
                                leaves[(i + k) % 2].clone()
                            }),
                        })
                        .collect();
                    values.push(Value::Map(entries));
                    if depth == 0 {
                        values.push(Value::Seq(vec![n(v.clone())]));
                    }
                }
            }
        }
        let (mut equal, mut pairs) = (0, 0);
        for a in &values {
            for b in &values {
                let expected = json_eq_by_search(a, b);
                assert_eq!(a.json_eq(b), expected, "{a:?} and {b:?}");
                equal += usize::from(expected);
                pairs += 1;
            }
        }
        // Both answers occur, and equal values in another key order among them.
        assert!(equal > values.len() && equal < pairs, "{equal} of {pairs}");
    }

    #[test]
    fn go_float_formatting() {
        assert_eq!(format_go_float(1.5), "1.5");
        assert_eq!(format_go_float(100.0), "100");
        assert_eq!(format_go_float(1e21), "1e+21");
        assert_eq!(format_go_float(1e-7), "1e-07");
    }
}
