//! Fuzzes the csv reader end to end: reading, parsing, analyzing, writing.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tactful_cli::input::InputFormat;

fuzz_target!(|data: &[u8]| {
    tactful_fuzz::check_input(data, InputFormat::Csv);
});
