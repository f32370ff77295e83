//! Physical units as files write them, and the units myobalance stores (DESIGN.md, Part 2,
//! "Units"): EMG in µV (from V, mV, µV/uV), force in N (from kN, N), torque in N·m (N·mm ÷
//! 1000), acceleration as given (g or m/s²). Pure: spelling in, quantity and factor out.

use crate::montage::Kind;

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Voltage,
    Force,
    Torque,
    Acceleration,
}

impl Quantity {
    /// The channel kind a unit of this quantity says (a torque is a force channel).
    pub fn kind(self) -> Kind {
        match self {
            Quantity::Voltage => Kind::Emg,
            Quantity::Force | Quantity::Torque => Kind::Force,
            Quantity::Acceleration => Kind::Accel,
        }
    }
}

/// A known unit: its quantity, the unit values are stored in, and the factor to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub quantity: Quantity,
    /// The stored unit: "uV", "N", "N.m", "g" or "m/s2".
    pub stored: &'static str,
    /// value in `stored` = value as written × factor.
    pub factor: f64,
}

const fn unit(quantity: Quantity, stored: &'static str, factor: f64) -> Unit {
    Unit {
        quantity,
        stored,
        factor,
    }
}

/// The unit spelled `text`, when it is one myobalance knows. Spelling is forgiving about
/// case, spaces, `·`, `*` and `.` between N and m, and µ/μ/u for micro; old C3D files
/// write `nt` for newton and `ntmm` for newton-millimetre.
///
/// ```
/// use myobalance::units::{parse, Quantity};
///
/// let mv = parse("mV").unwrap();
/// assert_eq!((mv.quantity, mv.stored, mv.factor), (Quantity::Voltage, "uV", 1000.0));
/// assert_eq!(parse("N·mm").unwrap().factor, 0.001);
/// assert_eq!(parse("ntmm").unwrap().stored, "N.m");
/// assert!(parse("d.u.").is_none());
/// ```
pub fn parse(text: &str) -> Option<Unit> {
    let squeezed: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '·' | '*' | '⋅' | '-'))
        .map(|c| if c == 'μ' { 'µ' } else { c })
        .collect();
    // "mN" is millinewtons but "MN" meganewtons: case matters where both readings exist,
    // so exact spellings are tried first. Megavolts never occur in biosignals, so "mv" in
    // any case is millivolts.
    let exact = match squeezed.as_str() {
        "uV" | "µV" | "microV" | "mcV" => Some(unit(Quantity::Voltage, "uV", 1.0)),
        "mV" => Some(unit(Quantity::Voltage, "uV", 1e3)),
        "nV" => Some(unit(Quantity::Voltage, "uV", 1e-3)),
        "V" => Some(unit(Quantity::Voltage, "uV", 1e6)),
        "mN" => Some(unit(Quantity::Force, "N", 1e-3)),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let lower = squeezed.to_lowercase();
    let lower = lower.strip_suffix('.').unwrap_or(&lower);
    match lower {
        "uv" | "µv" | "microvolt" | "microvolts" => Some(unit(Quantity::Voltage, "uV", 1.0)),
        "mv" | "millivolt" | "millivolts" => Some(unit(Quantity::Voltage, "uV", 1e3)),
        "v" | "volt" | "volts" => Some(unit(Quantity::Voltage, "uV", 1e6)),
        "n" | "nt" | "newton" | "newtons" => Some(unit(Quantity::Force, "N", 1.0)),
        "kn" | "kilonewton" | "kilonewtons" => Some(unit(Quantity::Force, "N", 1e3)),
        "nm" | "n.m" | "ntm" | "nt.m" | "newtonmetre" | "newtonmeter" => {
            Some(unit(Quantity::Torque, "N.m", 1.0))
        }
        "nmm" | "n.mm" | "ntmm" | "nt.mm" => Some(unit(Quantity::Torque, "N.m", 1e-3)),
        "g" | "gs" | "gravity" => Some(unit(Quantity::Acceleration, "g", 1.0)),
        "m/s2" | "m/s^2" | "m/s²" | "ms2" | "ms^2" | "m.s2" | "m.s^2" | "m/ss" | "mps2" => {
            Some(unit(Quantity::Acceleration, "m/s2", 1.0))
        }
        _ => None,
    }
}

/// How values of a channel of `kind` written in `text` are stored: the stored unit and
/// the factor. A unit whose quantity does not fit the kind (a force channel in V, say,
/// from an uncalibrated sensor) and an unknown unit are kept as written (factor 1).
///
/// ```
/// use myobalance::montage::Kind;
/// use myobalance::units::stored_as;
///
/// assert_eq!(stored_as(Kind::Emg, "mV"), ("uV".to_string(), 1000.0));
/// assert_eq!(stored_as(Kind::Force, "kN"), ("N".to_string(), 1000.0));
/// assert_eq!(stored_as(Kind::Force, "V"), ("V".to_string(), 1.0));
/// assert_eq!(stored_as(Kind::Other, "mV"), ("mV".to_string(), 1.0));
/// ```
pub fn stored_as(kind: Kind, text: &str) -> (String, f64) {
    match parse(text) {
        Some(u) if u.quantity.kind() == kind => (u.stored.to_string(), u.factor),
        _ => (text.trim().to_string(), 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_each_quantity() {
        for (text, stored, factor) in [
            ("uV", "uV", 1.0),
            ("µV", "uV", 1.0),
            ("μV", "uV", 1.0),
            ("UV", "uV", 1.0),
            ("mV", "uV", 1e3),
            ("V", "uV", 1e6),
            ("nt", "N", 1.0),
            ("N", "N", 1.0),
            ("kN", "N", 1e3),
            ("N·m", "N.m", 1.0),
            ("Nm", "N.m", 1.0),
            ("N m", "N.m", 1.0),
            ("N.mm", "N.m", 1e-3),
            ("Nmm", "N.m", 1e-3),
            ("g", "g", 1.0),
            ("m/s^2", "m/s2", 1.0),
            ("m/s²", "m/s2", 1.0),
        ] {
            let u = parse(text).unwrap_or_else(|| panic!("{text} unknown"));
            assert_eq!((u.stored, u.factor), (stored, factor), "{text}");
        }
        for unknown in ["", "d.u.", "%MVC", "ADC", "mmHg", "deg", "MN"] {
            assert!(parse(unknown).is_none(), "{unknown}");
        }
    }
}
