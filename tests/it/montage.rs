//! Montage loading and validation: the DESIGN.md example, defaults, the TOML round trip,
//! one test per mistake (each message must name the file, the key and the problem), the
//! fixed-rate check and the comment-keeping MVC editor.

use std::path::PathBuf;

use myobalance::montage::{Analysis, Kind, Montage, MontageError, NotchMode, Side};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("montage")
        .join(name)
}

/// A small valid montage; each bad case edits one thing in it.
const BASE: &str = r#"sample_rate_hz = 2000.0
mains_hz = 50

[[channels]]
name = "biceps_l"
kind = "emg"
side = "left"

[[channels]]
name = "biceps_r"
kind = "emg"
side = "right"

[[channels]]
name = "triceps_l"
kind = "emg"
side = "left"

[[channels]]
name = "force_l"
kind = "force"
side = "left"

[[channels]]
name = "force_r"
kind = "force"
side = "right"

[[channels]]
name = "acc"
kind = "accel"

[[pairs]]
name = "elbow_l"
agonist = "biceps_l"
antagonist = "triceps_l"

[[bilateral]]
name = "biceps"
left = "biceps_l"
right = "biceps_r"

[analysis]
rms_window_s = 0.25
"#;

/// BASE with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE has no {from:?}");
    BASE.replacen(from, to, 1)
}

/// BASE with `extra` appended to `[analysis]`.
fn with_analysis(extra: &str) -> String {
    format!("{BASE}{extra}\n")
}

/// The error message for `text`, which must be rejected.
fn rejected(text: &str) -> String {
    match Montage::from_toml_str(text, "lab.toml") {
        Ok(m) => panic!("accepted a bad montage: {m:?}"),
        Err(e) => e.to_string(),
    }
}

/// The message names the file, the key and the problem.
fn assert_names(message: &str, key: &str, problem: &str) {
    assert!(
        message.starts_with("montage lab.toml: "),
        "no file in: {message}"
    );
    assert!(
        message.contains(&format!("{key}: ")),
        "no key {key} in: {message}"
    );
    assert!(message.contains(problem), "no {problem:?} in: {message}");
}

fn bad(text: &str, key: &str, problem: &str) {
    assert_names(&rejected(text), key, problem);
}

#[test]
fn design_example_parses() {
    let m = Montage::load(&fixture("lab.toml")).expect("the DESIGN.md example is valid");
    assert_eq!(m.sample_rate_hz, Some(2000.0));
    assert_eq!(m.mains_hz, 50);
    assert_eq!(m.channels.len(), 6);
    let b = &m.channels[0];
    assert_eq!(
        (b.name.as_str(), b.kind, b.unit.as_str(), b.side),
        ("biceps_l", Kind::Emg, "uV", Side::Left)
    );
    assert_eq!((b.scale, b.offset, b.mvc), (1.0, 0.0, Some(420.0)));
    assert_eq!(m.channels[3].mvc, None);
    assert_eq!(m.channels[4].kind, Kind::Force);
    assert_eq!((m.channels[4].scale, m.channels[4].offset), (0.01, -2.5));
    assert_eq!(m.pairs.len(), 2);
    assert_eq!(m.pairs[1].antagonist, "triceps_r");
    assert_eq!(m.bilateral[1].right, "force_r");
    assert_eq!(m.analysis.notch, NotchMode::Auto);
    assert_eq!(m.analysis.rms_window_s, 0.2);
    assert_eq!(m.analysis.tremor_band_hz, [4.0, 12.0]);
    assert_eq!(
        m.analysis.cci_window_s, 1.0,
        "unset keys keep their defaults"
    );
    assert_eq!(m.channel_index("force_r"), Some(5));
}

#[test]
fn defaults_are_filled() {
    let m = Montage::load(&fixture("minimal.toml")).expect("valid");
    assert_eq!(m.sample_rate_hz, None);
    assert_eq!(m.mains_hz, 60);
    let c = &m.channels[0];
    assert_eq!(
        (c.unit.as_str(), c.side, c.scale, c.offset),
        ("", Side::None, 1.0, 0.0)
    );
    assert_eq!(c.mvc, None);
    assert!(m.pairs.is_empty() && m.bilateral.is_empty());
    assert_eq!(m.analysis, Analysis::default());
    let a = &m.analysis;
    assert_eq!(a.bandpass_hz, [20.0, 450.0]);
    assert_eq!((a.rms_window_s, a.rms_hop_s), (0.25, 0.05));
    assert_eq!(a.envelope_lowpass_hz, 6.0);
    assert_eq!(
        (a.cci_window_s, a.cci_hop_s, a.inactive_pct_mvc),
        (1.0, 0.5, 2.0)
    );
    assert_eq!(
        (a.tremor_segment_s, a.tremor_window_s, a.tremor_hop_s),
        (2.0, 4.0, 0.5)
    );
    assert_eq!((a.fatigue_epoch_s, a.fatigue_min_pct_mvc), (0.5, 10.0));
    assert_eq!(a.notch, NotchMode::Off);
    assert_eq!(a.alarm_consecutive, 3);
}

#[test]
fn round_trips_through_to_toml_string() {
    for name in ["lab.toml", "minimal.toml"] {
        let m = Montage::load(&fixture(name)).expect("valid");
        let text = m.to_toml_string();
        let back = Montage::from_toml_str(&text, "round trip").expect("valid again");
        assert_eq!(back, m, "{name}:\n{text}");
        assert_eq!(back.to_toml_string(), text, "{name}: stable text");
    }
}

#[test]
fn to_toml_string_writes_the_defaults_out() {
    let m = Montage::load(&fixture("minimal.toml")).expect("valid");
    let text = m.to_toml_string();
    for key in [
        "scale = 1.0",
        "side = \"none\"",
        "bandpass_hz = [",
        "rms_hop_s = 0.05",
        "notch = \"off\"",
        "alarm_consecutive = 3",
    ] {
        assert!(text.contains(key), "no {key:?} in:\n{text}");
    }
    assert!(!text.contains("sample_rate_hz"), "no rate was given");
    assert!(!text.contains("\nmvc ="), "no mvc was given");
}

#[test]
fn reads_a_missing_file_as_an_error_naming_it() {
    let path = fixture("no_such_montage.toml");
    let e = Montage::load(&path).expect_err("no file");
    let text = e.to_string();
    assert!(matches!(e, MontageError::Read { .. }));
    assert!(text.contains("no_such_montage.toml"), "{text}");
    assert!(text.contains("cannot read"), "{text}");
}

#[test]
fn syntax_error_names_line_and_column() {
    let text = edited("mains_hz = 50", "mains_hz == 50");
    let e = Montage::from_toml_str(&text, "lab.toml").expect_err("not TOML");
    assert!(matches!(e, MontageError::Syntax { line: 2, .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.starts_with("montage lab.toml: line 2, column "),
        "{message}"
    );
    assert!(message.contains("not valid TOML"), "{message}");
}

// ---- keys and values the types do not accept ----

#[test]
fn unknown_top_level_key() {
    let message = rejected(&edited("mains_hz = 50", "mains_hz = 50\ngain = 3"));
    assert_names(&message, "gain", "unknown key");
    assert!(message.contains("line 3"), "{message}");
    assert!(
        message.contains("sample_rate_hz"),
        "lists the allowed keys: {message}"
    );
}

#[test]
fn unknown_channel_key_suggests_the_right_one() {
    let message = rejected(&edited(
        "name = \"biceps_r\"",
        "name = \"biceps_r\"\nscal = 2.0",
    ));
    assert_names(&message, "channels[1].scal", "unknown key");
    assert!(message.contains("did you mean \"scale\""), "{message}");
    assert!(message.contains("line 11"), "{message}");
}

#[test]
fn unknown_analysis_key() {
    let message = rejected(&with_analysis("rms_windo_s = 0.3"));
    assert_names(&message, "analysis.rms_windo_s", "unknown key");
    assert!(
        message.contains("did you mean \"rms_window_s\""),
        "{message}"
    );
}

#[test]
fn unknown_table() {
    bad(
        &format!("{BASE}\n[filters]\nx = 1\n"),
        "filters",
        "unknown key",
    );
}

#[test]
fn unknown_kind() {
    bad(
        &edited("kind = \"force\"", "kind = \"forse\""),
        "channels[3].kind",
        "unknown value \"forse\"",
    );
}

#[test]
fn unknown_notch_mode() {
    bad(
        &with_analysis("notch = \"yes\""),
        "analysis.notch",
        "unknown value \"yes\"",
    );
}

#[test]
fn missing_channel_kind() {
    let message = rejected(&edited("kind = \"accel\"\n", ""));
    assert_names(&message, "channels[5].kind", "required key is missing");
    assert!(
        message.contains("line 29"),
        "the channel's header line: {message}"
    );
}

#[test]
fn missing_mains() {
    bad(
        &edited("mains_hz = 50\n", ""),
        "mains_hz",
        "required key is missing",
    );
}

#[test]
fn wrong_value_type() {
    bad(
        &with_analysis("cci_hop_s = \"half\""),
        "analysis.cci_hop_s",
        "expected a number",
    );
}

#[test]
fn negative_mains() {
    bad(
        &edited("mains_hz = 50", "mains_hz = -50"),
        "mains_hz",
        "must be 50 or 60",
    );
}

#[test]
fn band_with_three_numbers() {
    bad(
        &with_analysis("bandpass_hz = [20, 450, 500]"),
        "analysis.bandpass_hz",
        "must be [low, high] (2 numbers), not 3 numbers",
    );
}

#[test]
fn band_with_one_number() {
    let message = rejected(&with_analysis("tremor_band_hz = [4]"));
    assert_names(
        &message,
        "analysis.tremor_band_hz",
        "must be [low, high] (2 numbers)",
    );
    assert!(message.ends_with("not 1 number"), "{message}");
}

// ---- names and references ----

#[test]
fn duplicate_channel_name() {
    let m = Montage::from_toml_str(BASE, "lab.toml").expect("valid");
    let mut dup = m.clone();
    dup.channels[2].name = "biceps_l".into();
    dup.pairs.clear();
    let e = dup.validate("lab.toml").expect_err("duplicate");
    assert_eq!(
        e.to_string(),
        "montage lab.toml: channels[2].name: duplicate name \"biceps_l\" (first used by channels[0])"
    );
    // From text, the line is named too.
    let text = edited("name = \"triceps_l\"", "name = \"biceps_l\"");
    let message = rejected(&text);
    assert!(
        message.contains("line 15: channels[2].name: duplicate name"),
        "{message}"
    );
}

#[test]
fn invalid_channel_name() {
    bad(
        &edited("name = \"acc\"", "name = \"acc-x\""),
        "channels[5].name",
        "invalid name \"acc-x\"",
    );
}

#[test]
fn empty_channel_name() {
    bad(
        &edited("name = \"acc\"", "name = \"\""),
        "channels[5].name",
        "is empty",
    );
}

#[test]
fn duplicate_pair_name() {
    let text = format!(
        "{}\n[[pairs]]\nname = \"elbow_l\"\nagonist = \"biceps_r\"\nantagonist = \"triceps_l\"\n",
        BASE.replace("[analysis]\nrms_window_s = 0.25\n", "")
    );
    bad(
        &text,
        "pairs[1].name",
        "duplicate name \"elbow_l\" (first used by pairs[0])",
    );
}

#[test]
fn invalid_pair_name() {
    bad(
        &edited("name = \"elbow_l\"", "name = \"elbow l\""),
        "pairs[0].name",
        "invalid name",
    );
}

#[test]
fn duplicate_bilateral_name() {
    let text = format!(
        "{}\n[[bilateral]]\nname = \"biceps\"\nleft = \"force_l\"\nright = \"force_r\"\n",
        BASE.replace("[analysis]\nrms_window_s = 0.25\n", "")
    );
    bad(
        &text,
        "bilateral[1].name",
        "duplicate name \"biceps\" (first used by bilateral[0])",
    );
}

#[test]
fn invalid_bilateral_name() {
    bad(
        &edited("name = \"biceps\"", "name = \"bi.ceps\""),
        "bilateral[0].name",
        "invalid name",
    );
}

#[test]
fn pair_names_a_missing_channel() {
    let message = rejected(&edited(
        "antagonist = \"triceps_l\"",
        "antagonist = \"tricep_l\"",
    ));
    assert_names(
        &message,
        "pairs[0].antagonist",
        "no channel named \"tricep_l\"",
    );
    assert!(
        message.contains("emg channels: biceps_l, biceps_r, triceps_l"),
        "{message}"
    );
}

#[test]
fn pair_names_a_force_channel() {
    bad(
        &edited("agonist = \"biceps_l\"", "agonist = \"force_l\""),
        "pairs[0].agonist",
        "channel \"force_l\" is of kind force; co-contraction pairs need emg channels",
    );
}

#[test]
fn pair_names_one_channel_twice() {
    bad(
        &edited("antagonist = \"triceps_l\"", "antagonist = \"biceps_l\""),
        "pairs[0].antagonist",
        "is also the agonist",
    );
}

#[test]
fn bilateral_names_a_missing_channel() {
    bad(
        &edited("right = \"biceps_r\"", "right = \"bicep_r\""),
        "bilateral[0].right",
        "no channel named \"bicep_r\"",
    );
}

#[test]
fn bilateral_of_accelerometers() {
    bad(
        &edited("right = \"biceps_r\"", "right = \"acc\""),
        "bilateral[0].right",
        "is of kind accel; bilateral pairs need emg or force channels",
    );
}

#[test]
fn bilateral_of_mixed_kinds() {
    bad(
        &edited("right = \"biceps_r\"", "right = \"force_r\""),
        "bilateral[0].right",
        "both sides must be the same kind",
    );
}

#[test]
fn bilateral_sides_swapped() {
    let text = edited(
        "left = \"biceps_l\"\nright = \"biceps_r\"",
        "left = \"biceps_r\"\nright = \"biceps_l\"",
    );
    let message = rejected(&text);
    assert!(message.contains("2 problems"), "{message}");
    assert_names(&message, "bilateral[0].left", "has side = \"right\"");
    assert_names(&message, "bilateral[0].right", "has side = \"left\"");
}

#[test]
fn bilateral_of_one_channel() {
    bad(
        &edited("right = \"biceps_r\"", "right = \"biceps_l\""),
        "bilateral[0].right",
        "is also the left channel",
    );
}

#[test]
fn bilateral_of_force_channels_is_fine() {
    let text = edited("right = \"biceps_r\"", "right = \"biceps_r\"\n\n[[bilateral]]\nname = \"force\"\nleft = \"force_l\"\nright = \"force_r\"");
    Montage::from_toml_str(&text, "lab.toml").expect("force left/right is a bilateral pair");
}

#[test]
fn no_channels() {
    bad("mains_hz = 50\nchannels = []\n", "channels", "no channels");
}

// ---- numbers ----

#[test]
fn zero_sample_rate() {
    bad(
        &edited("sample_rate_hz = 2000.0", "sample_rate_hz = 0"),
        "sample_rate_hz",
        "must be a positive number of samples per second, not 0",
    );
}

#[test]
fn negative_sample_rate() {
    bad(
        &edited("sample_rate_hz = 2000.0", "sample_rate_hz = -2000.0"),
        "sample_rate_hz",
        "not -2000",
    );
}

#[test]
fn non_finite_sample_rate() {
    bad(
        &edited("sample_rate_hz = 2000.0", "sample_rate_hz = nan"),
        "sample_rate_hz",
        "not NaN",
    );
    bad(
        &edited("sample_rate_hz = 2000.0", "sample_rate_hz = inf"),
        "sample_rate_hz",
        "not inf",
    );
}

#[test]
fn mains_not_50_or_60() {
    let message = rejected(&edited("mains_hz = 50", "mains_hz = 55"));
    assert_names(&message, "mains_hz", "must be 50 or 60");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn zero_scale() {
    bad(
        &edited("kind = \"accel\"", "kind = \"accel\"\nscale = 0.0"),
        "channels[5].scale",
        "non-zero",
    );
}

#[test]
fn non_finite_scale() {
    bad(
        &edited("kind = \"accel\"", "kind = \"accel\"\nscale = nan"),
        "channels[5].scale",
        "finite",
    );
}

#[test]
fn non_finite_offset() {
    bad(
        &edited("kind = \"accel\"", "kind = \"accel\"\noffset = -inf"),
        "channels[5].offset",
        "finite",
    );
}

#[test]
fn zero_mvc() {
    bad(
        &edited("side = \"right\"", "side = \"right\"\nmvc = 0.0"),
        "channels[1].mvc",
        "must be a positive number (this channel's MVC RMS), not 0",
    );
}

#[test]
fn negative_mvc_names_the_unit() {
    bad(
        &edited(
            "side = \"right\"",
            "side = \"right\"\nunit = \"uV\"\nmvc = -3.0",
        ),
        "channels[1].mvc",
        "MVC RMS in uV), not -3",
    );
}

// ---- [analysis] ----

#[test]
fn bandpass_edges_reversed() {
    bad(
        &with_analysis("bandpass_hz = [450, 20]"),
        "analysis.bandpass_hz",
        "0 < low < high",
    );
}

#[test]
fn bandpass_from_zero() {
    bad(
        &with_analysis("bandpass_hz = [0, 450]"),
        "analysis.bandpass_hz",
        "0 < low < high",
    );
}

#[test]
fn bandpass_lower_edge_above_the_cap() {
    let text = edited("sample_rate_hz = 2000.0", "sample_rate_hz = 100.0");
    let text = text.replace(
        "rms_window_s = 0.25",
        "rms_window_s = 0.25\nbandpass_hz = [50, 450]",
    );
    bad(
        &text,
        "analysis.bandpass_hz",
        "lower edge 50 Hz must be below 45 Hz",
    );
}

#[test]
fn envelope_lowpass_zero() {
    bad(
        &with_analysis("envelope_lowpass_hz = 0"),
        "analysis.envelope_lowpass_hz",
        "positive",
    );
}

#[test]
fn envelope_lowpass_above_nyquist() {
    bad(
        &with_analysis("envelope_lowpass_hz = 1000"),
        "analysis.envelope_lowpass_hz",
        "not below the Nyquist frequency 1000 Hz",
    );
}

#[test]
fn non_positive_durations() {
    for key in [
        "rms_window_s",
        "rms_hop_s",
        "cci_window_s",
        "cci_hop_s",
        "tremor_segment_s",
        "tremor_window_s",
        "tremor_hop_s",
        "fatigue_epoch_s",
        "alarm_baseline_s",
    ] {
        for value in ["0", "-1.0", "nan"] {
            let text = BASE.replace("rms_window_s = 0.25", &format!("{key} = {value}"));
            bad(
                &text,
                &format!("analysis.{key}"),
                "must be a positive duration in seconds",
            );
        }
    }
}

#[test]
fn rms_window_shorter_than_two_samples() {
    let message = rejected(&BASE.replace("rms_window_s = 0.25", "rms_window_s = 0.0005"));
    assert_names(
        &message,
        "analysis.rms_window_s",
        "0.0005 s rounds to 1 sample at 2000 Hz",
    );
    assert!(message.contains("at least 2 samples"), "{message}");
    assert!(message.contains("line 44"), "{message}");
}

#[test]
fn other_windows_shorter_than_two_samples() {
    for key in ["cci_window_s", "tremor_segment_s", "fatigue_epoch_s"] {
        let text = with_analysis(&format!("{key} = 0.0001"));
        bad(
            &text,
            &format!("analysis.{key}"),
            "a window needs at least 2 samples",
        );
    }
}

#[test]
fn hop_shorter_than_one_sample() {
    for key in ["rms_hop_s", "cci_hop_s", "tremor_hop_s"] {
        let text = with_analysis(&format!("{key} = 0.0001"));
        bad(
            &text,
            &format!("analysis.{key}"),
            "a hop needs at least 1 sample",
        );
    }
}

#[test]
fn tremor_window_shorter_than_its_segment() {
    bad(
        &with_analysis("tremor_window_s = 1.0"),
        "analysis.tremor_window_s",
        "shorter than tremor_segment_s = 2 s",
    );
}

#[test]
fn tremor_band_above_nyquist() {
    let text = edited("sample_rate_hz = 2000.0", "sample_rate_hz = 20.0")
        .replace("rms_window_s = 0.25", "tremor_band_hz = [4, 12]");
    bad(
        &text,
        "analysis.tremor_band_hz",
        "12 Hz is not below the Nyquist frequency 10 Hz",
    );
}

#[test]
fn tremor_band_without_a_welch_bin() {
    bad(
        &with_analysis("tremor_band_hz = [4.1, 4.3]"),
        "analysis.tremor_band_hz",
        "no Welch frequency bin lies in [4.1, 4.3] Hz",
    );
}

#[test]
fn alarm_band_reversed() {
    bad(
        &with_analysis("alarm_band_hz = [14, 4]"),
        "analysis.alarm_band_hz",
        "0 < low < high",
    );
}

#[test]
fn fatigue_epoch_too_short_for_the_band() {
    bad(
        &with_analysis("fatigue_epoch_s = 0.002"),
        "analysis.fatigue_epoch_s",
        "MDF needs at least 2",
    );
}

#[test]
fn negative_percentages() {
    bad(
        &with_analysis("inactive_pct_mvc = -1"),
        "analysis.inactive_pct_mvc",
        "≥ 0",
    );
    bad(
        &with_analysis("fatigue_min_pct_mvc = nan"),
        "analysis.fatigue_min_pct_mvc",
        "≥ 0",
    );
}

#[test]
fn alarm_power_ratio_zero() {
    bad(
        &with_analysis("alarm_power_ratio = 0"),
        "analysis.alarm_power_ratio",
        "positive ratio",
    );
}

#[test]
fn alarm_fractions_out_of_range() {
    bad(
        &with_analysis("alarm_min_relative_power = 0"),
        "analysis.alarm_min_relative_power",
        "fraction in (0, 1]",
    );
    bad(
        &with_analysis("alarm_min_peak_concentration = 1.5"),
        "analysis.alarm_min_peak_concentration",
        "fraction in (0, 1]",
    );
}

#[test]
fn alarm_consecutive_zero() {
    bad(
        &with_analysis("alarm_consecutive = 0"),
        "analysis.alarm_consecutive",
        "at least 1",
    );
}

#[test]
fn alarm_consecutive_negative() {
    bad(
        &with_analysis("alarm_consecutive = -2"),
        "analysis.alarm_consecutive",
        "≥ 1",
    );
}

#[test]
fn alarm_baseline_shorter_than_a_tremor_window() {
    bad(
        &with_analysis("alarm_baseline_s = 2.0"),
        "analysis.alarm_baseline_s",
        "shorter than tremor_window_s = 4 s",
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = edited("mains_hz = 50", "mains_hz = 51")
        .replace(
            "rms_window_s = 0.25",
            "rms_window_s = -1\nalarm_consecutive = 0",
        )
        .replace("antagonist = \"triceps_l\"", "antagonist = \"nobody\"");
    let e = Montage::from_toml_str(&text, "lab.toml").expect_err("bad");
    let keys: Vec<&str> = e.problems().iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "mains_hz",
            "pairs[0].antagonist",
            "analysis.rms_window_s",
            "analysis.alarm_consecutive"
        ]
    );
    assert!(e.problems().iter().all(|p| p.line.is_some()), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("montage lab.toml: 4 problems:\n  line 2: mains_hz: "),
        "{e}"
    );
}

// ---- a rate fixed by the device or the input ----

#[test]
fn with_sample_rate_sets_a_missing_rate() {
    let m = Montage::load(&fixture("minimal.toml")).expect("valid");
    let m = m
        .with_sample_rate(1000.0, "minimal.toml")
        .expect("fine at 1 kHz");
    assert_eq!(m.sample_rate_hz, Some(1000.0));
}

#[test]
fn with_sample_rate_checks_the_windows() {
    let text = "mains_hz = 50\n[[channels]]\nname = \"a\"\nkind = \"emg\"\n[analysis]\nrms_window_s = 0.001\n";
    let m = Montage::from_toml_str(text, "lab.toml").expect("no rate yet, so no sample counts");
    let e = m
        .with_sample_rate(1000.0, "lab.toml")
        .expect_err("1 sample");
    assert_names(
        &e.to_string(),
        "analysis.rms_window_s",
        "0.001 s rounds to 1 sample at 1000 Hz",
    );
}

#[test]
fn with_sample_rate_rejects_a_conflicting_rate() {
    let m = Montage::from_toml_str(BASE, "lab.toml").expect("valid");
    let e = m
        .clone()
        .with_sample_rate(250.0, "lab.toml")
        .expect_err("2000 ≠ 250");
    assert_names(
        &e.to_string(),
        "sample_rate_hz",
        "the montage says 2000 Hz but the input runs at 250 Hz",
    );
    let close = m
        .with_sample_rate(2000.5, "lab.toml")
        .expect("within 0.1 %");
    assert_eq!(close.sample_rate_hz, Some(2000.5));
}

#[test]
fn with_sample_rate_rejects_a_non_positive_rate() {
    let m = Montage::load(&fixture("minimal.toml")).expect("valid");
    let e = m.with_sample_rate(0.0, "minimal.toml").expect_err("0 Hz");
    assert!(
        e.to_string()
            .contains("sample_rate_hz: the input's sample rate 0 Hz"),
        "{e}"
    );
}

// ---- editing MVC values in place ----

const COMMENTED: &str = r#"# Lab 3, elbow set-up
mains_hz = 50  # Europe

[[channels]]
name = "biceps_l"   # long head
kind = "emg"
mvc = 420.0         # from the 2024-05 session
unit = "uV"

[[channels]]
# no MVC yet
name = "triceps_l"
kind = "emg"

[[channels]]
name = "biceps_r"
kind = "emg"
"#;

#[test]
fn set_mvc_keeps_comments_and_order() {
    let values = [
        ("biceps_l".to_string(), 455.25),
        ("triceps_l".to_string(), 300.0),
    ];
    let out = Montage::set_mvc_in_toml(COMMENTED, "lab.toml", &values).expect("edited");
    let expected = COMMENTED
        .replace(
            "mvc = 420.0         # from the 2024-05 session",
            "mvc = 455.25         # from the 2024-05 session",
        )
        .replace(
            "kind = \"emg\"\n\n[[channels]]\nname = \"biceps_r\"",
            "kind = \"emg\"\nmvc = 300.0\n\n[[channels]]\nname = \"biceps_r\"",
        );
    assert_eq!(out, expected);
    let m = Montage::from_toml_str(&out, "lab.toml").expect("still valid");
    assert_eq!(m.channels[0].mvc, Some(455.25));
    assert_eq!(m.channels[1].mvc, Some(300.0));
    assert_eq!(m.channels[2].mvc, None);
}

#[test]
fn set_mvc_in_inline_channels() {
    let text = "mains_hz = 60\nchannels = [\n  { name = \"a\", kind = \"emg\" },  # first\n  { name = \"b\", kind = \"emg\", mvc = 1.0 },\n]\n";
    let values = [("a".to_string(), 2.5), ("b".to_string(), 3.5)];
    let out = Montage::set_mvc_in_toml(text, "lab.toml", &values).expect("edited");
    assert!(out.contains("# first"), "{out}");
    let m = Montage::from_toml_str(&out, "lab.toml").expect("valid");
    assert_eq!(
        (m.channels[0].mvc, m.channels[1].mvc),
        (Some(2.5), Some(3.5))
    );
}

#[test]
fn set_mvc_of_an_unknown_channel() {
    let values = [("biceps_x".to_string(), 1.0)];
    let e = Montage::set_mvc_in_toml(COMMENTED, "lab.toml", &values).expect_err("no such channel");
    assert_names(&e.to_string(), "channels", "no channel named \"biceps_x\"");
}

#[test]
fn set_mvc_to_a_non_positive_value() {
    let values = [("triceps_l".to_string(), -1.0)];
    let e = Montage::set_mvc_in_toml(COMMENTED, "lab.toml", &values).expect_err("negative");
    assert_names(
        &e.to_string(),
        "channels[1].mvc",
        "must be a positive number, not -1",
    );
}

#[test]
fn set_mvc_in_a_bad_file_reports_it() {
    let text = COMMENTED.replace("mains_hz = 50", "mains_hz = 55");
    let values = [("triceps_l".to_string(), 10.0)];
    let e = Montage::set_mvc_in_toml(&text, "lab.toml", &values).expect_err("bad montage");
    assert_names(&e.to_string(), "mains_hz", "must be 50 or 60");
}

#[test]
fn empty_text() {
    let message = rejected("");
    assert_names(&message, "mains_hz", "required key is missing");
}

#[test]
fn missing_pair_key() {
    let message = rejected(&edited("antagonist = \"triceps_l\"\n", ""));
    assert_names(&message, "pairs[0].antagonist", "required key is missing");
    assert!(
        message.contains("line 33"),
        "the pair's header line: {message}"
    );
}

#[test]
fn dotted_and_inline_keys_are_located_too() {
    let text = BASE
        .replace("[analysis]\nrms_window_s = 0.25\n", "")
        .replacen(
            "mains_hz = 50\n",
            "mains_hz = 50\nanalysis.rms_windo_s = 1\n",
            1,
        );
    bad(&text, "analysis.rms_windo_s", "unknown key");
    let inline = "mains_hz = 50\nchannels = [{ name = \"a\", kind = \"emg\", gain = 2 }]\n";
    let message = rejected(inline);
    assert_names(&message, "channels[0].gain", "unknown key");
    assert!(message.contains("line 2"), "{message}");
}

/// BASE's pair with `extra` lines added to it.
fn with_pair(extra: &str) -> String {
    edited(
        "antagonist = \"triceps_l\"\n",
        &format!("antagonist = \"triceps_l\"\n{extra}\n"),
    )
}

#[test]
fn strength_channels_parse_and_round_trip() {
    use myobalance::montage::{Direction, StrengthSource};
    let text = with_pair(
        "torque = \"force_l\"\nagonist_direction = \"negative\"\nstrength_ratio_reference = 0.6",
    );
    let text = format!("{text}lsi_reference_pct = 85\ntarget_pct_mvc = [20, 40]\n");
    let m = Montage::from_toml_str(&text, "lab.toml").unwrap();
    let p = &m.pairs[0];
    assert_eq!(
        p.strength_source(),
        Some(StrengthSource::Torque {
            torque: "force_l",
            direction: Direction::Negative
        })
    );
    assert_eq!(p.strength_ratio_reference, Some(0.6));
    assert_eq!(m.analysis.lsi_reference_pct, 85.0);
    assert_eq!(m.analysis.target_pct_mvc, Some([20.0, 40.0]));
    let again = Montage::from_toml_str(&m.to_toml_string(), "again").unwrap();
    assert_eq!(again, m);

    let one_way = with_pair("agonist_force = \"force_l\"\nantagonist_force = \"force_r\"");
    let m = Montage::from_toml_str(&one_way, "lab.toml").unwrap();
    assert_eq!(
        m.pairs[0].strength_source(),
        Some(StrengthSource::OneWay {
            agonist: "force_l",
            antagonist: "force_r"
        })
    );
    assert_eq!(Analysis::default().lsi_reference_pct, 90.0);
}

#[test]
fn torque_must_be_a_force_channel() {
    bad(
        &with_pair("torque = \"biceps_r\"\nagonist_direction = \"positive\""),
        "pairs[0].torque",
        "channel \"biceps_r\" is of kind emg; strength ratios need force channels",
    );
    bad(
        &with_pair("torque = \"knee\"\nagonist_direction = \"positive\""),
        "pairs[0].torque",
        "no channel named \"knee\" (force channels: force_l, force_r)",
    );
}

#[test]
fn torque_needs_its_direction() {
    let message = rejected(&with_pair("torque = \"force_l\""));
    assert_names(
        &message,
        "pairs[0].agonist_direction",
        "required with torque: the sign of \"force_l\" while the agonist works",
    );
    bad(
        &with_pair("torque = \"force_l\"\nagonist_direction = \"up\""),
        "pairs[0].agonist_direction",
        "unknown value \"up\"",
    );
    bad(
        &with_pair("agonist_direction = \"positive\""),
        "pairs[0].agonist_direction",
        "applies only with torque",
    );
}

#[test]
fn one_way_force_channels_come_in_twos() {
    bad(
        &with_pair("agonist_force = \"force_l\""),
        "pairs[0].agonist_force",
        "needs antagonist_force too",
    );
    bad(
        &with_pair("agonist_force = \"force_l\"\nantagonist_force = \"force_l\""),
        "pairs[0].antagonist_force",
        "is also agonist_force",
    );
    bad(
        &with_pair(
            "torque = \"force_l\"\nagonist_direction = \"positive\"\nagonist_force = \"force_l\"\nantagonist_force = \"force_r\"",
        ),
        "pairs[0].torque",
        "either torque",
    );
}

#[test]
fn strength_reference_needs_a_ratio_and_a_positive_value() {
    bad(
        &with_pair("strength_ratio_reference = 0.6"),
        "pairs[0].strength_ratio_reference",
        "no force channels to take a ratio of",
    );
    bad(
        &with_pair(
            "torque = \"force_l\"\nagonist_direction = \"positive\"\nstrength_ratio_reference = -1",
        ),
        "pairs[0].strength_ratio_reference",
        "must be a positive ratio",
    );
}

#[test]
fn lsi_reference_and_training_band_are_checked() {
    bad(
        &with_analysis("lsi_reference_pct = 120"),
        "analysis.lsi_reference_pct",
        "must be a percentage in (0, 100]",
    );
    bad(
        &with_analysis("target_pct_mvc = [40, 20]"),
        "analysis.target_pct_mvc",
        "0 ≤ low < high",
    );
    bad(
        &with_analysis("target_pct_mvc = [20, 40, 60]"),
        "analysis.target_pct_mvc",
        "must be [low, high] (2 numbers), not 3 numbers",
    );
}

#[test]
fn onset_settings_are_read_and_checked_with_their_line() {
    let m = Montage::from_toml_str(
        &with_analysis(
            "onset_method = \"bonato\"\nonset_min_active_s = 0.1\nonset_min_gap_s = 0.05\nonset_baseline_s = 3.0",
        ),
        "lab.toml",
    )
    .unwrap();
    assert_eq!(
        m.analysis.onset_method,
        myobalance::montage::OnsetMethod::Bonato
    );
    assert_eq!(m.analysis.onset_min_active_s, 0.1);
    assert_eq!(m.analysis.onset_baseline_s, 3.0);
    // Stored montages keep the choice.
    let back = Montage::from_toml_str(&m.to_toml_string(), "stored").unwrap();
    assert_eq!(back, m);

    let message = rejected(&with_analysis("onset_method = \"visual\""));
    assert_names(
        &message,
        "analysis.onset_method",
        "unknown value \"visual\"",
    );
    assert!(
        message.contains("hodges_bui") && message.contains("tkeo"),
        "{message}"
    );
    let line = BASE.lines().count() + 1;
    assert!(message.contains(&format!("line {line}")), "{message}");
    for (key, value) in [
        ("onset_min_active_s", "0.0"),
        ("onset_min_gap_s", "-0.03"),
        ("onset_baseline_s", "nan"),
    ] {
        bad(
            &with_analysis(&format!("{key} = {value}")),
            &format!("analysis.{key}"),
            "must be a positive duration in seconds",
        );
    }
    bad(
        &with_analysis("onset_baseline_s = 0.1"),
        "analysis.onset_baseline_s",
        "shorter than one 0.25 s rest window",
    );
}
