//! The parameter section: a 4-byte header (bytes 3 and 4: the section's length in blocks and
//! the processor type) followed by group and parameter records. Each record starts with the
//! name length (negative: "locked", a flag for editors that a reader ignores) and an id
//! (negative: a group record with that id; positive: a parameter of the group with that id),
//! the name, and a 16-bit pointer to the next record counted from the pointer itself
//! (0: this is the last record). A parameter record then holds its element type (−1
//! character, 1 byte, 2 16-bit integer, 4 float), its dimensions (0–7 bytes, first dimension
//! varying fastest, none for a scalar), the data and a description.
//!
//! Walking the records: a name that leaves the section, or a pointer into the record's own
//! pointer, is an error. A pointer past the end of the section ends the walk with a warning:
//! nothing after it could be reached anyway, and real files do this to their last record
//! (the c3d.org SGI sample files store its pointer byte-swapped), which readers such as
//! py-c3d read up to the end of the section. A parameter whose own contents are broken
//! (an unknown type, dimensions that need more bytes than its record holds) is kept as a
//! broken parameter and is an error only when the reader needs that parameter, so a damaged
//! vendor parameter does not hide a file's good analog data.

use super::header::BLOCK;
use super::numbers::Processor;
use super::{fault, Fault};

/// How a parameter stores its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Char,
    Byte,
    Int16,
    Float,
}

impl Kind {
    fn from_byte(byte: i8) -> Option<Kind> {
        match byte {
            -1 => Some(Kind::Char),
            1 => Some(Kind::Byte),
            2 => Some(Kind::Int16),
            4 => Some(Kind::Float),
            _ => None,
        }
    }

    fn size(self) -> usize {
        match self {
            Kind::Char | Kind::Byte => 1,
            Kind::Int16 => 2,
            Kind::Float => 4,
        }
    }
}

/// The decoded layout of a parameter's data.
#[derive(Debug, Clone)]
struct Content<'a> {
    kind: Kind,
    dims: Vec<usize>,
    data: &'a [u8],
}

/// One parameter, named `GROUP:NAME` (both upper case).
#[derive(Debug, Clone)]
pub(crate) struct Param<'a> {
    pub group: String,
    pub name: String,
    /// Byte offset of the parameter's record in the file.
    pub at: usize,
    content: Result<Content<'a>, String>,
    processor: Processor,
}

/// Every parameter of a file whose group is named, in file order.
#[derive(Debug, Clone)]
pub(crate) struct Parameters<'a> {
    params: Vec<Param<'a>>,
    /// What the walk worked around, one sentence each.
    pub warnings: Vec<String>,
}

/// A record as found while walking the section.
struct Record {
    id: i8,
    name: String,
    at: usize,
    /// First byte after the next-record pointer.
    body: usize,
    /// First byte after the record.
    end: usize,
}

impl<'a> Parameters<'a> {
    /// Reads the section that starts at byte `start` (its header already checked to lie in
    /// `bytes`).
    pub(crate) fn read(
        bytes: &'a [u8],
        start: usize,
        processor: Processor,
    ) -> Result<Parameters<'a>, Fault> {
        let mut warnings = Vec::new();
        let records = walk(bytes, start, processor, &mut warnings)?;
        let mut groups: Vec<(i8, &str)> = Vec::new();
        for r in records.iter().filter(|r| r.id < 0) {
            let id = r.id.saturating_neg();
            if !groups.iter().any(|(g, _)| *g == id) {
                groups.push((id, &r.name));
            }
        }
        let mut params: Vec<Param<'a>> = Vec::new();
        for r in records.iter().filter(|r| r.id > 0) {
            // A parameter of a group that has no group record has no usable name: skip it.
            let Some(&(_, group)) = groups.iter().find(|(g, _)| *g == r.id) else {
                continue;
            };
            // The first of two same-named parameters wins, as a search from the start would.
            if params.iter().any(|p| p.group == group && p.name == r.name) {
                continue;
            }
            params.push(Param {
                group: group.to_string(),
                name: r.name.clone(),
                at: r.at,
                content: content(bytes.get(r.body..r.end).unwrap_or(&[])),
                processor,
            });
        }
        Ok(Parameters { params, warnings })
    }

    /// The parameter `GROUP:NAME` (names as upper case).
    pub(crate) fn get(&self, group: &str, name: &str) -> Option<&Param<'a>> {
        self.params
            .iter()
            .find(|p| p.group == group && p.name == name)
    }

    /// `NAME`, then its continuations `NAME2`, `NAME3`, … while they exist (the C3D way of
    /// holding more than 255 entries, e.g. ANALOG:LABELS2).
    pub(crate) fn series(&self, group: &str, name: &str) -> Vec<&Param<'a>> {
        let mut out: Vec<&Param<'a>> = self.get(group, name).into_iter().collect();
        if out.is_empty() {
            return out;
        }
        for k in 2.. {
            match self.get(group, &format!("{name}{k}")) {
                Some(p) => out.push(p),
                None => break,
            }
        }
        out
    }
}

/// The group and parameter records of the section, checked to stay inside it.
fn walk(
    bytes: &[u8],
    start: usize,
    processor: Processor,
    warnings: &mut Vec<String>,
) -> Result<Vec<Record>, Fault> {
    let blocks = bytes.get(start + 2).copied().unwrap_or(0) as usize;
    if blocks == 0 {
        return Err(fault(
            format!("parameter section header, byte {}", start + 2),
            "gives a parameter section of 0 blocks",
        ));
    }
    // A section that claims more blocks than the file holds is read up to the end of the
    // file: a name cut off there is an error, a pointer past it ends the walk (below).
    let end = (start + blocks * BLOCK).min(bytes.len());
    let mut records = Vec::new();
    let mut pos = start + 4;
    while pos + 2 <= end {
        let name_len = (bytes[pos] as i8).unsigned_abs() as usize;
        let id = bytes[pos + 1] as i8;
        if name_len == 0 || id == 0 {
            break; // zero padding after the last record
        }
        let name_end = pos + 2 + name_len;
        let where_ = || format!("parameter record at byte {pos}");
        if name_end + 2 > end {
            return Err(fault(
                where_(),
                format!("the record runs past the end of the parameter section (byte {end})"),
            ));
        }
        let raw_name = &bytes[pos + 2..name_end];
        if !raw_name.iter().all(u8::is_ascii_graphic) {
            return Err(fault(
                where_(),
                "the group or parameter name is not 7-bit ASCII text, as C3D requires",
            ));
        }
        let name = String::from_utf8_lossy(raw_name).to_ascii_uppercase();
        let next = processor.u16_at(bytes, name_end).unwrap_or(0) as usize;
        if next == 1 {
            return Err(fault(
                format!("parameter record \"{name}\" at byte {pos}"),
                "its pointer to the next record points into the pointer itself",
            ));
        }
        let past_end = name_end + next > end;
        if past_end {
            warnings.push(format!(
                "parameter record \"{name}\" at byte {pos} points to byte {}, past the end of \
                 the parameter section (byte {end}); read it as the last record",
                name_end + next
            ));
        }
        let last = next == 0 || past_end;
        let record_end = if last { end } else { name_end + next };
        records.push(Record {
            id,
            name,
            at: pos,
            body: name_end + 2,
            end: record_end,
        });
        if last {
            break;
        }
        pos = record_end;
    }
    Ok(records)
}

/// Type, dimensions and data of a parameter record's body; the problem, in words, when
/// they do not fit.
fn content(body: &[u8]) -> Result<Content<'_>, String> {
    let kind_byte = *body
        .first()
        .ok_or("the record ends before its element type")? as i8;
    let kind = Kind::from_byte(kind_byte).ok_or_else(|| {
        format!(
            "element type {kind_byte} is none of −1 (characters), 1 (bytes), 2 (16-bit \
             integers) or 4 (floats)"
        )
    })?;
    let ndims = *body
        .get(1)
        .ok_or("the record ends before its dimension count")? as usize;
    let dims: Vec<usize> = body
        .get(2..2 + ndims)
        .ok_or_else(|| format!("its {ndims} dimensions run past the end of the record"))?
        .iter()
        .map(|&d| d as usize)
        .collect();
    // Each dimension is at most 255 and there are at most 255: the product can only
    // overflow on a nonsense record, which the byte check below rejects anyway.
    let count = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
    let need = count.and_then(|c| c.checked_mul(kind.size()));
    let data_at = 2 + ndims;
    let available = body.len() - data_at;
    match need {
        Some(need) if need <= available => Ok(Content {
            kind,
            dims,
            data: &body[data_at..data_at + need],
        }),
        _ => Err(format!(
            "its dimensions ({}) need {} bytes of data, but the record holds {available}",
            dims.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" × "),
            need.map_or_else(|| "more than 2⁶⁴".to_string(), |n| n.to_string()),
        )),
    }
}

impl Param<'_> {
    /// "parameter ANALOG:SCALE (record at byte 1234)", for error messages.
    pub(crate) fn location(&self) -> String {
        format!(
            "parameter {}:{} (record at byte {})",
            self.group, self.name, self.at
        )
    }

    fn content(&self) -> Result<&Content<'_>, Fault> {
        self.content
            .as_ref()
            .map_err(|problem| fault(self.location(), problem.clone()))
    }

    /// The elements as numbers; 16-bit integers read as signed unless `unsigned`.
    fn read_numbers(&self, unsigned: bool) -> Result<Vec<f64>, Fault> {
        let c = self.content()?;
        let p = self.processor;
        let values = match c.kind {
            Kind::Char => {
                return Err(fault(
                    self.location(),
                    "holds text where numbers are expected",
                ))
            }
            Kind::Byte => c.data.iter().map(|&b| f64::from(b)).collect(),
            Kind::Int16 => (0..c.data.len() / 2)
                .map(|i| {
                    if unsigned {
                        f64::from(p.u16_at(c.data, 2 * i).unwrap_or(0))
                    } else {
                        f64::from(p.i16_at(c.data, 2 * i).unwrap_or(0))
                    }
                })
                .collect(),
            Kind::Float => (0..c.data.len() / 4)
                .map(|i| f64::from(p.f32_at(c.data, 4 * i).unwrap_or(f32::NAN)))
                .collect(),
        };
        Ok(values)
    }

    /// The elements as numbers (16-bit integers signed).
    pub(crate) fn numbers(&self) -> Result<Vec<f64>, Fault> {
        self.read_numbers(false)
    }

    /// The elements as numbers, 16-bit integers read as unsigned (counts, frame numbers,
    /// offsets of unsigned analog data).
    pub(crate) fn unsigned_numbers(&self) -> Result<Vec<f64>, Fault> {
        self.read_numbers(true)
    }

    /// The first element as a number.
    pub(crate) fn number(&self) -> Result<f64, Fault> {
        self.numbers()?
            .first()
            .copied()
            .ok_or_else(|| fault(self.location(), "is empty where a number is expected"))
    }

    /// The first element as a count: a whole number ≥ 0 (16-bit integers unsigned, as the
    /// C3D user guide reads counts).
    pub(crate) fn count(&self) -> Result<u64, Fault> {
        let value = self
            .unsigned_numbers()?
            .first()
            .copied()
            .ok_or_else(|| fault(self.location(), "is empty where a count is expected"))?;
        if !(value.is_finite() && value >= 0.0 && value <= u32::MAX as f64 && value.fract() == 0.0)
        {
            return Err(fault(
                self.location(),
                format!("is {value}, not a whole number of at least 0"),
            ));
        }
        Ok(value as u64)
    }

    /// The elements as strings: the first dimension is the length of each string, the
    /// others count them. Trimmed of padding (spaces, NULs).
    pub(crate) fn strings(&self) -> Result<Vec<String>, Fault> {
        let c = self.content()?;
        if c.kind != Kind::Char {
            return Err(fault(
                self.location(),
                "holds numbers where text is expected",
            ));
        }
        let width = match c.dims.first() {
            None => 1,
            Some(&w) => w,
        };
        if width == 0 {
            return Ok(Vec::new());
        }
        Ok(c.data.chunks(width).map(text).collect())
    }
}

/// Text from a C3D character field: up to the first NUL, UTF-8 when it is valid UTF-8 and
/// Latin-1 otherwise, trimmed of spaces.
pub(crate) fn text(bytes: &[u8]) -> String {
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim().to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| char::from(b))
            .collect::<String>()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parameter section at byte 0 (processor Intel) from raw records.
    fn section(records: &[u8]) -> Vec<u8> {
        let mut s = vec![0, 0, 1, 84];
        s.extend_from_slice(records);
        s.resize(BLOCK, 0);
        s
    }

    fn group(id: i8, name: &str, last: bool) -> Vec<u8> {
        let mut r = vec![name.len() as u8, (-id) as u8];
        r.extend_from_slice(name.as_bytes());
        r.extend_from_slice(&(if last { 0u16 } else { 3 }).to_le_bytes());
        r.push(0);
        r
    }

    fn param(id: i8, name: &str, kind: i8, dims: &[u8], data: &[u8]) -> Vec<u8> {
        let mut r = vec![(-(name.len() as i8)) as u8, id as u8]; // locked: negative length
        r.extend_from_slice(name.as_bytes());
        let next = 2 + 2 + dims.len() + data.len() + 1;
        r.extend_from_slice(&(next as u16).to_le_bytes());
        r.push(kind as u8);
        r.push(dims.len() as u8);
        r.extend_from_slice(dims);
        r.extend_from_slice(data);
        r.push(0);
        r
    }

    #[test]
    fn reads_groups_params_in_any_order() {
        let mut recs = param(1, "used", 2, &[], &3i16.to_le_bytes());
        recs.extend(param(1, "LABELS", -1, &[2, 2], b"A B "));
        recs.extend(group(1, "Analog", true));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        assert_eq!(p.get("ANALOG", "USED").unwrap().count().unwrap(), 3);
        assert_eq!(
            p.get("ANALOG", "LABELS").unwrap().strings().unwrap(),
            ["A", "B"]
        );
        assert!(p.get("ANALOG", "LABELS").unwrap().numbers().is_err());
        assert!(p.get("ANALOG", "USED").unwrap().strings().is_err());
    }

    #[test]
    fn last_record_pointer_zero() {
        let mut recs = group(1, "POINT", false);
        let mut last = param(1, "RATE", 4, &[], &50f32.to_le_bytes());
        let n = 2 + "RATE".len();
        last[n..n + 2].copy_from_slice(&0u16.to_le_bytes());
        recs.extend(last);
        // Garbage after the last record is never read.
        recs.extend_from_slice(&[5, 1, 0xFF, 0xFF]);
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        assert_eq!(p.get("POINT", "RATE").unwrap().number().unwrap(), 50.0);
    }

    #[test]
    fn pointer_past_the_section_ends_the_walk() {
        let mut recs = group(1, "POINT", false);
        let mut bad = param(1, "RATE", 4, &[], &50f32.to_le_bytes());
        bad[6..8].copy_from_slice(&4000u16.to_le_bytes());
        recs.extend(bad);
        recs.extend(param(1, "USED", 2, &[], &1i16.to_le_bytes()));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        assert_eq!(p.get("POINT", "RATE").unwrap().number().unwrap(), 50.0);
        assert!(p.get("POINT", "USED").is_none());
        assert!(p.warnings[0].contains("\"RATE\""), "{:?}", p.warnings);
        assert!(p.warnings[0].contains("past the end"), "{:?}", p.warnings);
    }

    #[test]
    fn pointer_into_itself_and_name_past_the_end_are_errors() {
        let mut recs = group(1, "POINT", false);
        let mut bad = param(1, "RATE", 4, &[], &50f32.to_le_bytes());
        bad[6..8].copy_from_slice(&1u16.to_le_bytes());
        recs.extend(bad);
        let e = Parameters::read(&section(&recs), 0, Processor::Intel).unwrap_err();
        assert!(e.at.contains("\"RATE\""), "{e:?}");
        // A name that runs past the section's last byte.
        let mut s = section(&group(1, "POINT", false));
        let at = BLOCK - 3;
        // The group's pointer (at byte 4 + 2 + 5) leads to a record near the section's end.
        s[11..13].copy_from_slice(&((at - 11) as u16).to_le_bytes());
        s[at] = 20;
        s[at + 1] = 1;
        let e = Parameters::read(&s, 0, Processor::Intel).unwrap_err();
        assert_eq!(e.at, format!("parameter record at byte {at}"));
    }

    #[test]
    fn lying_dimensions_are_an_error_when_used() {
        let mut recs = group(1, "ANALOG", false);
        // 200 × 4 floats in a 8-byte record.
        recs.extend(param(1, "SCALE", 4, &[200, 4], &[0; 8]));
        recs.extend(param(1, "RATE", 4, &[], &1000f32.to_le_bytes()));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        let e = p.get("ANALOG", "SCALE").unwrap().numbers().unwrap_err();
        assert!(
            e.at.starts_with("parameter ANALOG:SCALE (record at byte"),
            "{e:?}"
        );
        assert!(e.problem.contains("need 3200 bytes"), "{e:?}");
        // The parameter after it is still read.
        assert_eq!(p.get("ANALOG", "RATE").unwrap().number().unwrap(), 1000.0);
    }

    #[test]
    fn unknown_type_and_non_ascii_names() {
        let mut recs = group(1, "ANALOG", false);
        recs.extend(param(1, "USED", 3, &[], &[1, 0, 0]));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        let e = p.get("ANALOG", "USED").unwrap().count().unwrap_err();
        assert!(e.problem.contains("element type 3"), "{e:?}");

        let mut recs = group(1, "ANALOG", false);
        recs.extend(param(1, "US\u{e9}D", 2, &[], &[1, 0]));
        let e = Parameters::read(&section(&recs), 0, Processor::Intel).unwrap_err();
        assert!(e.problem.contains("ASCII"), "{e:?}");
    }

    #[test]
    fn continuation_series_and_duplicates() {
        let mut recs = group(1, "ANALOG", false);
        recs.extend(param(1, "LABELS", -1, &[1, 1], b"A"));
        recs.extend(param(1, "LABELS2", -1, &[1, 1], b"B"));
        recs.extend(param(1, "LABELS3", -1, &[1, 1], b"C"));
        recs.extend(param(1, "LABELS", -1, &[1, 1], b"Z"));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        let all: Vec<String> = p
            .series("ANALOG", "LABELS")
            .iter()
            .flat_map(|p| p.strings().unwrap())
            .collect();
        assert_eq!(all, ["A", "B", "C"]);
    }

    #[test]
    fn counts_must_be_whole() {
        let mut recs = group(1, "POINT", false);
        recs.extend(param(1, "FRAMES", 4, &[], &12.5f32.to_le_bytes()));
        recs.extend(param(1, "USED", 2, &[], &(-1i16).to_le_bytes()));
        let s = section(&recs);
        let p = Parameters::read(&s, 0, Processor::Intel).unwrap();
        assert!(p.get("POINT", "FRAMES").unwrap().count().is_err());
        // A negative 16-bit count is read as unsigned.
        assert_eq!(p.get("POINT", "USED").unwrap().count().unwrap(), 65535);
    }

    #[test]
    fn text_trims_padding_and_reads_latin1() {
        assert_eq!(text(b"  R.VLO   "), "R.VLO");
        assert_eq!(text(b"LHS\0\0xx"), "LHS");
        assert_eq!(text(&[0x4D, 0xFC, 0x6C]), "M\u{fc}l");
        assert_eq!(text("µV".as_bytes()), "µV");
    }
}
