//! Which vector instruction set the hot loops run with, chosen once at run time.
//!
//! A kernel with a hot loop compiles it twice: for the target's baseline and, on x86-64,
//! inside a `#[target_feature(enable = "avx2")]` function; the multi-channel filter loop a
//! third time with AVX-512 enabled. Every copy performs the same IEEE operations in the same
//! order (no fused multiply–add, no reassociation), so the choice changes speed only, never
//! a result.

/// The instruction set a hot loop runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// The target's baseline (SSE2 on x86-64).
    Portable,
    /// AVX2. Only [`Isa::detect`] makes this value, after the CPU reported AVX2, which is
    /// what makes calling the AVX2 copies sound.
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// AVX2 with AVX-512 (F and VL) beside it: twice the vector registers (32), so the
    /// multi-channel filter keeps eight channels' state in registers where AVX2 alone
    /// spills it. Kernels without an AVX-512 copy run their AVX2 one. Only [`Isa::detect`]
    /// makes this value, after the CPU reported all three.
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    /// The best instruction set this CPU offers.
    pub(crate) fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            let wide = std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512vl");
            return if wide { Isa::Avx512 } else { Isa::Avx2 };
        }
        Isa::Portable
    }

    /// Channels a multi-channel filter runs side by side at full speed: one biquad
    /// recursion is bound by its latency, so more independent channels fill the vector
    /// units, until their state no longer fits the registers (measured: four channels with
    /// AVX2's 16 registers, eight with AVX-512's 32).
    pub(crate) fn filter_lanes(self) -> usize {
        match self {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => 8,
            _ => 4,
        }
    }

    /// Every instruction set this CPU can run, the baseline first: what the tests compare.
    #[cfg(test)]
    pub(crate) fn available() -> Vec<Isa> {
        let mut isas = vec![Isa::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            let best = Isa::detect();
            if best != Isa::Portable {
                isas.push(Isa::Avx2);
            }
            if best == Isa::Avx512 {
                isas.push(Isa::Avx512);
            }
        }
        isas
    }
}
