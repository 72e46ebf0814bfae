#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citygov_fuzz::upload(data));
