//! Who was recorded: EDF+ structures the patient field as `code sex birthdate name`
//! (spaces inside a subfield written as `_`, unknown subfields as `X`); plain EDF leaves
//! it free text.

/// The subject of a file whose patient field (trimmed) is `patient`: for EDF+/BDF+
/// (`plus`) the patient code, or the name when the code is `X`, `None` when both are
/// unknown; for plain EDF the whole field, `None` when it is empty. Values are kept as
/// written (underscores included).
pub(super) fn subject(patient: &str, plus: bool) -> Option<String> {
    if !plus {
        return (!patient.is_empty()).then(|| patient.to_string());
    }
    let fields: Vec<&str> = patient.split(' ').filter(|w| !w.is_empty()).collect();
    let known = |i: usize| fields.get(i).copied().filter(|w| *w != "X");
    known(0).or_else(|| known(3)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::subject;

    #[test]
    fn edf_plus_code_then_name() {
        assert_eq!(
            subject("MCH-0234567 F 02-MAY-1951 Haagse_Harry", true).as_deref(),
            Some("MCH-0234567")
        );
        assert_eq!(
            subject("X F X Haagse_Harry", true).as_deref(),
            Some("Haagse_Harry")
        );
        assert_eq!(subject("X X X X", true), None);
        assert_eq!(subject("", true), None);
    }

    #[test]
    fn plain_edf_keeps_the_field() {
        assert_eq!(
            subject("P012 knee study", false).as_deref(),
            Some("P012 knee study")
        );
        assert_eq!(subject("", false), None);
    }
}
