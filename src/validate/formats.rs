pub fn check_format(_format: &str, _value: &str) -> Option<bool> {
    None
}
