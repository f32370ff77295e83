//! The page's first section: whose sessions these are, when, in which order and why,
//! the files left out, montages that differ, and the LSI findings at a glance.

use crate::report::html::{count, escape, paragraph, text, Table};
use crate::report::page::Section;

use super::super::order::Order;
use super::super::patient::Patient;
use super::super::series::{reference, series};
use super::super::trend::{change, lsi_progress, reached, Reached};
use super::balance::LSI_DEFAULT_REFERENCE;

/// "2026-03-02 → 2026-04-06", or what is known of the dates.
pub fn date_range(p: &Patient) -> String {
    let dates: Vec<&str> = p
        .sessions
        .iter()
        .filter_map(|s| s.recorded_utc.as_deref())
        .collect();
    let day = |d: &str| d.get(..10).unwrap_or(d).to_string();
    match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if dates.len() == p.sessions.len() => {
            format!("{} → {}", day(a), day(b))
        }
        (Some(_), _) => format!("{} of {} sessions dated", dates.len(), p.sessions.len()),
        _ => "no recorded dates".to_string(),
    }
}

/// A two-column table of facts, as the report's header has.
fn facts(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"facts\"><tbody>\n");
    for (k, v) in rows {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            escape(k),
            escape(v)
        ));
    }
    out.push_str("</tbody></table>\n");
    out
}

/// The "Sessions" section.
pub fn section(p: &Patient) -> Section {
    let mut body = String::new();
    let order = match &p.order {
        Order::ByDate => "by recorded date (recorded_utc)".to_string(),
        Order::ByLabel { undated } => format!(
            "by session label in natural order (week 2 before week 10): no recorded date for {}",
            undated.join(", ")
        ),
    };
    body.push_str(&facts(&[
        ("subject", p.subject.clone()),
        ("sessions", p.sessions.len().to_string()),
        ("dates", date_range(p)),
        ("order", order),
    ]));
    if let Order::ByLabel { .. } = p.order {
        body.push_str(&paragraph(
            "warn",
            "Sessions without a recorded date are ordered by their label, not by time.",
        ));
    }
    body.push_str(&at_a_glance(p));

    let mut t = Table::new("sessions", &["#", "session", "recorded (UTC)", "file"]);
    for (i, s) in p.sessions.iter().enumerate() {
        t.row(vec![
            count(i + 1),
            text(s.label()),
            text(s.recorded_utc.clone().unwrap_or_else(|| "–".into())),
            text(&s.file),
        ]);
    }
    body.push_str(&t.to_html());
    if let Some(note) = montage_note(p) {
        body.push_str(&paragraph("note", &note));
    }
    for line in &p.skipped {
        body.push_str(&paragraph("note", &format!("Skipped {line}.")));
    }
    for line in &p.failed {
        body.push_str(&paragraph("warn", &format!("Not read: {line}")));
    }
    Section {
        id: "sessions",
        title: "Sessions",
        body,
    }
}

/// One line per bilateral pair: how its LSI moved and when it reached the reference.
fn at_a_glance(p: &Patient) -> String {
    let mut out = String::new();
    for s in series(&p.sessions, "symmetry", "lsi_percent") {
        let Some(c) = change(&s.values) else { continue };
        let r = reference(
            &p.sessions,
            "symmetry",
            &s.name,
            Some(LSI_DEFAULT_REFERENCE),
        )
        .unwrap_or(LSI_DEFAULT_REFERENCE);
        let when = match reached(&s.values, r) {
            Reached::At(i) => format!(
                "reached the {r:.0} % reference in {}",
                p.sessions[i].label()
            ),
            Reached::FromStart => format!("at or above the {r:.0} % reference from the start"),
            Reached::Never => format!("still below the {r:.0} % reference"),
        };
        out.push_str(&format!(
            "<li>{}</li>",
            escape(&format!("{} (LSI): {}; {when}", s.name, lsi_progress(&c)))
        ));
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"glance\">{out}</ul>\n")
    }
}

/// A note when the sessions' montages name different channels.
fn montage_note(p: &Patient) -> Option<String> {
    let names = |i: usize| -> Vec<&str> {
        p.sessions[i]
            .montage
            .channels
            .iter()
            .map(|c| c.name.as_str())
            .collect()
    };
    let all: Vec<Vec<&str>> = (0..p.sessions.len()).map(names).collect();
    if all.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let mut partial: Vec<&str> = Vec::new();
    for n in all.iter().flatten() {
        if !all.iter().all(|a| a.contains(n)) && !partial.contains(n) {
            partial.push(n);
        }
    }
    Some(format!(
        "The sessions' montages differ{}. Measures are compared by channel and pair name; \
         each chart names the sessions without a value.",
        if partial.is_empty() {
            String::new()
        } else {
            format!(" (only in some sessions: {})", partial.join(", "))
        }
    ))
}
