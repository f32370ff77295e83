//! The Slurm job of a batch: a manifest of the inputs, a job array whose task K runs
//! `process --shard K/N --skip-existing` over it, and a summary job that gathers
//! `summary.csv` once the array succeeded. The scripts are plain bash with `#SBATCH`
//! lines and a comment on each step, for a user to read and edit before submitting.
//!
//! Text only: writing the files and calling `sbatch` is `cli::slurm`'s business.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What the job asks of Slurm, and how `process` runs in it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSettings {
    /// The folder of the manifest, scripts, logs, outputs and summary (absolute).
    pub dir: PathBuf,
    /// The myobalance binary every task runs (absolute, on the shared file system).
    pub binary: PathBuf,
    /// Array tasks.
    pub tasks: usize,
    pub cpus_per_task: usize,
    pub mem_per_cpu_mb: usize,
    /// Wall time per task, as Slurm reads it ("1:00:00", "30", "2-00:00:00").
    pub time: String,
    pub partition: Option<String>,
    /// `process --montage`, absolute.
    pub montage: Option<PathBuf>,
    /// `process --causal`.
    pub causal: bool,
}

/// The files of the job, relative to its folder.
pub const MANIFEST: &str = "manifest.txt";
pub const PROCESS_SCRIPT: &str = "process.sbatch";
pub const SUMMARIZE_SCRIPT: &str = "summarize.sbatch";
pub const OUTPUTS: &str = "outputs";
pub const LOGS: &str = "logs";
pub const SUMMARY: &str = "summary.csv";

/// The manifest: the inputs (absolute, sorted as `--shard` deals them), one per line.
pub fn manifest(inputs: &[PathBuf]) -> String {
    let mut text = String::from(
        "# Inputs of this batch, one per line, in the order --shard deals them out:\n\
         # task K of N processes lines K, K+N, K+2N, ... (blank and # lines do not count).\n",
    );
    for input in inputs {
        let _ = writeln!(text, "{}", input.display());
    }
    text
}

/// `path` as one word for bash (single-quoted when it holds anything but plain characters).
fn quoted(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:,=@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The lines both scripts start with: the shebang, the job's resources, the log file and
/// the check that the binary is there.
fn header(s: &JobSettings, name: &str, log: &str, what: &str, extra: &[String]) -> String {
    let mut t = String::from("#!/bin/bash\n");
    let _ = writeln!(t, "# {what}");
    let _ = writeln!(
        t,
        "# Written by `myobalance slurm`; edit the #SBATCH lines to suit your cluster."
    );
    let _ = writeln!(t, "#SBATCH --job-name={name}");
    for line in extra {
        let _ = writeln!(t, "#SBATCH {line}");
    }
    let _ = writeln!(t, "#SBATCH --time={}", s.time);
    if let Some(p) = &s.partition {
        let _ = writeln!(t, "#SBATCH --partition={p}");
    }
    let _ = writeln!(
        t,
        "#SBATCH --output={}",
        s.dir.join(LOGS).join(log).display()
    );
    t.push_str("set -euo pipefail\n\n");
    t.push_str("# The binary must be reachable from every node (a shared file system).\n");
    let _ = writeln!(t, "bin={}", quoted(&s.binary));
    t.push_str(
        "if [ ! -x \"$bin\" ]; then\n  echo \"myobalance: $bin is missing or not executable on $(hostname); \
         put the binary on a file system every node mounts\" >&2\n  exit 1\nfi\n",
    );
    let _ = writeln!(t, "dir={}", quoted(&s.dir));
    t
}

/// The job array: task K processes its share of the manifest.
pub fn process_script(s: &JobSettings) -> String {
    let mut t = header(
        s,
        "myobalance-process",
        "process-%A_%a.log",
        "Processes the inputs of manifest.txt as a job array, one share per task.",
        &[
            format!("--array=0-{}", s.tasks.saturating_sub(1)),
            format!("--cpus-per-task={}", s.cpus_per_task),
            format!("--mem-per-cpu={}", s.mem_per_cpu_mb),
        ],
    );
    t.push_str(
        "\n# Task K of N takes inputs K, K+N, ... of the manifest (--shard). Outputs appear only\n\
         # when complete and complete ones are skipped (--skip-existing), so submitting this\n\
         # script again after a failure processes only what is missing.\n",
    );
    let mut command = format!(
        "\"$bin\" process --inputs-from \"$dir/{MANIFEST}\" \\\n  --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --skip-existing \\\n  --out-dir \"$dir/{OUTPUTS}\" --jobs \"${{SLURM_CPUS_PER_TASK:-1}}\""
    );
    if let Some(m) = &s.montage {
        let _ = write!(command, " \\\n  --montage {}", quoted(m));
    }
    if s.causal {
        command.push_str(" --causal");
    }
    t.push_str(&command);
    t.push('\n');
    t
}

/// The summary job, submitted to start after every task of the array succeeded.
pub fn summarize_script(s: &JobSettings) -> String {
    let mut t = header(
        s,
        "myobalance-summarize",
        "summarize-%j.log",
        "Gathers the summaries of all outputs into summary.csv, after the array succeeded.",
        &[
            "--cpus-per-task=2".to_string(),
            "--mem-per-cpu=1000".to_string(),
            // When a task of the array fails this job can never start: Slurm cancels it
            // instead of leaving it pending; the next submission brings a new one.
            "--kill-on-invalid-dep=yes".to_string(),
        ],
    );
    t.push_str(
        "\n# One tidy row per summary value of every output (file, subject, session, measure,\n\
         # value, unit), ready for pandas or R.\n",
    );
    let _ = writeln!(
        t,
        "\"$bin\" summarize \"$dir/{OUTPUTS}\"/*.h5 --out \"$dir/{SUMMARY}\""
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> JobSettings {
        JobSettings {
            dir: "/scratch/study".into(),
            binary: "/opt/my tools/myobalance".into(),
            tasks: 4,
            cpus_per_task: 2,
            mem_per_cpu_mb: 2000,
            time: "1:00:00".into(),
            partition: Some("short".into()),
            montage: Some("/scratch/lab.toml".into()),
            causal: true,
        }
    }

    #[test]
    fn the_array_runs_one_shard_per_task() {
        let t = process_script(&settings());
        for line in [
            "#SBATCH --array=0-3",
            "#SBATCH --cpus-per-task=2",
            "#SBATCH --mem-per-cpu=2000",
            "#SBATCH --time=1:00:00",
            "#SBATCH --partition=short",
            "#SBATCH --output=/scratch/study/logs/process-%A_%a.log",
            "bin='/opt/my tools/myobalance'",
            "--shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --skip-existing",
            "--montage /scratch/lab.toml --causal",
        ] {
            assert!(t.contains(line), "no {line:?} in\n{t}");
        }
        assert!(t.starts_with("#!/bin/bash\n"));
        let summary = summarize_script(&settings());
        assert!(summary.contains("#SBATCH --kill-on-invalid-dep=yes"));
        assert!(summary.contains("summarize \"$dir/outputs\"/*.h5 --out \"$dir/summary.csv\""));
    }

    #[test]
    fn quoting_keeps_odd_paths_one_word() {
        assert_eq!(quoted(Path::new("/a/b.h5")), "/a/b.h5");
        assert_eq!(quoted(Path::new("/a/it's")), r"'/a/it'\''s'");
    }
}
