//! Fuzzes the analyzer on arbitrary turns, whole and incremental.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tactful_fuzz::check_analyzer(data);
});
