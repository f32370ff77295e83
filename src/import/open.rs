//! Finding a file's format from its content (DESIGN.md: magic bytes, not the extension
//! alone) and reading it: the edge where import meets the disk.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::{to_recording, Import, ImportError, Settings};
use crate::formats::Imported;

/// Bytes read from the start of a file to recognise it.
const HEAD_BYTES: usize = 4096;

const HDF5_SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// The formats myobalance reads, as users name them, for error messages.
pub const FORMATS: &str = "myobalance HDF5, EDF/EDF+, BDF/BDF+, C3D, OpenBCI GUI text, \
                           OpenSignals text and HDF5, WFDB (.hea + signal files), XDF and CSV";

/// What a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// An HDF5 file: a myobalance file or an OpenSignals one (`store` tells which).
    Hdf5,
    Edf,
    Bdf,
    C3d,
    OpenBci,
    OpenSignalsText,
    /// A WFDB record: the header file to read.
    Wfdb(PathBuf),
    /// Lab Streaming Layer's LabRecorder files.
    Xdf,
    Csv,
}

/// The format of the file at `path`, from its first bytes (and, for WFDB, the header file
/// beside it; for CSV, the extension or a first line of comma-separated names).
pub fn detect(path: &Path) -> Result<Detected, ImportError> {
    let shown = path.display().to_string();
    let head = head(path)?;
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    if head.starts_with(&HDF5_SIGNATURE) || crate::store::reader::looks_like_hdf5(path)? {
        return Ok(Detected::Hdf5);
    }
    if head.starts_with(b"0       ") {
        return Ok(Detected::Edf);
    }
    if head.first() == Some(&0xFF) && head.get(1..8) == Some(b"BIOSEMI".as_slice()) {
        return Ok(Detected::Bdf);
    }
    if text.starts_with(b"%OpenBCI Raw") {
        return Ok(Detected::OpenBci);
    }
    if text.starts_with(b"# OpenSignals Text File Format") {
        return Ok(Detected::OpenSignalsText);
    }
    if head.starts_with(b"XDF:") {
        return Ok(Detected::Xdf);
    }
    if crate::formats::c3d::is_c3d(&head) {
        return Ok(Detected::C3d);
    }
    if let Some(header) = wfdb_header(path) {
        return Ok(Detected::Wfdb(header));
    }
    let csv_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv_name || looks_like_csv(text) {
        return Ok(Detected::Csv);
    }
    Err(ImportError::Unrecognised {
        path: shown,
        problem: format!("not a format myobalance reads (it reads {FORMATS})"),
    })
}

fn head(path: &Path) -> Result<Vec<u8>, ImportError> {
    let io = |error| ImportError::Read {
        path: path.display().to_string(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    file.take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    Ok(head)
}

/// The WFDB header of `path`: itself when it ends in `.hea`, else `<path>.hea` (a record
/// named without extension) or the `.hea` beside a signal file of the same stem.
fn wfdb_header(path: &Path) -> Option<PathBuf> {
    let ext = path.extension().and_then(|e| e.to_str());
    if ext.is_some_and(|e| e.eq_ignore_ascii_case("hea")) {
        return Some(path.to_path_buf());
    }
    let mut beside = path.as_os_str().to_owned();
    beside.push(".hea");
    let beside = PathBuf::from(beside);
    if beside.is_file() {
        return Some(beside);
    }
    let same_stem = path.with_extension("hea");
    (ext.is_some() && same_stem.is_file()).then_some(same_stem)
}

/// A first line of at least two comma-separated fields, all printable text.
fn looks_like_csv(text: &[u8]) -> bool {
    let line = text.split(|&b| b == b'\n').next().unwrap_or(&[]);
    std::str::from_utf8(line).is_ok_and(|l| {
        l.contains(',') && !l.chars().any(|c| c.is_control() && c != '\r' && c != '\t')
    })
}

/// Reads a file in a foreign format (or a CSV file without a montage) as a recording.
/// myobalance HDF5 files are read by `store`; CSV files with a montage by its CSV reader.
pub fn read(path: &Path, detected: &Detected, settings: &Settings) -> Result<Import, ImportError> {
    if *detected == Detected::Csv {
        return match settings.montage {
            None => super::csv::read_guessing(path, settings.rate_hz),
            Some(_) => Err(ImportError::Unrecognised {
                path: path.display().to_string(),
                problem: "a CSV file with a montage is read by the CSV reader".into(),
            }),
        };
    }
    let imported = parse_file(path, detected, settings.stream)?;
    to_recording(imported, &path.display().to_string(), settings)
}

/// The file at `path` parsed as the `detected` foreign format: its signals at their own
/// rates and in their own units, as the file holds them (of an XDF file, `stream` or the
/// one DESIGN picks). CSV files are not parsed here.
pub fn parse_file(
    path: &Path,
    detected: &Detected,
    stream: Option<&str>,
) -> Result<Imported, ImportError> {
    let shown = path.display().to_string();
    let bytes = || {
        std::fs::read(path).map_err(|error| ImportError::Read {
            path: shown.clone(),
            error,
        })
    };
    Ok(match detected {
        Detected::Edf | Detected::Bdf => crate::formats::edf::parse(&bytes()?, &shown)?,
        Detected::C3d => crate::formats::c3d::parse(&bytes()?, &shown)?,
        Detected::OpenBci => crate::formats::openbci::parse(&bytes()?, &shown)?,
        Detected::OpenSignalsText => crate::formats::opensignals::parse(&bytes()?, &shown)?,
        Detected::Wfdb(header) => read_wfdb(header)?,
        Detected::Xdf => crate::formats::xdf::parse(&bytes()?, &shown, stream)?,
        Detected::Hdf5 => crate::store::opensignals::read(path)?,
        Detected::Csv => {
            return Err(ImportError::Unrecognised {
                path: shown,
                problem: "a CSV file is read by the CSV reader".into(),
            })
        }
    })
}

/// A WFDB record: the header, then the signal files it names (beside it).
fn read_wfdb(header: &Path) -> Result<Imported, ImportError> {
    let shown = header.display().to_string();
    let io = |error| ImportError::Read {
        path: shown.clone(),
        error,
    };
    let bytes = std::fs::read(header).map_err(io)?;
    let text = String::from_utf8_lossy(&bytes);
    let parsed = crate::formats::wfdb::parse_header(&text, &shown)?;
    let folder = header.parent().unwrap_or(Path::new("."));
    let mut files = Vec::new();
    for name in parsed.signal_files() {
        let path = folder.join(&name);
        let data = std::fs::read(&path).map_err(|error| ImportError::Read {
            path: path.display().to_string(),
            error,
        })?;
        files.push((name, data));
    }
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    Ok(crate::formats::wfdb::parse(&parsed, &borrowed, &shown)?)
}
