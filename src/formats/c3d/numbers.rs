//! The three number encodings of C3D files, chosen by the processor byte of the parameter
//! section (byte 4 of its first block): 84 Intel (little-endian integers, IEEE floats),
//! 85 DEC (little-endian integers, VAX F-floats), 86 MIPS/SGI (big-endian integers and IEEE
//! floats). Every 16-bit word and 32-bit float of the header, the parameters and the data
//! is read through [`Processor`]; nothing else in the reader knows about byte order.

/// How a file encodes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Processor {
    Intel,
    Dec,
    Mips,
}

impl Processor {
    /// The processor from its byte (83 + type): `None` for anything but 84, 85 and 86.
    pub(crate) fn from_byte(byte: u8) -> Option<Processor> {
        match byte {
            84 => Some(Processor::Intel),
            85 => Some(Processor::Dec),
            86 => Some(Processor::Mips),
            _ => None,
        }
    }

    /// The unsigned 16-bit word at `at`, `None` past the end of `bytes`.
    pub(crate) fn u16_at(self, bytes: &[u8], at: usize) -> Option<u16> {
        let word: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(match self {
            Processor::Mips => u16::from_be_bytes(word),
            Processor::Intel | Processor::Dec => u16::from_le_bytes(word),
        })
    }

    /// The signed 16-bit word at `at`.
    pub(crate) fn i16_at(self, bytes: &[u8], at: usize) -> Option<i16> {
        self.u16_at(bytes, at).map(|w| w as i16)
    }

    /// The 32-bit float at `at`, in this processor's float format.
    pub(crate) fn f32_at(self, bytes: &[u8], at: usize) -> Option<f32> {
        let word: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(match self {
            Processor::Intel => f32::from_le_bytes(word),
            Processor::Mips => f32::from_be_bytes(word),
            Processor::Dec => vax_f(word),
        })
    }
}

/// A VAX F-float as stored by DEC C3D files: two little-endian 16-bit words, the first
/// holding the sign (bit 15), an excess-128 exponent (bits 14–7) and the top 7 fraction
/// bits, the second the low 16 fraction bits. The value is 0.1f × 2^(e − 128) with a hidden
/// leading 1, i.e. (1 + f/2²³) × 2^(e − 129); an exponent of 0 is zero (sign clear) or a
/// "reserved operand" (sign set), read here as NaN.
///
/// ```text
/// bytes 80 40 00 00 → 1.0     bytes C0 40 00 00 → 1.5     bytes 80 C0 00 00 → −1.0
/// ```
pub(crate) fn vax_f(bytes: [u8; 4]) -> f32 {
    let high = u16::from_le_bytes([bytes[0], bytes[1]]) as u32;
    let low = u16::from_le_bytes([bytes[2], bytes[3]]) as u32;
    let bits = (high << 16) | low;
    let negative = bits >> 31 == 1;
    let exponent = ((bits >> 23) & 0xFF) as i32;
    let fraction = bits & 0x7F_FFFF;
    if exponent == 0 {
        return if negative { f32::NAN } else { 0.0 };
    }
    // (2²³ + f) × 2^(e − 129 − 23), exact in f64; the cast to f32 rounds only the tiny
    // values below f32's normal range (e < 3).
    let magnitude = f64::from(0x80_0000 | fraction) * 2f64.powi(exponent - 152);
    let value = if negative { -magnitude } else { magnitude };
    value as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// VAX F-float bit patterns from the VAX architecture's definition (value = 0.1f × 2^(e−128)):
    /// 1.0 is exponent 129 with a zero fraction, i.e. the first word 0x4080.
    #[test]
    fn vax_f_known_values() {
        assert_eq!(vax_f([0x80, 0x40, 0, 0]), 1.0);
        assert_eq!(vax_f([0xC0, 0x40, 0, 0]), 1.5);
        assert_eq!(vax_f([0x80, 0xC0, 0, 0]), -1.0);
        assert_eq!(vax_f([0x00, 0x41, 0, 0]), 2.0);
        // 0.5: exponent 128.
        assert_eq!(vax_f([0x00, 0x40, 0, 0]), 0.5);
        assert_eq!(vax_f([0, 0, 0, 0]), 0.0);
        assert!(vax_f([0x00, 0x80, 0, 0]).is_nan());
        // The low word carries the low fraction bits: 1 + 2⁻²³.
        assert_eq!(vax_f([0x80, 0x40, 0x01, 0x00]), 1.0 + f32::EPSILON);
    }

    /// The same value in the three encodings.
    #[test]
    fn encodings_agree() {
        let x = -1234.5f32;
        let le = x.to_le_bytes();
        let be = x.to_be_bytes();
        // VAX: IEEE bits with the exponent raised by 2 (×4 scale), words swapped.
        let ieee = x.to_bits();
        let vax_bits = ieee + (2 << 23);
        let vax = [
            (vax_bits >> 16) as u8,
            (vax_bits >> 24) as u8,
            vax_bits as u8,
            (vax_bits >> 8) as u8,
        ];
        assert_eq!(Processor::Intel.f32_at(&le, 0), Some(x));
        assert_eq!(Processor::Mips.f32_at(&be, 0), Some(x));
        assert_eq!(Processor::Dec.f32_at(&vax, 0), Some(x));
        assert_eq!(Processor::Intel.i16_at(&[0xFE, 0xFF], 0), Some(-2));
        assert_eq!(Processor::Dec.u16_at(&[0x34, 0x12], 0), Some(0x1234));
        assert_eq!(Processor::Mips.u16_at(&[0x12, 0x34], 0), Some(0x1234));
        assert_eq!(Processor::Intel.u16_at(&[0x12], 0), None);
        assert_eq!(Processor::Intel.f32_at(&le, usize::MAX), None);
    }

    #[test]
    fn processor_bytes() {
        assert_eq!(Processor::from_byte(84), Some(Processor::Intel));
        assert_eq!(Processor::from_byte(85), Some(Processor::Dec));
        assert_eq!(Processor::from_byte(86), Some(Processor::Mips));
        assert_eq!(Processor::from_byte(83), None);
        assert_eq!(Processor::from_byte(87), None);
    }
}
