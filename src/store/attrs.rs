//! Reading and writing attributes and small datasets of the types format v1 uses (UTF-8
//! variable-length strings, f64, i64), tolerant on reading of what other writers (h5py,
//! MATLAB) produce: ASCII or fixed-length strings, other integer and float widths.

use std::path::Path;
use std::str::FromStr;

use hdf5::types::{FixedAscii, FixedUnicode, VarLenAscii, VarLenUnicode};
use hdf5::{Dataset, Group, Location};

use super::error::{Context, StoreError};
use crate::results::AttrValue;

fn to_varlen(path: &Path, object: &str, text: &str) -> Result<VarLenUnicode, StoreError> {
    // Strings containing NUL cannot be stored as C strings.
    VarLenUnicode::from_str(&text.replace('\0', " ")).map_err(|e| StoreError::Invalid {
        path: path.to_path_buf(),
        object: object.to_string(),
        problem: e.to_string(),
    })
}

/// Writes a scalar UTF-8 string attribute.
pub fn put_text(loc: &Location, path: &Path, name: &str, text: &str) -> Result<(), StoreError> {
    let value = to_varlen(path, name, text)?;
    loc.new_attr::<VarLenUnicode>()
        .shape(())
        .create(name)
        .and_then(|a| a.write_scalar(&value))
        .at(path, name)
}

/// Writes a 1-D UTF-8 string array attribute.
pub fn put_texts(
    loc: &Location,
    path: &Path,
    name: &str,
    texts: &[String],
) -> Result<(), StoreError> {
    let values = texts
        .iter()
        .map(|t| to_varlen(path, name, t))
        .collect::<Result<Vec<_>, _>>()?;
    loc.new_attr::<VarLenUnicode>()
        .shape(values.len())
        .create(name)
        .and_then(|a| a.write(&values))
        .at(path, name)
}

/// Writes a scalar f64 attribute.
pub fn put_f64(loc: &Location, path: &Path, name: &str, value: f64) -> Result<(), StoreError> {
    loc.new_attr::<f64>()
        .shape(())
        .create(name)
        .and_then(|a| a.write_scalar(&value))
        .at(path, name)
}

/// Writes a scalar i64 attribute.
pub fn put_i64(loc: &Location, path: &Path, name: &str, value: i64) -> Result<(), StoreError> {
    loc.new_attr::<i64>()
        .shape(())
        .create(name)
        .and_then(|a| a.write_scalar(&value))
        .at(path, name)
}

/// Writes any parameter value.
pub fn put_value(
    loc: &Location,
    path: &Path,
    name: &str,
    value: &AttrValue,
) -> Result<(), StoreError> {
    match value {
        AttrValue::Bool(b) => loc
            .new_attr::<bool>()
            .shape(())
            .create(name)
            .and_then(|a| a.write_scalar(b))
            .at(path, name),
        AttrValue::Int(i) => put_i64(loc, path, name, *i),
        AttrValue::Float(x) => put_f64(loc, path, name, *x),
        AttrValue::Floats(v) => loc
            .new_attr::<f64>()
            .shape(v.len())
            .create(name)
            .and_then(|a| a.write(v.as_slice()))
            .at(path, name),
        AttrValue::Text(t) => put_text(loc, path, name, t),
    }
}

/// A 1-D UTF-8 string dataset.
pub fn put_text_dataset(
    group: &Group,
    path: &Path,
    name: &str,
    texts: &[String],
) -> Result<Dataset, StoreError> {
    let values = texts
        .iter()
        .map(|t| to_varlen(path, name, t))
        .collect::<Result<Vec<_>, _>>()?;
    group
        .new_dataset_builder()
        .with_data(&values)
        .create(name)
        .at(path, name)
}

/// A 1-D f64 dataset.
pub fn put_f64_dataset(
    group: &Group,
    path: &Path,
    name: &str,
    values: &[f64],
) -> Result<Dataset, StoreError> {
    group
        .new_dataset_builder()
        .with_data(values)
        .create(name)
        .at(path, name)
}

/// Reads strings stored as UTF-8 or ASCII, variable or fixed length, scalar or 1-D.
fn read_strings(
    reader: impl Fn(StringKind) -> hdf5::Result<Vec<String>>,
) -> hdf5::Result<Vec<String>> {
    let mut last = None;
    for kind in [
        StringKind::VarUnicode,
        StringKind::VarAscii,
        StringKind::FixedUnicode,
        StringKind::FixedAscii,
    ] {
        match reader(kind) {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| hdf5::Error::from("no string type matched")))
}

#[derive(Clone, Copy)]
enum StringKind {
    VarUnicode,
    VarAscii,
    FixedUnicode,
    FixedAscii,
}

macro_rules! read_as {
    ($container:expr, $kind:expr) => {{
        let c = $container;
        let scalar = c.is_scalar();
        match $kind {
            StringKind::VarUnicode => read_as!(@ c, scalar, VarLenUnicode),
            StringKind::VarAscii => read_as!(@ c, scalar, VarLenAscii),
            StringKind::FixedUnicode => read_as!(@ c, scalar, FixedUnicode<1024>),
            StringKind::FixedAscii => read_as!(@ c, scalar, FixedAscii<1024>),
        }
    }};
    (@ $c:expr, $scalar:expr, $t:ty) => {
        if $scalar {
            $c.read_scalar::<$t>().map(|s| vec![s.as_str().to_string()])
        } else {
            $c.read_raw::<$t>()
                .map(|v| v.iter().map(|s| s.as_str().to_string()).collect())
        }
    };
}

/// A string attribute (scalar, or the first element of an array).
pub fn get_text(loc: &Location, path: &Path, name: &str) -> Result<Option<String>, StoreError> {
    Ok(get_texts(loc, path, name)?.map(|v| v.into_iter().next().unwrap_or_default()))
}

/// A string-array attribute (a scalar reads as one element).
pub fn get_texts(
    loc: &Location,
    path: &Path,
    name: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    if !loc.attr_names().at(path, name)?.iter().any(|n| n == name) {
        return Ok(None);
    }
    let attr = loc.attr(name).at(path, name)?;
    read_strings(|kind| read_as!(&attr, kind))
        .map(Some)
        .map_err(|e| StoreError::Invalid {
            path: path.to_path_buf(),
            object: name.to_string(),
            problem: format!("expected text: {e}"),
        })
}

/// A 1-D string dataset.
pub fn get_text_dataset(
    ds: &Dataset,
    path: &Path,
    object: &str,
) -> Result<Vec<String>, StoreError> {
    read_strings(|kind| read_as!(ds, kind)).map_err(|e| StoreError::Invalid {
        path: path.to_path_buf(),
        object: object.to_string(),
        problem: format!("expected text: {e}"),
    })
}

/// A numeric attribute read as f64 (scalar, or the first element of an array).
pub fn get_f64(loc: &Location, path: &Path, name: &str) -> Result<Option<f64>, StoreError> {
    if !loc.attr_names().at(path, name)?.iter().any(|n| n == name) {
        return Ok(None);
    }
    let attr = loc.attr(name).at(path, name)?;
    let values = attr.read_raw::<f64>().map_err(|e| StoreError::Invalid {
        path: path.to_path_buf(),
        object: name.to_string(),
        problem: format!("expected a number: {e}"),
    })?;
    values
        .first()
        .copied()
        .map(Some)
        .ok_or_else(|| StoreError::Invalid {
            path: path.to_path_buf(),
            object: name.to_string(),
            problem: "empty".to_string(),
        })
}

/// A numeric array attribute read as f64 (a scalar reads as one element).
pub fn get_f64s(loc: &Location, path: &Path, name: &str) -> Result<Option<Vec<f64>>, StoreError> {
    if !loc.attr_names().at(path, name)?.iter().any(|n| n == name) {
        return Ok(None);
    }
    let attr = loc.attr(name).at(path, name)?;
    attr.read_raw::<f64>()
        .map(Some)
        .map_err(|e| StoreError::Invalid {
            path: path.to_path_buf(),
            object: name.to_string(),
            problem: format!("expected numbers: {e}"),
        })
}

/// Every attribute of `loc` as a parameter value (numbers as Float/Floats, integers as
/// Int, strings as Text).
pub fn get_values(loc: &Location, path: &Path) -> Result<Vec<(String, AttrValue)>, StoreError> {
    let mut out = Vec::new();
    for name in loc.attr_names().at(path, "attributes")? {
        let attr = loc.attr(&name).at(path, &name)?;
        let dtype = attr.dtype().at(path, &name)?;
        let value = if dtype.is::<bool>() {
            AttrValue::Bool(attr.read_scalar::<bool>().at(path, &name)?)
        } else if dtype.to_descriptor().is_ok_and(|d| {
            matches!(
                d,
                hdf5::types::TypeDescriptor::Integer(_) | hdf5::types::TypeDescriptor::Unsigned(_)
            )
        }) && attr.is_scalar()
        {
            AttrValue::Int(attr.read_scalar::<i64>().at(path, &name)?)
        } else if let Ok(v) = attr.read_raw::<f64>() {
            if attr.is_scalar() {
                AttrValue::Float(v[0])
            } else {
                AttrValue::Floats(v)
            }
        } else if let Some(t) = get_text(loc, path, &name)? {
            AttrValue::Text(t)
        } else {
            continue;
        };
        out.push((name, value));
    }
    Ok(out)
}
