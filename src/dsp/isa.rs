//! Which vector instruction set the hot loops run with, chosen once at run time.
//!
//! A kernel with a hot loop compiles it twice: for the target's baseline and, on x86-64,
//! inside a `#[target_feature(enable = "avx2")]` function. Both copies perform the same IEEE
//! operations in the same order (no fused multiply–add, no reassociation), so the choice
//! changes speed only, never a result.

/// The instruction set a hot loop runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// The target's baseline (SSE2 on x86-64).
    Portable,
    /// AVX2. Only [`Isa::detect`] makes this value, after the CPU reported AVX2, which is
    /// what makes calling the AVX2 copies sound.
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Isa {
    /// The best instruction set this CPU offers.
    pub(crate) fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            return Isa::Avx2;
        }
        Isa::Portable
    }
}
