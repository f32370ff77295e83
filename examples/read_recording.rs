//! Times reading a recording in a foreign format, for `scripts/bench_import.py`: the file
//! parsed into physical values (what pyedflib's `readSignal` gives for every signal), and
//! the whole import into a recording (units, rates, montage guess). Prints one JSON object
//! with the seconds of each repeat and, per signal, the mean absolute value (for the
//! script to check both readers read the same values).
//!
//! ```text
//! cargo run --release --example read_recording -- FILE [REPEATS]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use myobalance::import::open::{detect, parse_file, read};
use myobalance::import::Settings;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: read_recording FILE [REPEATS]")?);
    let repeats: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let detected = detect(&path)?;
    let mut parse_s = Vec::new();
    let mut means = Vec::new();
    let mut samples = 0usize;
    for _ in 0..repeats {
        let t = Instant::now();
        let imported = parse_file(&path, &detected, None)?;
        parse_s.push(t.elapsed().as_secs_f64());
        samples = imported.signals.iter().map(|s| s.samples.len()).sum();
        means = imported
            .signals
            .iter()
            .map(|s| {
                s.samples.iter().map(|v| f64::from(v.abs())).sum::<f64>()
                    / s.samples.len().max(1) as f64
            })
            .collect();
    }
    let mut import_s = Vec::new();
    for _ in 0..repeats {
        let t = Instant::now();
        let import = read(&path, &detected, &Settings::default())?;
        import_s.push(t.elapsed().as_secs_f64());
        drop(import);
    }
    let json = serde_json::json!({
        "file": path.display().to_string(),
        "samples": samples,
        "threads": rayon::current_num_threads(),
        "parse_s": parse_s,
        "import_s": import_s,
        "mean_abs": means,
    });
    println!("{json}");
    Ok(())
}
