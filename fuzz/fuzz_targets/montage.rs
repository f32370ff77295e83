//! The montage reader on any text: `Montage::from_toml_str` never panics; a montage it
//! accepts writes TOML (`to_toml_string`) that it accepts again, equal to the first; and
//! `set_mvc_in_toml` on accepted text never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myobalance::montage::Montage;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(montage) = Montage::from_toml_str(&text, "fuzz.toml") else {
        return;
    };
    let again = Montage::from_toml_str(&montage.to_toml_string(), "again.toml")
        .expect("a montage's own TOML reads back");
    assert_eq!(again, montage);
    if let Some(first) = montage.channels.first() {
        let _ = Montage::set_mvc_in_toml(&text, "fuzz.toml", &[(first.name.clone(), 100.0)]);
    }
});
