//! How many data records the reader takes: the count the header announces, or all
//! complete records when it says −1 (unknown), never more than the file holds. A file
//! shorter than its header says keeps its complete records, with a warning giving the
//! counts; bytes past the last record are ignored, also with a warning.

use super::header::Header;

/// Data records to read and what the user should know about the count.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Records {
    /// Complete data records read, after the header.
    pub count: usize,
    pub warnings: Vec<String>,
}

/// Decides the record count for a file of `file_len` bytes whose header is `header`.
pub(super) fn count(header: &Header, file_len: usize) -> Records {
    let data_len = file_len.saturating_sub(header.header_bytes);
    // A header with no record bytes is rejected earlier; max(1) keeps this total.
    let record_bytes = header.record_bytes.max(1);
    let complete = data_len / record_bytes;
    let leftover = data_len % record_bytes;
    let seconds = |n: u64| {
        if header.record_duration_s > 0.0 {
            format!(" ({} s)", n as f64 * header.record_duration_s)
        } else {
            String::new()
        }
    };
    let mut warnings = Vec::new();
    let count = match header.declared_records {
        Some(declared) if declared > complete as u64 => {
            let mut w = format!(
                "the file is shorter than its header says: {declared} data records \
                 expected{}, {complete} complete records found{}",
                seconds(declared),
                seconds(complete as u64)
            );
            if leftover > 0 {
                w.push_str(&format!(
                    "; the {leftover} bytes of the incomplete record after them were left out"
                ));
            }
            warnings.push(w);
            complete
        }
        Some(declared) => {
            // declared ≤ complete, so it fits a usize.
            let n = usize::try_from(declared).unwrap_or(complete);
            let extra = data_len - n * record_bytes;
            if extra > 0 {
                warnings.push(format!(
                    "{extra} bytes after the {n} data records the header announces were ignored"
                ));
            }
            n
        }
        None => {
            if leftover > 0 {
                warnings.push(format!(
                    "the header leaves the number of data records open (−1): {complete} \
                     complete records were read, and the {leftover} bytes of an incomplete \
                     record after them were left out"
                ));
            }
            complete
        }
    };
    Records { count, warnings }
}
