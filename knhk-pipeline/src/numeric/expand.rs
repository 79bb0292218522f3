//! The exact decimal expansion of a double, written into a stack buffer.

use super::value::Finite;

/// Room for the exact decimal expansion of any `f64` (at most 767 significant digits).
pub struct DigitBuffer {
    pub(super) digits: [u8; 800],
}

impl Default for DigitBuffer {
    fn default() -> Self {
        Self { digits: [0; 800] }
    }
}

impl std::fmt::Debug for DigitBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigitBuffer")
    }
}

/// Multiplies the little-endian base-10⁹ number `limbs[..*len]` by `factor` (< 2³²).
fn mul_small(limbs: &mut [u32], len: &mut usize, factor: u64) {
    let mut carry = 0u64;
    for limb in &mut limbs[..*len] {
        let product = u64::from(*limb) * factor + carry;
        *limb = (product % 1_000_000_000) as u32;
        carry = product / 1_000_000_000;
    }
    while carry > 0 {
        limbs[*len] = (carry % 1_000_000_000) as u32;
        carry /= 1_000_000_000;
        *len += 1;
    }
}

/// The exact decimal value of a finite, non-zero `x`.
pub(super) fn expand_f64(x: f64, buffer: &mut DigitBuffer) -> Finite<'_> {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exp2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return Finite::ZERO;
    }
    while mantissa & 1 == 0 {
        mantissa >>= 1;
        exp2 += 1;
    }
    // x = mantissa × 2^exp2 = mantissa × 5^(-exp2) × 10^exp2 when exp2 < 0.
    // A mantissa below 2^53 < 10^18 fits in two base-10^9 limbs.
    let mut limbs = [0u32; 96];
    limbs[0] = (mantissa % 1_000_000_000) as u32;
    limbs[1] = (mantissa / 1_000_000_000) as u32;
    let mut len = 2;
    while len > 1 && limbs[len - 1] == 0 {
        len -= 1;
    }
    let mut shift10 = 0i64;
    if exp2 >= 0 {
        let mut left = exp2;
        while left > 0 {
            let step = left.min(29);
            mul_small(&mut limbs, &mut len, 1 << step);
            left -= step;
        }
    } else {
        let mut left = -exp2;
        while left > 0 {
            let step = left.min(13);
            mul_small(&mut limbs, &mut len, 5u64.pow(step as u32));
            left -= step;
        }
        shift10 = exp2;
    }
    // Print the limbs, most significant first (the top one unpadded).
    let digits = &mut buffer.digits;
    let mut n = 0;
    let top = limbs[len - 1];
    let top_text = top.to_string();
    for b in top_text.bytes() {
        digits[n] = b;
        n += 1;
    }
    for limb in limbs[..len - 1].iter().rev() {
        let mut chunk = [b'0'; 9];
        let mut value = *limb;
        for slot in chunk.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        digits[n..n + 9].copy_from_slice(&chunk);
        n += 9;
    }
    Finite {
        negative,
        exp: n as i64 + shift10,
        head: &buffer.digits[..n],
        tail: b"",
    }
}
