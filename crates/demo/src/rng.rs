//! The demo's random source and the few sampling helpers it needs.
//!
//! Everything is drawn from one seeded generator per stage (catalog, accounts, dossiers), each
//! derived from the configured seed, so the same seed gives the same city whatever stage a
//! caller runs, and adding draws to one stage does not shift the others.

use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The generator for one stage of the demo: the seed mixed with the stage's name.
pub fn stage_rng(seed: u64, stage: &str) -> StdRng {
    // FNV-1a over the stage name, then mixed with the seed (SplitMix64 finaliser).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in stage.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    StdRng::seed_from_u64(z)
}

/// True with probability `p` (clamped to 0..=1).
pub fn chance(rng: &mut StdRng, p: f64) -> bool {
    rng.gen_bool(p.clamp(0.0, 1.0))
}

/// A uniformly chosen element (the slice must not be empty).
pub fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// A uniformly chosen string of a list (the list must not be empty).
pub fn pick_str(rng: &mut StdRng, items: &[&'static str]) -> &'static str {
    items[rng.gen_range(0..items.len())]
}

/// An index drawn with the given weights (the weights must not all be zero).
pub fn weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    WeightedIndex::new(weights).expect("weights are positive").sample(rng)
}

/// A random UUID (version 4 layout) as 36 lower-case hex characters with dashes.
pub fn uuid(rng: &mut StdRng) -> String {
    let mut b: [u8; 16] = rng.r#gen();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A string of `n` random decimal digits.
pub fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_version_4_layout() {
        let mut rng = stage_rng(1, "t");
        let u = uuid(&mut rng);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn stages_of_the_same_seed_draw_different_streams() {
        let a: u64 = stage_rng(7, "catalog").r#gen();
        let b: u64 = stage_rng(7, "dossiers").r#gen();
        let c: u64 = stage_rng(7, "catalog").r#gen();
        assert_ne!(a, b);
        assert_eq!(a, c);
    }
}
