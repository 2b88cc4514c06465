//! Field paths as apimachinery's `field.Path` prints them: `spec.ports[1].name`. Validation,
//! CEL (kube-cel's own paths are printed the same way) and rule field paths use these.

/// `field.Path.Child(key)`: `key` at the root, else `path.key`.
pub fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        let mut s = String::with_capacity(path.len() + 1 + key.len());
        s.push_str(path);
        s.push('.');
        s.push_str(key);
        s
    }
}

/// [`child`] in place: `path` becomes its child `key`; returns the length to truncate it back
/// to. For walks that keep one path and extend it as they go down.
pub fn push_child(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if len != 0 {
        path.push('.');
    }
    path.push_str(key);
    len
}

/// [`index`] in place, as [`push_child`].
pub fn push_index(path: &mut String, i: usize) -> usize {
    use std::fmt::Write as _;
    let len = path.len();
    let _ = write!(path, "[{i}]");
    len
}

/// [`key`] in place, as [`push_child`].
pub fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    path.push('[');
    path.push_str(key);
    path.push(']');
    len
}

/// `field.Path.Index(i)`: `path[i]` (`[i]` at the root).
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// `field.Path.Key(key)`: a key of a map, `path[key]` (the key unquoted).
pub fn key(path: &str, key: &str) -> String {
    format!("{path}[{key}]")
}
