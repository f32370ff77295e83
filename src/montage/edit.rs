//! Rewriting the `mvc` values of a montage file in place, for `myobalance mvc --write`:
//! the user's comments, key order and layout stay as they were, only the `mvc` values of
//! the named channels change (or are added at the end of their channel's table).

use toml_edit::{DocumentMut, Item, Value};

use super::error::{MontageError, Problem};
use super::Montage;

/// `text` with `mvc = value` set for each `(channel, value)`; the result is parsed and
/// validated again before it is returned.
pub(crate) fn set_mvc(
    text: &str,
    origin: &str,
    values: &[(String, f64)],
) -> Result<String, MontageError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| super::parse::syntax_error(text, origin, &e))?;
    let mut problems = Vec::new();
    for (name, mvc) in values {
        let Some(i) = position(&doc, name) else {
            problems.push(Problem::new(
                "channels",
                format!("no channel named \"{name}\" to set mvc on"),
            ));
            continue;
        };
        if mvc.is_finite() && *mvc > 0.0 {
            set_at(&mut doc, i, *mvc);
        } else {
            problems.push(Problem::new(
                format!("channels[{i}].mvc"),
                format!("the new MVC value for \"{name}\" must be a positive number, not {mvc}"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(MontageError::invalid(origin, problems));
    }
    let edited = doc.to_string();
    Montage::from_toml_str(&edited, origin)?;
    Ok(edited)
}

/// Index of the channel called `name` in `[[channels]]` or in an inline `channels = [...]`.
fn position(doc: &DocumentMut, name: &str) -> Option<usize> {
    match doc.get("channels")? {
        Item::ArrayOfTables(tables) => tables
            .iter()
            .position(|t| t.get("name").and_then(Item::as_str) == Some(name)),
        Item::Value(Value::Array(array)) => array.iter().position(|v| {
            v.as_inline_table()
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                == Some(name)
        }),
        _ => None,
    }
}

/// Sets `mvc` on channel `i`, which [`position`] found.
fn set_at(doc: &mut DocumentMut, i: usize, mvc: f64) {
    match doc.get_mut("channels") {
        Some(Item::ArrayOfTables(tables)) => {
            if let Some(table) = tables.get_mut(i) {
                match table.get_mut("mvc").and_then(Item::as_value_mut) {
                    Some(old) => replace_keeping_decor(old, mvc),
                    None => {
                        table.insert("mvc", toml_edit::value(mvc));
                    }
                }
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            if let Some(table) = array.get_mut(i).and_then(Value::as_inline_table_mut) {
                match table.get_mut("mvc") {
                    Some(old) => replace_keeping_decor(old, mvc),
                    None => {
                        table.insert("mvc", Value::from(mvc));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Replaces the value but keeps the spaces and the comment around it.
fn replace_keeping_decor(old: &mut Value, mvc: f64) {
    let decor = old.decor().clone();
    *old = Value::from(mvc);
    *old.decor_mut() = decor;
}
