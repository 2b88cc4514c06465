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

/// [`index`] in place, as [`push_child`]. The digits are written by hand: walks push an index
/// for every list item, and `write!` costs ten times as much.
pub fn push_index(path: &mut String, mut i: usize) -> usize {
    let len = path.len();
    let mut digits = [0u8; 20];
    let mut from = digits.len();
    loop {
        from -= 1;
        digits[from] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    path.push('[');
    path.extend(digits[from..].iter().map(|&d| d as char));
    path.push(']');
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
    let mut s = String::with_capacity(path.len() + 4);
    s.push_str(path);
    push_index(&mut s, i);
    s
}

/// `field.Path.Key(key)`: a key of a map, `path[key]` (the key unquoted).
pub fn key(path: &str, key: &str) -> String {
    format!("{path}[{key}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_print_as_go_prints_them() {
        for i in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX as usize, usize::MAX] {
            assert_eq!(index("spec.ports", i), format!("spec.ports[{i}]"));
            assert_eq!(index("", i), format!("[{i}]"));
            let mut p = String::from("a");
            let len = push_index(&mut p, i);
            assert_eq!((p.as_str(), len), (format!("a[{i}]").as_str(), 1));
        }
    }
}
