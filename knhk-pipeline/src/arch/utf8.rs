//! A byte buffer taken as a `String` after a SIMD UTF-8 check.
//!
//! `String::from_utf8` validates with std's scalar loop (about half an instruction per byte
//! on ASCII); simdutf8 checks 32 bytes per step with AVX2 (chosen at run time). Its answer is
//! yes or no, so the `String` is made without a second check: the one `unsafe` here.

/// `bytes` as a `String` when they are UTF-8, else the bytes back unchanged (find where they go
/// wrong with [`std::str::from_utf8`]). Moves the buffer: nothing is copied or allocated.
pub fn string_from_utf8(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: simdutf8 has just checked that all of `bytes` is valid UTF-8, and the buffer is
    // not changed between the check and the conversion.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_becomes_a_string_and_anything_else_comes_back_unchanged() {
        let text = "<http://e/é> <http://e/p> \"日本\" .\n".repeat(5);
        assert_eq!(
            string_from_utf8(text.clone().into_bytes()),
            Ok(text.clone())
        );
        assert_eq!(string_from_utf8(Vec::new()), Ok(String::new()));
        // A lone continuation byte, a cut sequence and an overlong encoding, anywhere.
        for bad in [&[0x80][..], &[0xE6, 0x97], &[0xC0, 0xAF]] {
            for at in [0, 7, text.len()] {
                let mut bytes = text.clone().into_bytes();
                bytes.splice(at..at, bad.iter().copied());
                assert_eq!(string_from_utf8(bytes.clone()), Err(bytes));
            }
        }
    }
}
