//! `--inputs-from FILE`: the inputs of a batch, one path per line (a manifest, or `-` for
//! standard input, so `find … | myobalance process --inputs-from -` works). Blank lines
//! and lines starting with `#` are skipped; spaces at either end of a line are kept out
//! of the path. A relative path is relative to the working directory, as on the
//! command line.

use std::io::BufRead;
use std::path::PathBuf;

/// Reads the list from `reader`; `origin` names it in errors (the file, or "standard
/// input"). A line that is not UTF-8 is an error naming its line.
pub fn read_list(reader: impl BufRead, origin: &str) -> Result<Vec<PathBuf>, String> {
    let mut inputs = Vec::new();
    for (n, line) in reader.split(b'\n').enumerate() {
        let bytes = line.map_err(|e| format!("{origin}: cannot read: {e}"))?;
        let line = std::str::from_utf8(&bytes)
            .map_err(|_| format!("{origin}: line {}: not UTF-8 text", n + 1))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        inputs.push(PathBuf::from(line));
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_path_per_line_without_comments() {
        let text = b"# study A\n a/s1.h5 \n\r\nb/s 2.csv\r\n#x\nc.edf";
        let got = read_list(&text[..], "list.txt").unwrap();
        let want: Vec<PathBuf> = ["a/s1.h5", "b/s 2.csv", "c.edf"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(got, want);
        let bad = read_list(&b"a.h5\n\xff\xfe\n"[..], "list.txt").unwrap_err();
        assert_eq!(bad, "list.txt: line 2: not UTF-8 text");
    }
}
