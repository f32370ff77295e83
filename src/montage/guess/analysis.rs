//! `[analysis]` settings that fit a slow recording: the defaults' bands (EMG band-pass
//! from 20 Hz, tremor up to 12 Hz, alarm up to 14 Hz, envelope at 6 Hz) need a rate of
//! about 45 Hz; below it the guess narrows each band under the Nyquist frequency and says
//! so, so that a slow file (a 20 Hz force export, a decimated trace) still processes.
//! Below about 10 Hz the default windows hold too few samples too; such a file needs a
//! montage written for it, and validation says which settings do not fit.

use crate::montage::Analysis;

/// Fraction of the rate a band's upper edge is brought down to (the band-pass cap).
const UPPER: f64 = 0.45;

/// The default settings at `fs`, and a note per key that had to change.
pub fn fitted(fs: f64) -> (Analysis, Vec<(&'static str, String)>) {
    let mut a = Analysis::default();
    let mut notes = Vec::new();
    let top = UPPER * fs;
    if a.bandpass_hz[0] >= top {
        a.bandpass_hz = [round(fs / 10.0), round(top)];
        notes.push(("bandpass_hz", format!("lowered to fit the {fs} Hz rate")));
    }
    for (key, band) in [
        ("tremor_band_hz", &mut a.tremor_band_hz),
        ("alarm_band_hz", &mut a.alarm_band_hz),
    ] {
        if band[1] >= fs / 2.0 {
            band[1] = round(top);
            if band[0] >= band[1] {
                band[0] = round(band[1] / 3.0);
            }
            notes.push((
                key,
                format!("narrowed below the Nyquist frequency {} Hz", fs / 2.0),
            ));
        }
    }
    if a.envelope_lowpass_hz >= fs / 2.0 {
        a.envelope_lowpass_hz = round(fs / 4.0);
        notes.push((
            "envelope_lowpass_hz",
            format!("lowered below the Nyquist frequency {} Hz", fs / 2.0),
        ));
    }
    (a, notes)
}

/// To 0.01 Hz, so the file reads well.
fn round(hz: f64) -> f64 {
    (hz * 100.0).floor() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montage::Montage;

    #[test]
    fn the_defaults_stay_at_usual_rates() {
        for fs in [100.0, 250.0, 1000.0, 2000.0] {
            let (a, notes) = fitted(fs);
            assert_eq!(a, Analysis::default());
            assert!(notes.is_empty());
        }
    }

    #[test]
    fn slow_rates_get_bands_that_validate() {
        for fs in [12.0, 20.0, 30.0, 40.0] {
            let (a, notes) = fitted(fs);
            assert!(!notes.is_empty());
            let text = format!(
                "sample_rate_hz = {fs:?}\nmains_hz = 50\n[[channels]]\nname = \"e\"\nkind = \"emg\"\n[[channels]]\nname = \"f\"\nkind = \"force\"\n"
            );
            let mut m = Montage::from_toml_str(&text, "t").unwrap_or_else(|e| {
                // The defaults do not fit: that is the point.
                assert!(e.to_string().contains("analysis"), "{e}");
                Montage::from_toml_str(
                    &text.replace(&format!("sample_rate_hz = {fs:?}\n"), ""),
                    "t",
                )
                .unwrap()
            });
            m.analysis = a;
            m.clone()
                .with_sample_rate(fs, "t")
                .unwrap_or_else(|e| panic!("{fs}: {e}"));
        }
    }
}
