//! crdlint patch: runtime cost tracking, after cel-go `interpreter/runtimecost.go`.
//!
//! While [`metered`] runs, every [`crate::Program::execute`] on this thread is charged what
//! cel-go's actual-cost tracker charges for each evaluation step, and stopped once a call
//! costs more than the per-call limit ("operation cancelled: actual cost limit exceeded").
//! The charges of all executions are taken from one budget; once it is spent, or once a
//! call was cancelled, every later execution fails at once, as the Kubernetes API server
//! runs no further rules.
//!
//! What a function call costs depends on the library that defines it, so the caller
//! supplies it as a [`CallCost`] pricing the call from the sizes of its operands.
//!
//! The meter is thread-local because the interpreter owns no state of its own between
//! calls, and callers (kube-cel) run programs without handing the context to us.

use crate::common::types::{CelBytes, CelList, CelMap, CelString};
use crate::common::ast::{operators, EntryExpr, Expr};
use crate::common::value::Val;
use crate::{ExecutionError, Expression};
use std::cell::RefCell;

/// What the pricing of a call may know about an operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    String,
    Bytes,
    List,
    Map,
    Other,
}

/// An evaluated operand: its kind, and its size as CEL's `size()` counts it (code points
/// for strings, bytes, elements, entries); 1 for anything without a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operand {
    pub kind: OperandKind,
    pub size: u64,
    /// Kubernetes' `traversalCost`: a tenth of the UTF-8 length of a string or bytes, rounded
    /// down; for a list, the sum over its elements (a nested list or map counted as 0, a
    /// lower bound); 1 for other scalars.
    pub traversal: u64,
}

impl Operand {
    fn of(v: &dyn Val) -> Operand {
        let tenth = |len: usize| (len as f64 * 0.1) as u64;
        let operand = |kind, size: usize, traversal| Operand {
            kind,
            size: size as u64,
            traversal,
        };
        if let Some(s) = v.downcast_ref::<CelString>() {
            let s = s.inner();
            operand(OperandKind::String, s.chars().count(), tenth(s.len()))
        } else if let Some(b) = v.downcast_ref::<CelBytes>() {
            let len = b.inner().len();
            operand(OperandKind::Bytes, len, tenth(len))
        } else if let Some(l) = v.downcast_ref::<CelList>() {
            let items = l.inner();
            let traversal = items
                .iter()
                .map(|item| {
                    let item = item.as_ref();
                    if let Some(s) = item.downcast_ref::<CelString>() {
                        tenth(s.inner().len())
                    } else if let Some(b) = item.downcast_ref::<CelBytes>() {
                        tenth(b.inner().len())
                    } else if item.downcast_ref::<CelList>().is_some()
                        || item.downcast_ref::<CelMap>().is_some()
                    {
                        0
                    } else {
                        1
                    }
                })
                .sum();
            operand(OperandKind::List, items.len(), traversal)
        } else if let Some(m) = v.downcast_ref::<CelMap>() {
            operand(OperandKind::Map, m.inner().len(), 0)
        } else {
            operand(OperandKind::Other, 1, 1)
        }
    }
}

/// The price of a call of `function` (cel-rust's name: `_+_`, `size`, `matches`, ...) whose
/// evaluated operands are `operands`, in order: the receiver first when `receiver` is true;
/// `result` is what it returned (None on an error).
/// An operand the call did not evaluate (short-circuit, lazy argument) is missing.
pub type CallCost =
    fn(function: &str, receiver: bool, operands: &[Operand], result: Option<Operand>) -> u64;

/// Why a metered run stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A call cost more than the per-call limit.
    CallLimit,
    /// The budget of the run was spent.
    Budget,
}

struct Meter {
    call_cost: CallCost,
    per_call_limit: u64,
    remaining: u64,
    /// The cost of the execution under way.
    cost: u64,
    /// The execution under way went over the per-call limit.
    cancelled: bool,
    stopped: Option<Stop>,
    /// The execution under way is a messageExpression's.
    in_message: bool,
    stopped_in_message: bool,
    /// What the evaluator found out about the node it just evaluated.
    resolved: Resolved,
    /// The operands of the nodes evaluated since the innermost node still under way began.
    evaluated: Vec<Operand>,
    /// Cost of each execution, in order.
    costs: Vec<u64>,
}

thread_local! {
    static METER: RefCell<Option<Meter>> = const { RefCell::new(None) };
}

/// What a metered run spent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spent {
    /// The actual cost of each program execution, in order (a cancelled one included).
    pub executions: Vec<u64>,
    pub stopped: Option<Stop>,
    /// The execution that stopped the run was a messageExpression's
    /// ([`crate::Program::mark_message_expression`]).
    pub stopped_in_message: bool,
}

/// Run `f` with every program execution on this thread metered.
pub fn metered<R>(
    per_call_limit: u64,
    budget: u64,
    call_cost: CallCost,
    f: impl FnOnce() -> R,
) -> (R, Spent) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            METER.with(|m| m.borrow_mut().take());
        }
    }
    METER.with(|m| {
        *m.borrow_mut() = Some(Meter {
            call_cost,
            per_call_limit,
            remaining: budget,
            cost: 0,
            cancelled: false,
            stopped: None,
            in_message: false,
            stopped_in_message: false,
            resolved: Resolved::Plain,
            evaluated: Vec::new(),
            costs: Vec::new(),
        })
    });
    let reset = Reset;
    let out = f();
    let spent = METER.with(|m| {
        m.borrow()
            .as_ref()
            .map(|m| Spent {
                executions: m.costs.clone(),
                stopped: m.stopped,
                stopped_in_message: m.stopped_in_message,
            })
            .unwrap_or_default()
    });
    drop(reset);
    (out, spent)
}

fn with_meter<T>(f: impl FnOnce(&mut Meter) -> T) -> Option<T> {
    METER.with(|m| m.borrow_mut().as_mut().map(f))
}

/// Before a program runs: an error when the run is stopped.
pub(crate) fn begin_execution(message_expression: bool) -> Result<(), ExecutionError> {
    let stopped = with_meter(|m| {
        m.in_message = message_expression;
        m.cost = 0;
        m.cancelled = false;
        m.evaluated.clear();
        m.stopped
    })
    .flatten();
    match stopped {
        Some(_) => Err(ExecutionError::CostBudgetExhausted),
        None => Ok(()),
    }
}

/// After a program ran: its result, unless it went over the budget or the per-call limit.
/// As the API server does, the budget is checked first.
pub(crate) fn end_execution<T>(result: Result<T, ExecutionError>) -> Result<T, ExecutionError> {
    let verdict = with_meter(|m| {
        m.costs.push(m.cost);
        m.evaluated.clear();
        let stop = if m.cost > m.remaining {
            Stop::Budget
        } else if m.cancelled {
            Stop::CallLimit
        } else {
            m.remaining -= m.cost;
            return None;
        };
        m.stopped = Some(stop);
        m.stopped_in_message = m.in_message;
        Some(match stop {
            Stop::Budget => ExecutionError::CostBudgetExhausted,
            Stop::CallLimit => ExecutionError::CostLimitExceeded,
        })
    })
    .flatten();
    match verdict {
        Some(e) => Err(e),
        None => result,
    }
}

/// Whether evaluation is metered. Cheap enough to ask at every node.
#[inline]
pub(crate) fn is_metered() -> bool {
    METER.with(|m| m.borrow().is_some())
}

/// Before a node is evaluated: where its operands will start, or the cancellation.
pub(crate) fn enter() -> Result<usize, ExecutionError> {
    with_meter(|m| {
        if m.cancelled {
            Err(ExecutionError::CostLimitExceeded)
        } else {
            Ok(m.evaluated.len())
        }
    })
    .unwrap_or(Ok(0))
}

/// An error once the execution under way is cancelled.
pub(crate) fn check() -> Result<(), ExecutionError> {
    enter().map(|_| ())
}

/// The number of operands recorded so far, for [`truncate`].
pub(crate) fn depth() -> usize {
    with_meter(|m| m.evaluated.len()).unwrap_or(0)
}

/// Forget the operands recorded after `depth`: a comprehension's iterations are priced
/// as they run and need not be kept.
pub(crate) fn truncate(depth: usize) {
    with_meter(|m| m.evaluated.truncate(depth));
}

/// How a node is priced.
pub(crate) enum Price<'a> {
    Fixed(u64),
    /// A function call: `receiver` when its target was evaluated as its first operand;
    /// `namespace`, the identifier it is called on, in case that names a namespace.
    Call {
        function: &'a str,
        receiver: bool,
        namespace: Option<&'a str>,
    },
}

/// What the evaluator found out about a node that its expression does not say.
#[derive(Clone, Copy, Default)]
enum Resolved {
    #[default]
    Plain,
    /// `ns.f(..)` was a call of the function registered as `ns.f`, a global call.
    Namespaced,
    /// An identifier was a type name, a constant in cel-go.
    Constant,
}

/// The evaluator called the node it is evaluating as a namespaced function (`sets.contains`).
pub(crate) fn resolved_namespaced() {
    with_meter(|m| m.resolved = Resolved::Namespaced);
}

/// The evaluator resolved the identifier it is evaluating as a type name.
pub(crate) fn resolved_constant() {
    with_meter(|m| m.resolved = Resolved::Constant);
}

/// Whether cel-go plans `e` as an attribute: an identifier with field and index qualifiers.
pub(crate) fn is_attribute(e: &Expression) -> bool {
    match &e.expr {
        Expr::Ident(_) => true,
        Expr::Select(s) => !s.test && is_attribute(&s.operand),
        Expr::Call(c) if c.target.is_none() && c.args.len() == 2 => {
            matches!(c.func_name.as_str(), operators::INDEX | operators::OPT_INDEX)
                && is_attribute(&c.args[0])
        }
        _ => false,
    }
}

/// Whether cel-go's `OptOptimize` folds `e` into a constant: literals, and lists and maps of
/// constants.
fn is_constant(e: &Expression) -> bool {
    match &e.expr {
        Expr::Literal(_) => true,
        Expr::List(l) => l.optional_indices.is_empty() && l.elements.iter().all(is_constant),
        Expr::Map(m) => m.entries.iter().all(|entry| match &entry.expr {
            EntryExpr::MapEntry(me) => !me.optional && is_constant(&me.key) && is_constant(&me.value),
            EntryExpr::StructField(_) => false,
        }),
        _ => false,
    }
}

/// Conversions cel-go's `OptOptimize` folds when their argument is a constant.
const CONVERSIONS: [&str; 10] = [
    "int", "uint", "double", "bool", "string", "bytes", "timestamp", "duration", "type", "dyn",
];

/// What cel-go charges for evaluating `e` itself, its operands aside, as far as the expression
/// tells (see [`Resolved`] for the rest).
///
/// Kubernetes evaluates with `OptOptimize` and `PresenceTestHasCost(false)`: constant lists
/// and maps, conversions of constants and membership in a constant list cost nothing, and
/// neither does a presence test's own field.
pub(crate) fn price(e: &Expression) -> Price<'_> {
    // A field or index on something that is not an attribute is planned as a relative
    // attribute, which costs 1 on top of its qualifier.
    let relative = |operand: &Expression| u64::from(!is_attribute(operand));
    match &e.expr {
        Expr::Literal(_) | Expr::Comprehension(_) | Expr::Unspecified => Price::Fixed(0),
        Expr::Ident(_) => Price::Fixed(1),
        Expr::Select(s) if s.test => Price::Fixed(0),
        Expr::Select(s) => Price::Fixed(1 + relative(&s.operand)),
        Expr::List(_) | Expr::Map(_) if is_constant(e) => Price::Fixed(0),
        Expr::List(_) => Price::Fixed(10),
        Expr::Map(_) => Price::Fixed(30),
        Expr::Struct(_) => Price::Fixed(40),
        Expr::Call(call) => {
            let name = call.func_name.as_str();
            match name {
                operators::CONDITIONAL | operators::LOGICAL_AND | operators::LOGICAL_OR => {
                    Price::Fixed(0)
                }
                // An identifier used as an index is resolved by its qualifier, uncharged.
                operators::INDEX | operators::OPT_INDEX if call.args.len() == 2 => {
                    let by_ident = u64::from(matches!(call.args[1].expr, Expr::Ident(_)));
                    Price::Fixed(1 + relative(&call.args[0]) - by_ident)
                }
                operators::OPT_SELECT if call.args.len() == 2 => {
                    Price::Fixed(1 + relative(&call.args[0]))
                }
                operators::IN if call.args.len() == 2 && is_constant(&call.args[1]) => {
                    Price::Fixed(0)
                }
                _ if call.target.is_none()
                    && call.args.len() == 1
                    && CONVERSIONS.contains(&name)
                    && is_constant(&call.args[0]) =>
                {
                    Price::Fixed(0)
                }
                _ => Price::Call {
                    function: name,
                    receiver: call.target.is_some(),
                    namespace: match call.target.as_deref().map(|t| &t.expr) {
                        Some(Expr::Ident(prefix)) => Some(prefix.as_str()),
                        _ => None,
                    },
                },
            }
        }
    }
}

/// Take back `amount` of the execution's cost: a step cel-go does not observe.
pub(crate) fn discount(amount: u64) {
    with_meter(|m| m.cost = m.cost.saturating_sub(amount));
}

/// After a node evaluated to `value`: charge it, record its operand for its parent, and
/// fail when the execution now costs more than the per-call limit.
pub(crate) fn leave(
    start: usize,
    price: Price,
    value: Option<&dyn Val>,
) -> Result<(), ExecutionError> {
    with_meter(|m| {
        let own = value.map(Operand::of);
        let operands = &m.evaluated[start..];
        let charge = match (price, std::mem::take(&mut m.resolved)) {
            (_, Resolved::Constant) => 0,
            (Price::Fixed(c), _) => c,
            (
                Price::Call {
                    function,
                    namespace: Some(namespace),
                    ..
                },
                Resolved::Namespaced,
            ) => (m.call_cost)(&format!("{namespace}.{function}"), false, operands, own),
            (
                Price::Call {
                    function, receiver, ..
                },
                _,
            ) => (m.call_cost)(function, receiver, operands, own),
        };
        m.evaluated.truncate(start);
        m.evaluated.extend(own);
        m.cost = m.cost.saturating_add(charge);
        if m.cost > m.per_call_limit {
            m.cancelled = true;
            return Err(ExecutionError::CostLimitExceeded);
        }
        Ok(())
    })
    .unwrap_or(Ok(()))
}
