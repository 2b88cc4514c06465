//! `cel/cost`: a CEL expression, or all of a schema's together, over the API server's static
//! cost limits (the server refuses the CRD). The estimate is `crate::cel::cost`'s, a lower bound
//! of the server's, so an error is certain. The same pass reports `cel/cost-high` (see there).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use crate::cel::cost::{
    ExpressionCost, PER_EXPRESSION_LIMIT, PER_SCHEMA_LIMIT, cost_message, schema_costs, total,
};
use crate::lint::{Finding, Rule};
use crate::model::schema::Schema;

pub const ID: &str = "cel/cost";

pub const RULE: Rule = Rule {
    compiled_root: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Schema, path: &str, problems: &mut Vec<Finding>) {
    let costs = schema_costs(root, path);
    for c in &costs {
        if c.cost > PER_EXPRESSION_LIMIT {
            let message = format!(
                "{}: Forbidden: {}",
                c.field,
                cost_message(c.name, c.cost, PER_EXPRESSION_LIMIT)
            );
            problems.push(Finding::new(ID, message, c.span).with_field(c.field.clone()));
        } else if let Some(high) = super::cost_high::finding(c) {
            problems.push(high);
        }
    }
    let total = total(&costs);
    if total > PER_SCHEMA_LIMIT {
        let mut top: Vec<&ExpressionCost> = costs
            .iter()
            .filter(|o| o.cost >= PER_SCHEMA_LIMIT / 100)
            .collect();
        top.sort_by_key(|o| std::cmp::Reverse(o.cost));
        for o in top.into_iter().take(4) {
            let message = format!(
                "{}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema",
                o.field
            );
            problems.push(Finding::new(ID, message, o.span).with_field(o.field.clone()));
        }
        let message = format!(
            "{path}: Forbidden: {}",
            cost_message(
                "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema",
                total,
                PER_SCHEMA_LIMIT
            )
        );
        problems.push(Finding::new(ID, message, root.span).with_field(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        let mut problems = Vec::new();
        let s = Schema::compile(&doc.root.unwrap(), "s", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        s
    }

    fn cost(rule: &str, node: &str) -> u64 {
        crate::cel::cost::estimate(rule, &schema(node), false).unwrap()
    }

    /// The findings of a whole schema, as `rule: message`.
    fn findings(yaml: &str) -> Vec<String> {
        let mut out = Vec::new();
        check(&schema(yaml), "s", &mut out);
        out.iter()
            .map(|p| format!("{}: {}", p.rule, p.message))
            .collect()
    }

    #[test]
    fn rules_run_once_per_value_of_their_node() {
        let rule = "x-kubernetes-validations: [{rule: \"self.matches('^a$')\", messageExpression: \"'bad: ' + self\"}]";
        // Under a list of 5 at most: 5 times.
        let bounded = format!(
            "{{type: object, properties: {{l: {{type: array, maxItems: 5, items: {{type: string, maxLength: 10, {rule}}}}}}}}}"
        );
        let mut out = Vec::new();
        check(&schema(&bounded), "s", &mut out);
        assert!(out.is_empty());
        // Under an unbounded list: as many strings as fit in a request, 3 MiB / 3.
        let unbounded = bounded.replace("maxItems: 5, ", "");
        let f = findings(&unbounded);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].starts_with("cel/cost-high: s.properties[l].items.x-kubernetes-validations[0].rule: estimated rule cost is at least 5242880, 52%"), "{f:?}");
        // The messageExpression runs once per failure: not multiplied, so no finding for it.
        assert!(f.iter().all(|f| !f.contains("messageExpression")));
        // An unbounded messageExpression is reported on its own.
        let message = "{type: string, x-kubernetes-validations: [{rule: 'true', messageExpression: \"self.split(',').map(p, p + ';').join(',')\"}]}";
        let f = findings(message);
        assert!(f[0].starts_with("cel/cost: s.x-kubernetes-validations[0].messageExpression: Forbidden: estimated messageExpression cost exceeds budget by factor of"), "{f:?}");
    }

    #[test]
    fn the_schema_total_names_the_four_most_expensive_rules() {
        // Rules of 5,347,742 each (a 68-character regex on an unbounded string): none over the
        // per-rule limit; 18 of them are 96M in all, 20 are 107M.
        let regex = format!("^({})$", vec!["aaaa"; 13].join("|"));
        let rules = |n: usize| {
            (0..n)
                .map(|_| format!("{{rule: \"self.matches('{regex}')\"}}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let s = |n| format!("{{type: string, x-kubernetes-validations: [{}]}}", rules(n));
        let f = findings(&s(18));
        assert!(f.iter().all(|f| f.starts_with("cel/cost-high")), "{f:?}");
        let f = findings(&s(20));
        let contributed = f.iter().filter(|f| f.contains("contributed")).count();
        assert_eq!(contributed, 4, "{f:?}");
        assert!(f.last().unwrap().starts_with("cel/cost: s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 1.069548x"), "{f:?}");
    }

    #[test]
    fn measured_server_costs_of_contains_over_bounded_lists() {
        // The API server's estimate of `self.all(x, x.contains('gpu'))`, measured by binary
        // search of the largest accepted maxItems: 11, 30, 106 and 414 per item for maxLength
        // 16, 63, 253 and 1024; plus 2 for `self` and the result.
        for (max_length, per_item) in [(16, 11), (63, 30), (253, 106), (1024, 414)] {
            let node = format!(
                "{{type: array, maxItems: 1000, items: {{type: string, maxLength: {max_length}}}}}"
            );
            assert_eq!(
                cost("self.all(x, x.contains('gpu'))", &node),
                2 + 1000 * per_item
            );
        }
        // The boundary the server showed for maxLength 16: 909,090 items accepted, one more not.
        let at = |n: u64| {
            findings(&format!(
                "{{type: array, maxItems: {n}, items: {{type: string, maxLength: 16}}, x-kubernetes-validations: [{{rule: \"self.all(x, x.contains('gpu'))\"}}]}}"
            ))
        };
        assert_eq!(
            at(909_090),
            vec![
                "cel/cost-high: s.x-kubernetes-validations[0].rule: estimated rule cost is at least 9999992, 99% of the API server's limit of 10000000 per expression: a little more (a longer regex, one more level of iteration, a larger bound) and the API server refuses the CRD; add or lower maxItems, maxProperties and maxLength where arrays, maps and strings are declared"
            ]
        );
        assert_eq!(
            at(909_091),
            vec![
                "cel/cost: s.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of 1.000000x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
            ]
        );
    }

    /// The items of a list literal are typed (`[0, 1]` is a list of int), so adding them costs
    /// 1 per addition. The API server's verdict on this rule under a list of at most 12
    /// (kubectl-validate 1.35, the `cel-runtime` fixture as it was): 1,065,553 per evaluation,
    /// 12 times, "exceeds budget by factor of 1.278664x" (crdlint said 785,553 before, not
    /// counting the additions of iteration variables).
    #[test]
    fn additions_over_list_literals_are_counted() {
        let digits = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
        let rule = format!(
            "{digits}.all(a, {digits}.all(b, {digits}.all(c, {digits}.all(d, [0, 1, 2, 3, 4, 5, 6].all(e, a + b + c + d + e >= 0))))) && self.name != ''"
        );
        let s = format!(
            "{{type: array, maxItems: 12, items: {{type: object, properties: {{name: {{type: string, maxLength: 20}}}}, x-kubernetes-validations: [{{rule: \"{rule}\"}}]}}}}"
        );
        let f = findings(&s);
        assert!(
            f[0].starts_with("cel/cost: s.items.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of 1.278664x"),
            "{f:?}"
        );
    }

    /// Values cel-go gives no size are taken as the largest: `string(x)` of anything but bytes,
    /// a string's `format` and `charAt`, `orValue` with a string or list default, a URL's
    /// parts, `m.k` on a map (sizes are looked up by schema path, where `m['k']` is
    /// `@values`), and the items of a list without a schema path (a literal, map/filter,
    /// split, sort/reverse/distinct) in `join`, and the messages of a `format` validation.
    /// Concatenating, matching or iterating such a value exceeds every budget; comparing it
    /// does not. Each verdict is kubectl-validate 1.35's on a CRD whose
    /// `spec` has these properties (a rule, or a messageExpression beside `self.size != 7`).
    #[test]
    fn sizes_cel_go_does_not_know_are_the_largest() {
        let spec = |key: &str, expr: &str| {
            let entry = if key == "rule" {
                format!("{{rule: \"{expr}\"}}")
            } else {
                format!("{{rule: 'self.size != 7', messageExpression: \"{expr}\"}}")
            };
            format!(
                "{{type: object, x-kubernetes-validations: [{entry}], properties: {{size: {{type: integer}}, ratio: {{type: number}}, name: {{type: string, maxLength: 20}}, blob: {{type: string, format: byte, maxLength: 40}}, items: {{type: array, maxItems: 5, items: {{type: string, maxLength: 10}}}}, m: {{type: object, maxProperties: 4, additionalProperties: {{type: string, maxLength: 8}}}}, lm: {{type: object, maxProperties: 4, additionalProperties: {{type: array, maxItems: 3, items: {{type: string, maxLength: 8}}}}}}}}}}"
            )
        };
        const M: &str = "messageExpression";
        for (key, expr) in [
            (M, "'size ' + string(self.size)"),
            (M, "'n=' + string(self.name)"),
            (M, "'x' + (self.size > 1 ? 'a' : string(self.size))"),
            ("rule", "string(self.size).matches('^1')"),
            ("rule", "string(self.size).contains('1')"),
            ("rule", "self.name + string(self.size) != ''"),
            (M, "'x' + '%s'.format([self.name])"),
            (M, "'x' + self.name.charAt(0)"),
            (M, "'x' + self.?name.orValue('y')"),
            ("rule", "self.?name.orValue('').matches('^a')"),
            ("rule", "self.?items.orValue([]).all(i, i != '')"),
            (M, "'x' + url(self.name).getHost()"),
            ("rule", "url(self.name).getHost().matches('a')"),
            (M, "'x' + self.m.k"),
            ("rule", "self.m.k.matches('a')"),
            ("rule", "self.lm.k.all(x, x != '')"),
            (M, "'x' + [self.name, 'a'].join(',')"),
            (M, "'x' + self.items.map(i, i + 'y').join(',')"),
            (M, "'x' + self.items.filter(i, i != '').join(',')"),
            (M, "'x' + self.name.split(',').join('-')"),
            ("rule", "[self.name].join(',') == ''"),
            (M, "'x' + self.items.sort().join(',')"),
            (M, "'x' + self.items.reverse().join(',')"),
            (M, "'x' + self.items.distinct().join(',')"),
            (M, "format.dns1123Label().validate(self.name).value().join(',')"),
            ("rule", "format.dns1123Label().validate(self.name).orValue([]).join(',') == ''"),
            ("rule", "format.dns1123Label().validate(self.name).value().all(m, m != '')"),
            (M, "self.items.slice(0, 1).join(',')"),
            (M, "self.items.slice(0, self.size).join(',')"),
        ] {
            let f = findings(&spec(key, expr));
            assert!(
                f.iter().any(|f| f.starts_with(&format!("cel/cost: s.x-kubernetes-validations[0].{key}: Forbidden: estimated {key} cost exceeds budget by factor of more than 100x"))),
                "{expr}: {f:?}"
            );
        }
        for (key, expr) in [
            (M, "'b=' + string(self.blob)"),
            (M, "string(self.size)"),
            ("rule", "string(self.size) == 'a'"),
            ("rule", "string(self.size).startsWith('1')"),
            ("rule", "string(self.size).size() < 3"),
            ("rule", "string(self.ratio) != ''"),
            ("rule", "string(self.size) in ['1', '2']"),
            ("rule", "[string(self.size)].all(s, s != '')"),
            ("rule", "'%s'.format([self.name]) == 'a'"),
            ("rule", "self.name.charAt(0) == 'a'"),
            ("rule", "self.?name.orValue('').startsWith('a')"),
            ("rule", "self.?items.orValue([]).size() > 0"),
            ("rule", "url(self.name).getHost() == 'a'"),
            ("rule", "self.m.k.startsWith('a')"),
            ("rule", "self.lm['k'].all(x, x != '')"),
            (M, "'x' + self.m['k']"),
            (M, "'x' + self.items.join(',')"),
            ("rule", "[].join(',') == ''"),
            ("rule", "self.items.sort()[0] == 'a'"),
            ("rule", "self.items.distinct().size() > 1"),
            ("rule", "self.items.reverse().all(i, i != '')"),
            ("rule", "self.items.distinct().exists(i, i.matches('^a'))"),
            ("rule", "self.items.sort() == self.items"),
            (M, "format.dns1123Label().validate(self.name).value()[0]"),
            ("rule", "!format.dns1123Label().validate(self.name).hasValue()"),
            ("rule", "format.dns1123Label().validate(self.name).value().size() > 0"),
            ("rule", "format.dns1123Label().validate(self.name).orValue([]).size() == 0"),
            (M, "self.items.slice(0, 0).join(',')"),
            (M, "self.items.slice(1, 1).join(',')"),
            ("rule", "self.items.slice(0, self.size).all(e, e.matches('^a'))"),
        ] {
            let f = findings(&spec(key, expr));
            assert!(f.iter().all(|f| !f.starts_with("cel/cost:")), "{expr}: {f:?}");
        }
    }

    #[test]
    fn documented_examples() {
        // Kubernetes docs: `self.all(x, x == 5)` is accepted on an unbounded list of integers,
        // and its nested form refused on an unbounded list of lists.
        let ints = "{type: array, items: {type: integer}, x-kubernetes-validations: [{rule: 'self.all(x, x == 5)'}]}";
        assert!(findings(ints).iter().all(|f| !f.starts_with("cel/cost:")));
        let nested = "{type: array, items: {type: array, items: {type: integer}}, x-kubernetes-validations: [{rule: 'self.all(x, x.all(y, y == 5))'}]}";
        let f = findings(nested);
        assert!(f[0].contains("estimated rule cost exceeds budget by factor of more than 100x"));
        // ... and the schema total with it.
        assert!(
            f.iter()
                .any(|f| f.contains("contributed to estimated rule cost total"))
        );
        assert!(f.last().unwrap().starts_with("cel/cost: s: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x"));
    }
}
