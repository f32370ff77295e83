//! A description of the machine a benchmark ran on, so that figures are never quoted
//! without it.

use serde::Serialize;

/// CPU model, core count and the vector extensions the kernels can use.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// The CPU model as the operating system names it (`/proc/cpuinfo` on Linux), or
    /// "unknown".
    pub cpu_model: String,
    /// Hardware threads available to this process.
    pub cores: usize,
    pub arch: &'static str,
    pub os: &'static str,
    /// Vector extensions the CPU reports, of those that matter here (the filter and Welch
    /// loops run with AVX2 when it is listed, with the baseline otherwise).
    pub simd: Vec<&'static str>,
    /// The benchmark runs every kernel on one thread.
    pub threads_used: usize,
}

impl Machine {
    /// Looks at the machine this process runs on.
    pub fn detect() -> Machine {
        Machine {
            cpu_model: cpu_model().unwrap_or_else(|| "unknown".to_string()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            arch: std::env::consts::ARCH,
            os: std::env::consts::OS,
            simd: simd_features(),
            threads_used: 1,
        }
    }
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| matches!(key.trim(), "model name" | "Model" | "cpu model"))
        .map(|(_, value)| value.trim().to_string())
}

#[cfg(target_arch = "x86_64")]
fn simd_features() -> Vec<&'static str> {
    let mut found = vec!["sse2"];
    if std::is_x86_feature_detected!("avx2") {
        found.push("avx2");
    }
    if std::is_x86_feature_detected!("fma") {
        found.push("fma");
    }
    if std::is_x86_feature_detected!("avx512f") {
        found.push("avx512f");
    }
    found
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_features() -> Vec<&'static str> {
    Vec::new()
}
