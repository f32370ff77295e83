//! A stream's header: the XML `<info>` LSL writes for a stream (name, type, channel count,
//! nominal rate, value format, and per channel its label, unit and type under
//! `desc/channels/channel`).

use roxmltree::{Document, Node};

use crate::calendar::{civil_from_days, days_from_civil};

/// How a stream's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Double64,
    String,
}

impl ValueFormat {
    fn parse(text: &str) -> Option<ValueFormat> {
        Some(match text {
            "int8" => ValueFormat::Int8,
            "int16" => ValueFormat::Int16,
            "int32" => ValueFormat::Int32,
            "int64" => ValueFormat::Int64,
            "float32" => ValueFormat::Float32,
            "double64" => ValueFormat::Double64,
            "string" => ValueFormat::String,
            _ => return None,
        })
    }

    /// Bytes per value; `None` for strings (each has its own length).
    pub fn width(self) -> Option<usize> {
        match self {
            ValueFormat::Int8 => Some(1),
            ValueFormat::Int16 => Some(2),
            ValueFormat::Int32 | ValueFormat::Float32 => Some(4),
            ValueFormat::Int64 | ValueFormat::Double64 => Some(8),
            ValueFormat::String => None,
        }
    }
}

/// One channel as the header describes it (empty strings where it does not).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChannelInfo {
    pub label: String,
    pub unit: String,
    pub kind: String,
}

/// What a stream header says.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamHeader {
    pub name: String,
    /// The stream's type ("EMG", "Markers", …).
    pub kind: String,
    pub channel_count: usize,
    /// Samples per second; 0 for an irregular stream.
    pub nominal_srate: f64,
    pub format: ValueFormat,
    pub source_id: String,
    pub hostname: String,
    /// One entry per channel: from `desc/channels/channel` when the header has them.
    pub channels: Vec<ChannelInfo>,
}

/// Most channels a stream may declare (a larger count is a damaged header, not a device).
const MAX_CHANNELS: usize = 1 << 16;

/// Reads a stream header's XML; the error says what is missing or wrong.
pub fn parse_header(xml: &str) -> Result<StreamHeader, String> {
    let doc = Document::parse(xml).map_err(|e| format!("not well-formed XML ({e})"))?;
    let info = doc.root_element();
    let field = |name: &str| child_text(info, name);
    let channel_count = field("channel_count")
        .ok_or("no <channel_count>")?
        .parse::<usize>()
        .ok()
        .filter(|&n| (1..=MAX_CHANNELS).contains(&n))
        .ok_or_else(|| {
            format!(
                "<channel_count> is {:?}, not a count from 1 to {MAX_CHANNELS}",
                field("channel_count").unwrap_or_default()
            )
        })?;
    let srate_text = field("nominal_srate").ok_or("no <nominal_srate>")?;
    let nominal_srate = srate_text
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 0.0)
        .ok_or_else(|| format!("<nominal_srate> is {srate_text:?}, not a rate in Hz"))?;
    let format_text = field("channel_format").ok_or("no <channel_format>")?;
    let format = ValueFormat::parse(&format_text).ok_or_else(|| {
        format!(
            "<channel_format> is {format_text:?} (XDF has int8, int16, int32, int64, float32, \
             double64 and string)"
        )
    })?;
    let mut channels: Vec<ChannelInfo> = child(info, "desc")
        .and_then(|d| child(d, "channels"))
        .map(|list| {
            list.children()
                .filter(|n| n.has_tag_name("channel"))
                .map(|c| ChannelInfo {
                    label: child_text(c, "label")
                        .or_else(|| child_text(c, "name"))
                        .unwrap_or_default(),
                    unit: child_text(c, "unit").unwrap_or_default(),
                    kind: child_text(c, "type").unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    channels.resize(channel_count, ChannelInfo::default());
    Ok(StreamHeader {
        name: field("name").unwrap_or_default(),
        kind: field("type").unwrap_or_default(),
        channel_count,
        nominal_srate,
        format,
        source_id: field("source_id").unwrap_or_default(),
        hostname: field("hostname").unwrap_or_default(),
        channels,
    })
}

fn child<'a, 'b>(node: Node<'a, 'b>, name: &str) -> Option<Node<'a, 'b>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The trimmed text of `node`'s first child element called `name`.
fn child_text(node: Node, name: &str) -> Option<String> {
    child(node, name).map(|n| n.text().unwrap_or_default().trim().to_string())
}

/// The `<datetime>` of the file header, if it has one: in UTC (with `Z`) when it carries
/// a zone (LabRecorder writes `2026-11-30T09:15:00+0100`), as written when it does not.
pub fn file_datetime(xml: &str) -> Option<String> {
    let doc = Document::parse(xml).ok()?;
    let text = child_text(doc.root_element(), "datetime").filter(|t| !t.is_empty())?;
    Some(in_utc(&text).unwrap_or(text))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]` followed by `Z` or `±HH[:]MM`, as UTC with `Z`; `None`
/// for anything else.
fn in_utc(text: &str) -> Option<String> {
    let (stamp, zone) = match text.strip_suffix('Z') {
        Some(stamp) => (stamp, 0i64),
        None => {
            // `±HHMM` or `±HH:MM` at the end.
            let b = text.as_bytes();
            let zone_len = [5, 6].into_iter().find(|&n| {
                b.len() > n
                    && matches!(b[b.len() - n], b'+' | b'-')
                    && b[b.len() - n + 1..]
                        .iter()
                        .filter(|c| c.is_ascii_digit())
                        .count()
                        == 4
                    && (n == 5 || b[b.len() - 3] == b':')
            })?;
            let (stamp, zone) = text.split_at(text.len() - zone_len);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            let minutes =
                digits[..2].parse::<i64>().ok()? * 60 + digits[2..].parse::<i64>().ok()?;
            (stamp, sign * minutes)
        }
    };
    let (date, time) = stamp.split_once('T')?;
    let number = |s: &str| s.parse::<i64>().ok();
    let mut d = date.split('-').map(number);
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (clock, fraction) = match time.split_once('.') {
        Some((c, f)) if f.bytes().all(|b| b.is_ascii_digit()) => (c, Some(f)),
        Some(_) => return None,
        None => (time, None),
    };
    let mut t = clock.split(':').map(number);
    let (h, min, s) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s > 60 {
        return None;
    }
    let minutes = days_from_civil(y, m, day) * 1440 + h * 60 + min - zone;
    let (days, rest) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    let (y, m, day) = civil_from_days(days);
    let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
    Some(format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{s:02}{fraction}Z",
        rest / 60,
        rest % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_labstreaminglayer_header() {
        let xml = "<?xml version=\"1.0\"?><info><name>OpenBCI_EMG</name><type>EMG</type>\
            <channel_count>2</channel_count><nominal_srate>250</nominal_srate>\
            <channel_format>float32</channel_format><source_id>obci</source_id>\
            <desc><channels><channel><label>biceps L</label><unit>microvolts</unit>\
            <type>EMG</type></channel></channels></desc></info>";
        let h = parse_header(xml).unwrap();
        assert_eq!((h.name.as_str(), h.kind.as_str()), ("OpenBCI_EMG", "EMG"));
        assert_eq!((h.channel_count, h.nominal_srate), (2, 250.0));
        assert_eq!(h.format, ValueFormat::Float32);
        assert_eq!(h.channels[0].label, "biceps L");
        assert_eq!(h.channels[1], ChannelInfo::default());
    }

    #[test]
    fn datetimes_with_a_zone_become_utc() {
        assert_eq!(
            in_utc("2026-11-30T09:15:00+0100").unwrap(),
            "2026-11-30T08:15:00Z"
        );
        assert_eq!(
            in_utc("2024-01-01T00:30:00.25+01:00").unwrap(),
            "2023-12-31T23:30:00.25Z"
        );
        assert_eq!(
            in_utc("2024-02-28T23:00:00-0200").unwrap(),
            "2024-02-29T01:00:00Z"
        );
        assert_eq!(
            in_utc("2024-03-05T14:03:11Z").unwrap(),
            "2024-03-05T14:03:11Z"
        );
        assert_eq!(in_utc("2024-03-05T14:03:11"), None);
        assert_eq!(in_utc("yesterday"), None);
        assert_eq!(in_utc("2026-11-30T09:15:00+\u{fffd}100"), None);
    }

    #[test]
    fn what_is_wrong_is_named() {
        assert!(parse_header("not xml")
            .unwrap_err()
            .contains("not well-formed XML"));
        let no_rate = "<info><channel_count>1</channel_count><channel_format>float32\
                       </channel_format></info>";
        assert_eq!(parse_header(no_rate).unwrap_err(), "no <nominal_srate>");
        let bad = "<info><channel_count>0</channel_count></info>";
        assert!(parse_header(bad).unwrap_err().contains("not a count"));
    }
}
