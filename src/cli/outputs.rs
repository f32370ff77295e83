//! Where `process` writes each input's result: `--out FILE.h5` for a single input, or
//! `DIR/<input stem>.h5` with `--out-dir DIR`. Every refusal (an output that would replace
//! an input, two inputs with one output name) is decided here, before anything runs.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::UsageError;

/// Where the outputs go, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `--out FILE.h5`: one input only.
    File(PathBuf),
    /// `--out-dir DIR`: `DIR/<input stem>.h5` per input.
    Dir(PathBuf),
}

/// The output path of each input, in input order, or a usage error naming the flag and
/// the files involved.
pub fn output_paths(inputs: &[PathBuf], to: &Destination) -> Result<Vec<PathBuf>, UsageError> {
    let outputs = match to {
        Destination::File(out) => {
            if inputs.len() != 1 {
                return Err(UsageError(format!(
                    "--out {} takes a single input, but {} were given; use --out-dir DIR for several",
                    out.display(),
                    inputs.len()
                )));
            }
            if !is_h5_name(out) {
                return Err(UsageError(format!(
                    "--out {}: the name must end in .h5 (the output is HDF5)",
                    out.display()
                )));
            }
            vec![out.clone()]
        }
        Destination::Dir(dir) => {
            if dir.exists() && !dir.is_dir() {
                return Err(UsageError(format!(
                    "--out-dir {}: exists and is not a directory",
                    dir.display()
                )));
            }
            let mut outputs = Vec::with_capacity(inputs.len());
            for input in inputs {
                let stem = input.file_stem().ok_or_else(|| {
                    UsageError(format!("input {}: has no file name", input.display()))
                })?;
                let mut name = stem.to_os_string();
                name.push(".h5");
                outputs.push(dir.join(name));
            }
            outputs
        }
    };
    refuse_clashes(inputs, &outputs, to)?;
    Ok(outputs)
}

fn is_h5_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("h5") || e.eq_ignore_ascii_case("hdf5"))
}

/// The path with its directory resolved (symbolic links, `..`), so that two spellings of
/// one file compare equal; the path itself when its directory does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

fn refuse_clashes(
    inputs: &[PathBuf],
    outputs: &[PathBuf],
    to: &Destination,
) -> Result<(), UsageError> {
    let flag = match to {
        Destination::File(_) => "--out",
        Destination::Dir(_) => "--out-dir",
    };
    let resolved_inputs: Vec<PathBuf> = inputs.iter().map(|p| resolved(p)).collect();
    let mut first_with: HashMap<PathBuf, usize> = HashMap::new();
    for (i, output) in outputs.iter().enumerate() {
        let key = resolved(output);
        if let Some(j) = resolved_inputs.iter().position(|p| *p == key) {
            return Err(UsageError(format!(
                "{flag}: the output {} would overwrite the input {}",
                output.display(),
                inputs[j].display()
            )));
        }
        if let Some(&j) = first_with.get(&key) {
            return Err(UsageError(format!(
                "{flag}: inputs {} and {} would both be written to {}; give them different \
                 names or process them into different directories",
                inputs[j].display(),
                inputs[i].display(),
                output.display()
            )));
        }
        first_with.insert(key, i);
    }
    Ok(())
}

/// Writes `text` to `destination` through a temporary file beside it.
pub fn write_atomically(destination: &Path, text: &str) -> anyhow::Result<()> {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.html".into());
    let temporary = destination.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, destination));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("cannot write {}", destination.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn out_dir_names_outputs_after_input_stems() {
        let got = output_paths(
            &paths(&["a/s1.csv", "b/s2.h5"]),
            &Destination::Dir("out".into()),
        )
        .unwrap();
        assert_eq!(got, paths(&["out/s1.h5", "out/s2.h5"]));
    }

    #[test]
    fn refusals_name_the_flag_and_the_files() {
        let dir = Destination::Dir("out".into());
        let e = output_paths(&paths(&["a/s.csv", "b/s.h5"]), &dir).unwrap_err();
        assert!(e.0.contains("--out-dir") && e.0.contains("a/s.csv") && e.0.contains("b/s.h5"));
        let e = output_paths(&paths(&["out/s.h5"]), &dir).unwrap_err();
        assert!(
            e.0.contains("would overwrite the input out/s.h5"),
            "{}",
            e.0
        );
        let one = Destination::File("x.h5".into());
        let e = output_paths(&paths(&["a.h5", "b.h5"]), &one).unwrap_err();
        assert!(e.0.contains("--out x.h5 takes a single input"), "{}", e.0);
        let e = output_paths(&paths(&["./x.h5"]), &one).unwrap_err();
        assert!(e.0.contains("overwrite"), "{}", e.0);
        let e = output_paths(&paths(&["a.h5"]), &Destination::File("x.csv".into())).unwrap_err();
        assert!(e.0.contains(".h5"), "{}", e.0);
    }
}
