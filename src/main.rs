pub mod source;
pub mod yaml;
fn main() {}
