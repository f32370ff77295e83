//! Loads the golden vectors that `scripts/gen_fixtures.py` writes with numpy/scipy.

use std::path::PathBuf;

use myobalance::dsp::sos::Section;
use serde_json::Value;

pub fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub fn vec1(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(f).collect()
}

pub fn vec2(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("array").iter().map(vec1).collect()
}

pub fn sections(v: &Value) -> Vec<Section> {
    vec2(v)
        .into_iter()
        .map(|row| Section {
            b: [row[0], row[1], row[2]],
            a: [row[3], row[4], row[5]],
        })
        .collect()
}

/// Channels (planar) → interleaved frames.
pub fn interleave(channels: &[Vec<f64>]) -> Vec<f64> {
    let n = channels[0].len();
    (0..n)
        .flat_map(|i| channels.iter().map(move |c| c[i]))
        .collect()
}

/// Interleaved frames → channel `c`.
pub fn channel(frames: &[f64], channels: usize, c: usize) -> Vec<f64> {
    frames.iter().skip(c).step_by(channels).copied().collect()
}

/// Largest |a − b| relative to the largest |b|: the error measured against the signal's
/// own scale, so samples near zero crossings are not judged on their own.
pub fn scaled_error(a: &[f64], b: &[f64]) -> f64 {
    scaled_error_floor(a, b, f64::MIN_POSITIVE)
}

/// As [`scaled_error`], with the scale at least `floor` (for outputs that are all but zero,
/// such as a band-pass of a constant, judged against the input's scale).
pub fn scaled_error_floor(a: &[f64], b: &[f64], floor: f64) -> f64 {
    assert_eq!(a.len(), b.len(), "lengths differ");
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(floor);
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// A small deterministic generator for test signals (splitmix64 → uniform in [−1, 1)).
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed)
    }
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
    /// Approximately normal (sum of 12 uniforms), unit variance.
    pub fn gauss(&mut self) -> f64 {
        (0..12).map(|_| self.next()).sum::<f64>() / 2.0
    }
    pub fn vec(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.gauss()).collect()
    }
}

/// A number, or NaN where the fixture holds null (JSON has no NaN, so the generator writes
/// NaN as null).
pub fn f_or_nan(v: &Value) -> f64 {
    if v.is_null() {
        f64::NAN
    } else {
        f(v)
    }
}

/// An array of numbers and nulls, nulls read as NaN.
pub fn vec1_or_nan(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(f_or_nan).collect()
}

/// A command for a child process that inherits no file descriptor but stdin, stdout and
/// stderr. HDF5 opens files without close-on-exec, so a child would otherwise keep the
/// files other tests have open (and their locks) for as long as it runs, and those tests
/// could not reopen their own files.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    let mut c = std::process::Command::new(program);
    // SAFETY: between fork and exec the closure only calls close(2), which is
    // async-signal-safe, on descriptors this child owns.
    unsafe {
        c.pre_exec(|| {
            let max = libc::sysconf(libc::_SC_OPEN_MAX).clamp(256, 65_536) as i32;
            for fd in 3..max {
                libc::close(fd);
            }
            Ok(())
        });
    }
    c
}

/// `../shared/data` beside the checkout (real recordings by others), or None after saying
/// the test that asked is skipped.
pub fn shared_data() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// Runs a browser check, a script of `scripts/` with the Python of `MYOBALANCE_PYTHON`
/// (selenium), and asserts it passed. Says so and returns `false` when it cannot run: no
/// `MYOBALANCE_PYTHON` (scripts/test sets it), or the script exits 77 (Chromium or its
/// driver missing; `scripts/setup --browser` installs them).
pub fn browser_check<A: AsRef<std::ffi::OsStr>>(test: &str, script: &str, args: &[A]) -> bool {
    let Some(python) = std::env::var_os("MYOBALANCE_PYTHON") else {
        eprintln!(
            "SKIPPED {test} (browser part): MYOBALANCE_PYTHON is not set (scripts/test sets it)"
        );
        return false;
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = std::process::Command::new(python)
        .arg(root.join("scripts").join(script))
        .args(args)
        .output()
        .unwrap();
    if o.status.code() == Some(77) {
        eprintln!(
            "SKIPPED {test} (browser part): {}",
            String::from_utf8_lossy(&o.stderr).trim()
        );
        return false;
    }
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    true
}
