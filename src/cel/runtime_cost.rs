//! The runtime cost of CEL rules, as the API server meters it: what each function call costs
//! (the evaluator charges the other steps itself, see `vendor/cel/src/cost.rs`), the limits,
//! and the server's errors when a rule goes over them.
//!
//! Followed: cel-go `interpreter/runtimecost.go` (`costCall`), apiserver
//! `pkg/cel/library/cost.go` (`CallCost`), apiserver `pkg/apis/cel/config.go` (limits) and
//! apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` (messages).

use crate::cel::cost::by_factor;
use crate::wording::go_quote;
use cel::cost::{Operand, OperandKind, Stop};

/// `PerCallLimit`: the most one evaluation of one rule may cost.
pub const PER_CALL_LIMIT: u64 = 1_000_000;
/// `RuntimeCELCostBudget`: the most all rules may cost on one object.
pub const PER_OBJECT_BUDGET: u64 = 10_000_000;

/// cel-go's `StringTraversalCostFactor` and `RegexStringLengthCostFactor`.
const STRING_TRAVERSAL: f64 = 0.1;
const REGEX_LENGTH: f64 = 0.25;

fn is_text(o: &Operand) -> bool {
    matches!(o.kind, OperandKind::String | OperandKind::Bytes)
}

/// What the call of `function` costs, given its evaluated operands (the receiver first when
/// `receiver`) and its result. Kubernetes' `CallCost` prices its libraries by function name;
/// anything it does not price falls to cel-go's `costCall`, whose default is 1.
pub fn call_cost(
    function: &str,
    receiver: bool,
    operands: &[Operand],
    result: Option<Operand>,
) -> u64 {
    let size = |i: usize| operands.get(i).map_or(0, |o| o.size);
    let traversal = |i: usize| by_factor(size(i), STRING_TRAVERSAL);
    let two = operands.len() == 2;
    match function {
        // Kubernetes `CallCost`.
        "isSorted" | "sum" | "max" | "min" | "indexOf" | "lastIndexOf" if receiver => {
            operands.first().map_or(0, |o| o.traversal)
        }
        "url"
        | "lowerAscii"
        | "upperAscii"
        | "substring"
        | "trim"
        | "jsonpatch.escapeKey"
        | "cidr"
        | "isIP"
        | "isCIDR"
        | "quantity"
        | "isQuantity"
        | "semver"
        | "isSemver"
            if !operands.is_empty() =>
        {
            traversal(0)
        }
        "ip" if operands.first().is_some_and(is_text) => traversal(0),
        "ip.isCanonical" => by_factor(size(0), 2.0 * STRING_TRAVERSAL),
        "replace" | "split" if receiver => by_factor(size(0), 2.0 * STRING_TRAVERSAL),
        "join" if receiver => by_factor(result.map_or(0, |r| r.size), 2.0 * STRING_TRAVERSAL),
        "find" | "findAll" if receiver && two => by_factor(size(0) + 1, STRING_TRAVERSAL)
            .saturating_mul(by_factor(size(1), REGEX_LENGTH)),
        // cel-go ext sets: `1 + lhs * rhs * factor`, truncated.
        "sets.contains" | "sets.intersects" if two => 1 + size(0).saturating_mul(size(1)),
        "sets.equivalent" if two => 1 + size(0).saturating_mul(size(1)).saturating_mul(2),
        // cel-go `costCall`.
        "startsWith" | "endsWith" if receiver => traversal(0),
        "string"
            if operands
                .first()
                .is_some_and(|o| o.kind == OperandKind::Bytes) =>
        {
            traversal(0)
        }
        "bytes"
            if operands
                .first()
                .is_some_and(|o| o.kind == OperandKind::String) =>
        {
            traversal(0)
        }
        "strings.quote" | "format" if !operands.is_empty() => traversal(0),
        "@in" if two && operands[1].kind == OperandKind::List => size(1),
        // Equality of any two values, and ordering of two strings or two byte strings: the
        // smaller size (1 for scalars), by the traversal factor.
        "_==_" | "_!=_" if two => by_factor(size(0).min(size(1)), STRING_TRAVERSAL),
        "_<_" | "_<=_" | "_>_" | "_>=_"
            if two && is_text(&operands[0]) && operands[0].kind == operands[1].kind =>
        {
            by_factor(size(0).min(size(1)), STRING_TRAVERSAL)
        }
        "_+_" if two && operands.iter().all(is_text) => {
            by_factor(size(0) + size(1), STRING_TRAVERSAL)
        }
        // One more than the string's length, so that an empty string still pays for the regex.
        "matches" if receiver && two => by_factor(size(0) + 1, STRING_TRAVERSAL)
            .saturating_mul(by_factor(size(1), REGEX_LENGTH)),
        "contains" if receiver && two && is_text(&operands[0]) => {
            traversal(0).saturating_mul(traversal(1))
        }
        _ => 1,
    }
}

/// The evaluator's error behind a kube-cel error, if there is one.
pub fn execution_error(e: &kube_cel::ValidationError) -> Option<&cel::ExecutionError> {
    std::error::Error::source(e)?.downcast_ref::<cel::ExecutionError>()
}

/// Whether the meter stopped the run at this error, and how.
pub fn stop_cause(e: &kube_cel::ValidationError) -> Option<Stop> {
    match execution_error(e)? {
        cel::ExecutionError::CostBudgetExhausted => Some(Stop::Budget),
        cel::ExecutionError::CostLimitExceeded => Some(Stop::CallLimit),
        _ => None,
    }
}

/// Why the meter stopped the run, if the evaluator's error says it did: the API server's
/// message, given the rule as `ruleErrorString` prints it.
pub fn stop_message(cause: &cel::ExecutionError, rule: &str) -> Option<String> {
    match cause {
        cel::ExecutionError::CostBudgetExhausted => Some(
            "validation failed due to running out of cost budget, no further validation rules will be run"
                .to_string(),
        ),
        cel::ExecutionError::CostLimitExceeded => Some(format!(
            "'{cause}': no further validation rules will be run due to call cost exceeds limit for rule: {rule}"
        )),
        _ => None,
    }
}

/// The server's message when a messageExpression stopped the run (`evalMessageExpression`).
pub fn message_stop_message(stop: Stop, expression: &str) -> String {
    match stop {
        Stop::Budget => "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run".to_string(),
        Stop::CallLimit => format!(
            "no further validation rules will be run due to call cost exceeds limit for messageExpression: {}",
            go_quote(expression)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The actual cost of `rule` evaluated at the root of an object whose content is `object`.
    fn cost(rule: &str, object: serde_json::Value) -> u64 {
        let schema = serde_json::json!({
            "type": "object",
            "x-kubernetes-preserve-unknown-fields": true,
            "x-kubernetes-validations": [{"rule": rule}],
        });
        let compiled = kube_cel::compile_schema(&schema);
        assert!(compiled.compilation_errors().is_empty(), "{rule}");
        let (result, spent) =
            cel::cost::metered(PER_CALL_LIMIT, PER_OBJECT_BUDGET, call_cost, || {
                kube_cel::validate_compiled(&compiled, &object, None)
            });
        assert!(result.is_ok(), "{rule}: {result:?}");
        assert_eq!(spent.executions.len(), 1, "{rule}");
        spent.executions[0]
    }

    /// A call on a namespace (`sets.contains`) is priced by its qualified name, not as a
    /// method of the same name (`"abc".contains(..)`): cel-go's sets tracker charges
    /// `1 + 3 * 2` for two lists of 3 and 2 elements, on top of the two selects (2 each).
    #[test]
    fn namespaced_calls_are_priced_by_their_qualified_name() {
        let object = serde_json::json!({"a": [1, 2, 3], "b": [1, 2]});
        assert_eq!(cost("sets.contains(self.a, self.b)", object), 11);
    }

    /// The figures of apiextensions-apiserver `celcoststability_test.go`, measured by the API
    /// server with the Kubernetes environment (`OptOptimize`, presence tests free).
    #[test]
    fn costs_measured_by_the_api_server() {
        use serde_json::json;
        let rook = json!({"val1": "Rook takes 👑"});
        let array = json!({"array": [1, 1, 2, 2, 3, 3, 4, 5]});
        let cases: [(&str, serde_json::Value, u64); 15] = [
            ("self.val1.startsWith('Rook')", rook.clone(), 4),
            ("self.val1.matches('^[^0-9]*$')", rook.clone(), 8),
            ("self.val1.charAt(3) == 'k'", rook.clone(), 4),
            (
                "self.val1.replace(' ', 'x') == 'Rookxtakesx👑'",
                rook.clone(),
                7,
            ),
            ("self.val1.split(' ') == ['Rook', 'takes', '👑']", rook, 6),
            ("1 in self.val1", json!({"val1": [1, 2, 3]}), 5),
            (
                "self.val1 + [4, 5] == [1, 2, 3, 4, 5]",
                json!({"val1": [1, 2, 3]}),
                4,
            ),
            ("2 in self.array", array.clone(), 10),
            ("self.array.all(e, e > 0)", array.clone(), 43),
            ("self.array.exists(e, e > 2)", array.clone(), 36),
            ("self.array.exists_one(e, e > 4)", array.clone(), 22),
            (
                "self.val.all(k, self.val[k] > 0)",
                json!({"val": {"a": 1, "b": 2}}),
                17,
            ),
            ("!has(self.a1.d2)", json!({"a1": {"b1": 1}}), 3),
            ("has(self.embedded)", json!({"embedded": {}}), 1),
            (
                "type(self.something) == int ? self.something == 1 : self.something == '25%'",
                json!({"something": "25%"}),
                7,
            ),
        ];
        let wrong: Vec<String> = cases
            .into_iter()
            .filter_map(|(rule, object, expected)| {
                let actual = cost(rule, object);
                (actual != expected).then(|| format!("{rule}: {actual}, server {expected}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// `optMap`/`optFlatMap` cost what their cel-go expansion costs: the target once for
    /// `hasValue()`, and, when it has a value, again for `value()`, then the expression.
    /// The figures are what the expansion written out with `cel.bind` cost when crdlint still
    /// expanded `cel.bind` (2dc865d; Kubernetes offers no `cel.bind`, so it is no longer
    /// written out): `(self.?s.hasValue() ? optional.of(cel.bind(x, self.?s.value(),
    /// x.size())) : optional.none()).orValue(0) >= 0`, and the same without `optional.of`.
    #[test]
    fn opt_map_costs_its_expansion() {
        use serde_json::json;
        for rule in [
            "self.?s.optMap(x, x.size()).orValue(0) >= 0",
            "self.?s.optFlatMap(x, optional.of(x.size())).orValue(0) >= 0",
        ] {
            assert_eq!(cost(rule, json!({"s": "abc"})), 11, "{rule}");
            assert_eq!(cost(rule, json!({})), 6, "{rule}");
        }
    }
}
