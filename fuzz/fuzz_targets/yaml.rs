//! The YAML layer on arbitrary input: valid UTF-8 as is, anything else read lossily.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    crdlint_fuzz::init();
    if let Ok(text) = std::str::from_utf8(data) {
        let docs = crdlint::yaml::parse_stream(text);
        crdlint_fuzz::check_documents(text, &docs);
    } else {
        let text = String::from_utf8_lossy(data);
        let docs = crdlint::yaml::parse_stream(&text);
        crdlint_fuzz::check_documents(&text, &docs);
    }
});
