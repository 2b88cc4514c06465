//! Not rules: what the rules share. How the server holds a v1 CRD ([`layout`]), a schema node as
//! written with its server path and upstream's traversals of it ([`schema_node`]), the walk of a
//! compiled schema ([`compiled`]), which fields pruning drops between two schemas ([`pruning`]),
//! and two revisions of one CRD walked side by side ([`revision`]).

pub mod compiled;
pub mod layout;
pub mod pruning;
pub mod revision;
pub mod schema_node;
