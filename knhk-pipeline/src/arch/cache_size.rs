//! The size of the CPU's last-level cache, as Linux reports it in sysfs: the pipeline
//! prefetches dictionary entries only once the dictionary outgrows that cache, where a lookup
//! would wait for memory (below it, the hints cost instructions and save nothing).

use std::sync::OnceLock;

/// Bytes of the largest cache of CPU 0 (`/sys/devices/system/cpu/cpu0/cache/index*/size`),
/// read once a process; `None` where sysfs does not say (other systems).
pub fn last_level_cache_bytes() -> Option<usize> {
    static SIZE: OnceLock<Option<usize>> = OnceLock::new();
    *SIZE.get_or_init(|| {
        let entries = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
        entries
            .filter_map(|entry| {
                let text = std::fs::read_to_string(entry.ok()?.path().join("size")).ok()?;
                parse_cache_size(&text)
            })
            .max()
    })
}

/// A sysfs cache size: a number with an optional `K`, `M` or `G` suffix (`"307200K\n"`).
fn parse_cache_size(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (at, 'K') => (&text[..at], 1 << 10),
        (at, 'M') => (&text[..at], 1 << 20),
        (at, 'G') => (&text[..at], 1 << 30),
        _ => (text, 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysfs_sizes_are_read_with_their_units() {
        assert_eq!(parse_cache_size("307200K\n"), Some(300 << 20));
        assert_eq!(parse_cache_size("32M"), Some(32 << 20));
        assert_eq!(parse_cache_size("1G"), Some(1 << 30));
        assert_eq!(parse_cache_size("512"), Some(512));
        assert_eq!(parse_cache_size(""), None);
        assert_eq!(parse_cache_size("K"), None);
        assert_eq!(parse_cache_size("lots"), None);
    }

    #[test]
    fn the_last_level_cache_is_at_least_a_first_level_one_where_known() {
        if let Some(bytes) = last_level_cache_bytes() {
            assert!(bytes >= 4 << 10, "{bytes}");
        }
    }
}
