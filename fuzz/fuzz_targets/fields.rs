//! The small readers of command-line values and lists, on any text: `--shard K/N`,
//! `--inputs-from` lists, `--start` date-times and the session dates `progress` orders by.
//! None panics; a shard that parses is in range and prints back as it parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myobalance::cli::simulate::start::recorded_utc;
use myobalance::cluster::inputs::read_list;
use myobalance::cluster::shard::Shard;
use myobalance::sessions::order::seconds_of;

fuzz_target!(|data: &[u8]| {
    let _ = read_list(data, "fuzz.txt");
    let text = String::from_utf8_lossy(data);
    if let Ok(shard) = text.parse::<Shard>() {
        assert!(shard.index < shard.count);
        assert_eq!(shard.to_string().parse::<Shard>(), Ok(shard));
    }
    if let Ok(utc) = recorded_utc(&text) {
        let _ = seconds_of(&utc);
    }
    let _ = seconds_of(&text);
});
