//! XDF chunk framing: after the magic `XDF:`, chunks of
//! `[length-size byte: 1, 4 or 8] [length: that many bytes, little-endian] [tag: u16]
//! [content]`, the length counting the tag and the content. Tags 2, 3, 4 and 6 start their
//! content with the stream id (u32).

use crate::formats::FormatError;

use super::FORMAT;

/// The chunk kinds of XDF 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    FileHeader,
    StreamHeader,
    Samples,
    ClockOffset,
    Boundary,
    StreamFooter,
    /// A tag XDF 1.0 does not define (readers skip it).
    Other(u16),
}

impl Tag {
    fn of(code: u16) -> Tag {
        match code {
            1 => Tag::FileHeader,
            2 => Tag::StreamHeader,
            3 => Tag::Samples,
            4 => Tag::ClockOffset,
            5 => Tag::Boundary,
            6 => Tag::StreamFooter,
            other => Tag::Other(other),
        }
    }
}

/// One chunk: where it starts in the file, its tag, and its content.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub offset: usize,
    pub tag: Tag,
    pub content: &'a [u8],
}

impl Chunk<'_> {
    /// Where the chunk is, for messages.
    pub fn place(&self) -> String {
        format!("chunk at byte {}", self.offset)
    }
}

/// The chunks of `bytes` in order, and — when the file ends inside a chunk — where that
/// chunk started (its complete predecessors are kept).
pub fn chunks<'a>(
    bytes: &'a [u8],
    file: &str,
) -> Result<(Vec<Chunk<'a>>, Option<usize>), FormatError> {
    if !bytes.starts_with(b"XDF:") {
        return Err(FormatError::new(file, FORMAT)
            .at("bytes 0–3")
            .problem("the file does not start with \"XDF:\""));
    }
    let mut out = Vec::new();
    let mut pos = 4;
    while pos < bytes.len() {
        let err = |problem: String| {
            FormatError::new(file, FORMAT)
                .at(format!("chunk at byte {pos}"))
                .problem(problem)
        };
        let Some((length, after)) = read_varlen(bytes, pos).map_err(err)? else {
            return Ok((out, Some(pos)));
        };
        if length < 2 {
            return Err(err(format!(
                "length {length} leaves no room for the 2-byte tag"
            )));
        }
        let end = u64::try_from(after)
            .ok()
            .and_then(|a| a.checked_add(length))
            .filter(|&e| e <= bytes.len() as u64);
        let Some(end) = end else {
            return Ok((out, Some(pos)));
        };
        let end = end as usize;
        let code = u16::from_le_bytes([bytes[after], bytes[after + 1]]);
        out.push(Chunk {
            offset: pos,
            tag: Tag::of(code),
            content: &bytes[after + 2..end],
        });
        pos = end;
    }
    Ok((out, None))
}

/// A variable-length unsigned integer at `pos`: a byte n ∈ {1, 4, 8}, then n bytes.
/// `Ok(None)` when the bytes end inside it; the value and the position after it otherwise.
pub fn read_varlen(bytes: &[u8], pos: usize) -> Result<Option<(u64, usize)>, String> {
    let Some(&n) = bytes.get(pos) else {
        return Ok(None);
    };
    let n = usize::from(n);
    if !matches!(n, 1 | 4 | 8) {
        return Err(format!(
            "a length field of {n} bytes (XDF allows 1, 4 or 8)"
        ));
    }
    let Some(field) = bytes.get(pos + 1..pos + 1 + n) else {
        return Ok(None);
    };
    let mut le = [0u8; 8];
    le[..n].copy_from_slice(field);
    Ok(Some((u64::from_le_bytes(le), pos + 1 + n)))
}

/// The stream id at the start of a chunk's content, and the rest.
pub fn stream_id<'a>(chunk: &Chunk<'a>, file: &str) -> Result<(u32, &'a [u8]), FormatError> {
    match chunk.content {
        [a, b, c, d, rest @ ..] => Ok((u32::from_le_bytes([*a, *b, *c, *d]), rest)),
        _ => Err(FormatError::new(file, FORMAT)
            .at(chunk.place())
            .problem("the chunk is too short to hold its stream id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varlen_integers_of_each_size() {
        assert_eq!(read_varlen(&[1, 200], 0), Ok(Some((200, 2))));
        assert_eq!(read_varlen(&[4, 1, 2, 0, 0], 0), Ok(Some((513, 5))));
        assert_eq!(read_varlen(&[4, 1, 2], 0), Ok(None));
        assert!(read_varlen(&[3, 0, 0, 0], 0).is_err());
    }

    #[test]
    fn a_file_cut_inside_a_chunk_keeps_the_chunks_before() {
        let mut f = b"XDF:".to_vec();
        f.extend([1, 4, 1, 0, b'<', b'a']); // tag 1, 2 bytes of content
        f.extend([1, 9, 3, 0]); // says 9 bytes, has 2
        let (chunks, cut) = chunks(&f, "t.xdf").unwrap();
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].tag, Tag::FileHeader);
        assert_eq!(chunks[0].content, b"<a");
        assert_eq!(cut, Some(10));
    }
}
