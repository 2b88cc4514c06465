//! The CEL libraries of the Kubernetes environment, and the release each came in (for
//! `cel/unavailable`, which runs only when `kubernetes-version` is set).
//!
//! The server compiles the rules of a CRD being created or changed with the environment of its
//! *compatibility version*, one minor release behind the server, so a library introduced in
//! 1.N is usable in new CRDs from 1.N+1 on.
//! Followed: apiserver `pkg/cel/environment/base.go` (baseOpts, DefaultCompatibilityVersion).

/// How a use of a library shows in an expression.
enum Use {
    /// A global function: `ip(`, `format.dns1123Label(`.
    Call(&'static str),
    /// A member function: `.transformList(`.
    Method(&'static str),
    /// `.all(k, v, p)` and friends with two iteration variables.
    TwoVariableMacro,
    /// Optional field or index syntax: `.?x`, `[?k]`.
    OptionalSyntax,
}

struct Library {
    name: &'static str,
    introduced: u32,
    uses: &'static [Use],
}

const LIBRARIES: &[Library] = &[
    Library {
        name: "optional types",
        introduced: 28,
        uses: &[
            Use::Call("optional.of"),
            Use::Call("optional.none"),
            Use::Call("optional.ofNonZeroValue"),
            Use::Method("orValue"),
            Use::Method("hasValue"),
            Use::Method("optMap"),
            Use::Method("optFlatMap"),
            Use::OptionalSyntax,
        ],
    },
    Library {
        name: "quantity",
        introduced: 28,
        uses: &[Use::Call("quantity"), Use::Call("isQuantity")],
    },
    Library {
        name: "strings (version 2)",
        introduced: 29,
        uses: &[Use::Method("format"), Use::Call("strings.quote")],
    },
    Library {
        name: "sets",
        introduced: 29,
        uses: &[
            Use::Call("sets.contains"),
            Use::Call("sets.equivalent"),
            Use::Call("sets.intersects"),
        ],
    },
    Library {
        name: "IP and CIDR",
        introduced: 30,
        uses: &[
            Use::Call("ip"),
            Use::Call("cidr"),
            Use::Call("isIP"),
            Use::Call("isCIDR"),
            Use::Call("ip.isCanonical"),
        ],
    },
    Library {
        name: "format",
        introduced: 31,
        uses: &[Use::Call("format.")],
    },
    Library {
        name: "two-variable comprehensions",
        introduced: 32,
        uses: &[
            Use::TwoVariableMacro,
            Use::Method("transformList"),
            Use::Method("transformMap"),
            Use::Method("transformMapEntry"),
        ],
    },
    Library {
        name: "semver",
        introduced: 33,
        uses: &[Use::Call("semver"), Use::Call("isSemver")],
    },
    Library {
        name: "lists (version 3)",
        introduced: 34,
        uses: &[
            Use::Call("lists.range"),
            Use::Method("distinct"),
            Use::Method("flatten"),
            Use::Method("reverse"),
            Use::Method("slice"),
            Use::Method("sort"),
            Use::Method("sortBy"),
            Use::Method("first"),
            Use::Method("last"),
        ],
    },
];

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The number of top-level arguments of the call whose `(` is at `open`.
fn argument_count(code: &str, open: usize) -> usize {
    let mut depth = 0;
    let mut args = 1;
    for c in code[open..].chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => args += 1,
            _ => {}
        }
    }
    args
}

/// The first use of `u` in `code` (string literals already blanked): its text.
fn find(code: &str, u: &Use) -> Option<String> {
    match u {
        Use::Call(name) => code.match_indices(name).find_map(|(i, _)| {
            let before = code[..i].chars().next_back();
            let rest = &code[i + name.len()..];
            let ok_before = !before.is_some_and(|c| is_ident(c) || c == '.');
            let (shown, ok_after) = if name.ends_with('.') {
                let ident: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                let after = rest[ident.len()..].trim_start();
                (
                    format!("{name}{ident}()"),
                    !ident.is_empty() && after.starts_with('('),
                )
            } else {
                (format!("{name}()"), rest.trim_start().starts_with('('))
            };
            (ok_before && ok_after).then_some(shown)
        }),
        Use::Method(name) => {
            let needle = format!(".{name}(");
            code.contains(&needle).then(|| format!(".{name}()"))
        }
        Use::TwoVariableMacro => ["all", "exists", "existsOne", "exists_one"]
            .iter()
            .find_map(|m| {
                let needle = format!(".{m}(");
                code.match_indices(&needle)
                    .any(|(i, _)| argument_count(code, i + needle.len() - 1) == 3)
                    .then(|| format!(".{m}() with two variables"))
            }),
        Use::OptionalSyntax => {
            (code.contains(".?") || code.contains("[?")).then(|| "optional syntax `.?`".into())
        }
    }
}

/// A library the expression uses that the API server of Kubernetes 1.`target` does not offer to
/// new CRDs: what in the expression shows it, the library's name, and the release that offers
/// it to new CRDs.
pub struct Unavailable {
    pub what: String,
    pub library: &'static str,
    pub usable_from: u32,
}

/// The first library `expression` uses that is unavailable under 1.`target`, if any.
pub fn unavailable(expression: &str, target: u32) -> Option<Unavailable> {
    let code = super::walk::strip_strings(expression);
    LIBRARIES
        .iter()
        .filter(|l| l.introduced + 1 > target)
        .find_map(|l| {
            l.uses
                .iter()
                .find_map(|u| find(&code, u))
                .map(|what| Unavailable {
                    what,
                    library: l.name,
                    usable_from: l.introduced + 1,
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_use(expr: &str, target: u32) -> Option<String> {
        unavailable(expr, target).map(|u| u.what)
    }

    #[test]
    fn library_uses_are_found_by_call_shape() {
        assert_eq!(first_use("isIP(self.addr)", 30).as_deref(), Some("isIP()"));
        assert_eq!(first_use("isIP(self.addr)", 31), None);
        assert_eq!(first_use("self.ip == 'ip(x)'", 30), None);
        assert_eq!(first_use("self.x.ip(1)", 30), None);
        assert_eq!(
            first_use("format.dns1123Label().validate(self.n).hasValue()", 31).as_deref(),
            Some("format.dns1123Label()")
        );
        assert_eq!(
            first_use("self.m.all(k, v, v > 0)", 32).as_deref(),
            Some(".all() with two variables")
        );
        assert_eq!(first_use("self.m.all(k, k.size() > f(1, 2))", 32), None);
        assert_eq!(
            first_use("self.?spec.orValue(1) > 0", 28).as_deref(),
            Some(".orValue()")
        );
        assert_eq!(first_use("self.?spec.orValue(1) > 0", 29), None);
    }
}
