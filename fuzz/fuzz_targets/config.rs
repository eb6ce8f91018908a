//! Fuzzes the configuration: `tactful.toml` and the pattern syntax.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tactful_fuzz::check_config(data);
});
