//! `--skip-existing`: an input whose output is complete is not processed again, so a
//! batch that partly failed (a task killed at its time limit, a node lost) is finished by
//! running the same command again. Outputs are written under a hidden temporary name and
//! renamed into place when complete (`store::atomic`), so a file at the output's own path
//! is a finished one; it must also start with the HDF5 signature, so an empty or foreign
//! file left there by something else is redone rather than trusted.

use std::io::Read;
use std::path::Path;

/// The first bytes of every HDF5 file (its superblock signature at offset 0, where
/// myobalance writes it).
const HDF5_SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// Whether `output` is a complete output.
pub fn is_complete(output: &Path) -> bool {
    let mut head = [0u8; 8];
    std::fs::File::open(output)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == HDF5_SIGNATURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_with_the_signature_counts() {
        let dir = std::env::temp_dir().join(format!("myobalance-skip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("s1.h5");
        assert!(!is_complete(&out));
        std::fs::write(&out, b"").unwrap();
        assert!(!is_complete(&out));
        let mut bytes = HDF5_SIGNATURE.to_vec();
        bytes.extend_from_slice(&[0; 100]);
        std::fs::write(&out, &bytes).unwrap();
        assert!(is_complete(&out));
        // A half-written output has only its temporary name.
        let temporary = dir.join(".s2.h5.1234.tmp");
        std::fs::write(&temporary, &bytes).unwrap();
        assert!(!is_complete(&dir.join("s2.h5")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
