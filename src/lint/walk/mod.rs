//! Not rules: what the rules share. How the server holds a v1 CRD ([`layout`]), a schema node as
//! written with its server path and upstream's traversals of it ([`schema_node`]), and the walk
//! of a compiled schema ([`compiled`]).

pub mod compiled;
pub mod layout;
pub mod schema_node;
