//! The one pseudo-random source of this crate's unit tests.

/// Steps a 64-bit linear congruential generator (Knuth's MMIX constants) and returns its high
/// bits, which are the well-mixed ones.
pub(crate) fn next_random(state: &mut u64) -> u32 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 33) as u32
}
