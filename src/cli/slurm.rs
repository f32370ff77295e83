//! `myobalance slurm INPUTS... --out-dir DIR [--tasks N] [--cpus-per-task C]
//! [--mem-per-cpu MB] [--time T] [--partition P] [--montage M] [--causal] [--submit]`:
//! writes `DIR/manifest.txt`, `DIR/process.sbatch` (a job array running `process --shard
//! … --skip-existing`) and `DIR/summarize.sbatch` (`DIR/summary.csv` once the array
//! succeeded); `--submit` submits both with `sbatch`, the second depending on the first,
//! and prints the job ids. Running the same command again after a failure submits a job
//! that processes only what is missing.
//!
//! Everything that can be checked before submitting is: each input exists, the folder is
//! writable, `sbatch` is on the PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;
use clap::Args;

use super::outputs::{output_paths, Destination};
use super::{Outcome, UsageError};
use crate::cluster::shard::sorted;
use crate::cluster::skip::is_complete;
use crate::cluster::slurm::{
    manifest, process_script, summarize_script, JobSettings, LOGS, MANIFEST, OUTPUTS,
    PROCESS_SCRIPT, SUMMARIZE_SCRIPT, SUMMARY,
};
use crate::montage::Montage;

/// Options of `myobalance slurm`.
#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// Recordings to process, in any format `process` reads (on a file system every node
    /// mounts).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Folder of the job: manifest, scripts, logs/, outputs/ and summary.csv.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Array tasks; each takes every N-th input (default: one per 8 inputs, at most 100).
    #[arg(long, value_name = "N")]
    pub tasks: Option<usize>,
    /// CPUs per task (process's worker threads).
    #[arg(long, value_name = "C", default_value_t = 2)]
    pub cpus_per_task: usize,
    /// Memory per CPU in MB.
    #[arg(long, value_name = "MB", default_value_t = 2000)]
    pub mem_per_cpu: usize,
    /// Wall time per task, as Slurm reads it (minutes, H:MM:SS, D-HH:MM:SS).
    #[arg(long, value_name = "T", default_value = "1:00:00")]
    pub time: String,
    /// Slurm partition (default: the cluster's default).
    #[arg(long, value_name = "P")]
    pub partition: Option<String>,
    /// Montage for every input (as for process).
    #[arg(long, value_name = "M.toml")]
    pub montage: Option<PathBuf>,
    /// Causal filtering (as for process).
    #[arg(long)]
    pub causal: bool,
    /// Submit the array and the summary job with sbatch and print their ids.
    #[arg(long)]
    pub submit: bool,
}

/// Inputs per task when --tasks is not given, and the most tasks then.
const INPUTS_PER_TASK: usize = 8;
const MAX_DEFAULT_TASKS: usize = 100;

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    std::path::absolute(path)
}

/// Writes the job's files and, with `--submit`, submits it.
pub fn run(args: SlurmArgs) -> anyhow::Result<Outcome> {
    let missing: Vec<String> = args
        .inputs
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(UsageError(format!(
            "{} input(s) not found, nothing written or submitted: {}",
            missing.len(),
            missing.join(", ")
        ))
        .into());
    }
    if let Some(m) = &args.montage {
        Montage::load(m).context("--montage")?;
    }
    for (flag, value) in [
        ("--cpus-per-task", args.cpus_per_task),
        ("--mem-per-cpu", args.mem_per_cpu),
    ] {
        if value == 0 {
            return Err(UsageError(format!("{flag} 0: give at least 1")).into());
        }
    }
    let inputs = sorted(
        args.inputs
            .iter()
            .map(|p| absolute(p))
            .collect::<std::io::Result<Vec<_>>>()
            .context("cannot resolve the input paths")?,
    );
    let tasks = match args.tasks {
        Some(0) => return Err(UsageError("--tasks 0: give at least 1".into()).into()),
        Some(n) => n.min(inputs.len()),
        None => inputs
            .len()
            .div_ceil(INPUTS_PER_TASK)
            .clamp(1, MAX_DEFAULT_TASKS),
    };
    let dir = absolute(&args.out_dir).context("--out-dir")?;
    // The names process will give the outputs; two inputs with one name are refused now
    // rather than by every task.
    let outputs = output_paths(&inputs, &Destination::Dir(dir.join(OUTPUTS)))?;
    for sub in [LOGS, OUTPUTS] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| {
            UsageError(format!(
                "--out-dir {}: cannot create {sub}/ in it: {e}",
                args.out_dir.display()
            ))
        })?;
    }
    let binary = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .context("cannot find this program's own path for the scripts")?;
    let settings = JobSettings {
        dir: dir.clone(),
        binary,
        tasks,
        cpus_per_task: args.cpus_per_task,
        mem_per_cpu_mb: args.mem_per_cpu,
        time: args.time.clone(),
        partition: args.partition.clone(),
        montage: args.montage.as_deref().map(absolute).transpose()?,
        causal: args.causal,
    };
    for (name, text) in [
        (MANIFEST, manifest(&inputs)),
        (PROCESS_SCRIPT, process_script(&settings)),
        (SUMMARIZE_SCRIPT, summarize_script(&settings)),
    ] {
        super::outputs::write_atomically(&dir.join(name), &text)
            .map_err(|e| UsageError(format!("--out-dir {}: {e:#}", args.out_dir.display())))?;
    }
    let done = outputs.iter().filter(|o| is_complete(o)).count();
    println!(
        "wrote {dir}/{MANIFEST} ({} inputs, {done} already done), {PROCESS_SCRIPT} ({tasks} tasks) and {SUMMARIZE_SCRIPT}",
        inputs.len(),
        dir = dir.display()
    );
    if !args.submit {
        println!(
            "submit with: jobid=$(sbatch --parsable {p}) && sbatch --dependency=afterok:$jobid {s}",
            p = dir.join(PROCESS_SCRIPT).display(),
            s = dir.join(SUMMARIZE_SCRIPT).display()
        );
        return Ok(Outcome::Success);
    }
    let array = sbatch(&[dir.join(PROCESS_SCRIPT).display().to_string()])?;
    let summary = sbatch(&[
        format!("--dependency=afterok:{array}"),
        dir.join(SUMMARIZE_SCRIPT).display().to_string(),
    ])?;
    println!("submitted job array {array} ({tasks} tasks) and summary job {summary} (after it)");
    println!(
        "follow with: squeue -j {array},{summary}; the table will be {}",
        dir.join(SUMMARY).display()
    );
    Ok(Outcome::Success)
}

/// Runs `sbatch --parsable ARGS` and returns the job id.
fn sbatch(args: &[String]) -> anyhow::Result<String> {
    let out = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::Error::new(UsageError(
                    "--submit: sbatch not found on the PATH; run this on the cluster's login node, or submit the scripts yourself".into(),
                ))
            } else {
                anyhow::anyhow!("cannot run sbatch: {e}")
            }
        })?;
    if !out.status.success() {
        anyhow::bail!(
            "sbatch {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // --parsable prints "id" or "id;cluster".
    let id = text.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!("sbatch printed no job id: {:?}", text.trim());
    }
    Ok(id)
}
