//! Merging the manifests of an input's parts ([`merge`]): refuse parts that do not belong
//! together, sum the counts, merge each hook's receipts with [`Receipt::merge`] and decide
//! whether it fires from the merged result (never from the parts' own decisions: `unique_sp`
//! fires on a sum of 1 and `count_*_le` on a small sum, which no part alone can tell), and
//! compute the merged root ([`super::merged`]).

use crate::ops::OpKind;
use crate::provenance::lockchain::LOCKCHAIN_VERSION;
use crate::provenance::merkle::merkle_root;
use crate::provenance::receipt::Receipt;
use crate::provenance::Hash256;

use super::manifest::{Counts, HookResult, Manifest, Measured, MANIFEST_FORMAT, MANIFEST_VERSION};
use super::merged::{MergedHook, MergedManifest, MERGED_FORMAT, MERGED_VERSION};
use super::range::ShardIndex;

/// A manifest and the name errors call it by (its file, or its line in a merged manifest).
#[derive(Clone, Debug)]
pub struct Named {
    /// How messages name it.
    pub name: String,
    /// The manifest.
    pub manifest: Manifest,
}

/// Why manifests cannot be merged. Each names the culprit.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No manifest was given.
    #[error("no manifest to merge: give the manifests of every part")]
    Empty,
    /// A manifest of another format or version.
    #[error("{name}: {field} is {found}, but this knhk reads {expected}: merge manifests written by the same version of knhk")]
    Version {
        /// The manifest.
        name: String,
        /// `format`, `version` or `lockchain_version`.
        field: &'static str,
        /// What it holds.
        found: String,
        /// What is expected.
        expected: String,
    },
    /// A manifest of another input.
    #[error("{name}: a part of another input than {first} ({found} against {expected}): merge the parts of one input only")]
    DifferentInput {
        /// The manifest.
        name: String,
        /// The first manifest.
        first: String,
        /// Its input.
        found: String,
        /// The first one's.
        expected: String,
    },
    /// A manifest made with another hook file.
    #[error("{name}: run with another hook file than {first} ({found} against {expected}): run every part with the same hook file")]
    DifferentHooks {
        /// The manifest.
        name: String,
        /// The first manifest.
        first: String,
        /// Its hook file.
        found: String,
        /// The first one's.
        expected: String,
    },
    /// Parts of splits into different numbers of shards.
    #[error("{name} is {found}, but {first} is {first_part}: merge the parts of one split")]
    DifferentSplit {
        /// The manifest.
        name: String,
        /// Its part.
        found: String,
        /// The first manifest.
        first: String,
        /// The first one's part.
        first_part: String,
    },
    /// One part given twice.
    #[error("{second}: {part} was given twice (also as {first})")]
    Duplicate {
        /// The part.
        part: String,
        /// The first time.
        first: String,
        /// The second.
        second: String,
    },
    /// A shard of the split is missing.
    #[error("shard {shard} is missing: give the manifest of every shard of the split")]
    MissingShard {
        /// The missing shard.
        shard: ShardIndex,
    },
    /// Manifests are not in the input's order.
    #[error("{name}: {part} comes after {previous}, which starts later in the input: the parts are out of order")]
    OutOfOrder {
        /// The manifest.
        name: String,
        /// Its part.
        part: String,
        /// The one before it.
        previous: String,
    },
    /// Bytes no part owns.
    #[error("bytes {from}..{to} of the input are owned by no part ({where_}): give the missing part's manifest")]
    Gap {
        /// First byte not owned.
        from: u64,
        /// One past the last.
        to: u64,
        /// Between which parts.
        where_: String,
    },
    /// Bytes owned by two parts.
    #[error("{second} ({second_part}) overlaps {first} ({first_part}): the ranges do not tile the input")]
    Overlap {
        /// The earlier part's manifest.
        first: String,
        /// Its part.
        first_part: String,
        /// The later one.
        second: String,
        /// Its part.
        second_part: String,
    },
    /// Neighbouring parts that did not read neighbouring bytes.
    #[error("{second} read from byte {found}, but {first} read up to byte {expected}: the parts were read from different files or by a different rule")]
    ReadMismatch {
        /// The earlier part.
        first: String,
        /// The later part.
        second: String,
        /// Where the earlier one stopped.
        expected: u64,
        /// Where the later one started.
        found: u64,
    },
    /// A hook kind this knhk does not know.
    #[error("{name}: hook {hook} has kind {kind:?}, which this knhk does not know")]
    UnknownKind {
        /// The manifest.
        name: String,
        /// The hook.
        hook: String,
        /// The kind.
        kind: String,
    },
}

fn input_of(manifest: &Manifest) -> String {
    format!(
        "{} bytes, identity {}",
        manifest.input.bytes,
        blake3::Hash::from_bytes(manifest.input.identity).to_hex()
    )
}

fn hooks_of(manifest: &Manifest) -> String {
    format!(
        "{}, {} hooks, hash {}",
        manifest.hooks.name,
        manifest.hooks_results.len(),
        blake3::Hash::from_bytes(manifest.hooks.hash).to_hex()
    )
}

fn same_hooks(a: &[HookResult], b: &[HookResult]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(a, b)| a.name == b.name && a.kind == b.kind && a.k == b.k)
}

/// The order of parts in the input: by owned start, then shard index, then end.
fn order_key(manifest: &Manifest) -> (u64, u32, u64) {
    (
        manifest.owned.start,
        manifest.shard.map_or(0, |s| s.index),
        manifest.owned.end,
    )
}

/// Merges manifests given in any order: they are put in the input's order first.
///
/// # Errors
///
/// The first [`MergeError`] found, naming the manifest.
pub fn merge(mut parts: Vec<Named>) -> Result<MergedManifest, MergeError> {
    check_alike(&parts)?;
    check_shards(&parts)?;
    parts.sort_by_key(|part| order_key(&part.manifest));
    merge_in_order(parts)
}

/// Merges manifests that must already be in the input's order (as a merged manifest holds
/// them).
///
/// # Errors
///
/// The first [`MergeError`] found, naming the manifest; [`MergeError::OutOfOrder`] for parts
/// out of order.
pub fn merge_in_order(parts: Vec<Named>) -> Result<MergedManifest, MergeError> {
    check_alike(&parts)?;
    for pair in parts.windows(2) {
        if order_key(&pair[1].manifest) < order_key(&pair[0].manifest) {
            return Err(MergeError::OutOfOrder {
                name: pair[1].name.clone(),
                part: pair[1].manifest.describe(),
                previous: pair[0].manifest.describe(),
            });
        }
    }
    check_shards(&parts)?;
    check_tiling(&parts)?;
    combine(parts)
}

fn check_alike(parts: &[Named]) -> Result<(), MergeError> {
    let first = parts.first().ok_or(MergeError::Empty)?;
    for part in parts {
        let m = &part.manifest;
        let version = |field, found: String, expected: String| MergeError::Version {
            name: part.name.clone(),
            field,
            found,
            expected,
        };
        if m.format != MANIFEST_FORMAT {
            return Err(version(
                "format",
                format!("{:?}", m.format),
                format!("{MANIFEST_FORMAT:?}"),
            ));
        }
        if m.version != MANIFEST_VERSION {
            return Err(version(
                "version",
                m.version.to_string(),
                MANIFEST_VERSION.to_string(),
            ));
        }
        if m.lockchain_version != LOCKCHAIN_VERSION {
            let (found, expected) = (m.lockchain_version, LOCKCHAIN_VERSION);
            return Err(version(
                "lockchain_version",
                found.to_string(),
                expected.to_string(),
            ));
        }
        let f = &first.manifest;
        if (m.input.bytes, m.input.identity) != (f.input.bytes, f.input.identity) {
            return Err(MergeError::DifferentInput {
                name: part.name.clone(),
                first: first.name.clone(),
                found: input_of(m),
                expected: input_of(f),
            });
        }
        if m.hooks.hash != f.hooks.hash || !same_hooks(&m.hooks_results, &f.hooks_results) {
            return Err(MergeError::DifferentHooks {
                name: part.name.clone(),
                first: first.name.clone(),
                found: hooks_of(m),
                expected: hooks_of(f),
            });
        }
        if m.shard.map(|s| s.count) != f.shard.map(|s| s.count) {
            return Err(MergeError::DifferentSplit {
                name: part.name.clone(),
                found: m.describe(),
                first: first.name.clone(),
                first_part: f.describe(),
            });
        }
    }
    Ok(())
}

/// Each shard of a split once, none missing (byte ranges are checked by the tiling).
fn check_shards(parts: &[Named]) -> Result<(), MergeError> {
    let Some(count) = parts[0].manifest.shard.map(|s| s.count) else {
        return Ok(());
    };
    let mut seen: Vec<Option<&Named>> = vec![None; count as usize];
    for part in parts {
        let shard = part
            .manifest
            .shard
            .unwrap_or(ShardIndex { index: 0, count });
        let slot = &mut seen[(shard.index as usize).min(count as usize - 1)];
        if let Some(first) = slot {
            return Err(MergeError::Duplicate {
                part: format!("shard {shard}"),
                first: first.name.clone(),
                second: part.name.clone(),
            });
        }
        *slot = Some(part);
    }
    if let Some(index) = seen.iter().position(Option::is_none) {
        return Err(MergeError::MissingShard {
            shard: ShardIndex {
                index: index as u32,
                count,
            },
        });
    }
    Ok(())
}

/// Owned ranges tile `[0, size)` and read ranges meet.
fn check_tiling(parts: &[Named]) -> Result<(), MergeError> {
    let size = parts[0].manifest.input.bytes;
    let first = &parts[0];
    if first.manifest.owned.start != 0 {
        return Err(MergeError::Gap {
            from: 0,
            to: first.manifest.owned.start,
            where_: format!("before {}", first.name),
        });
    }
    for pair in parts.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ma, mb) = (&a.manifest, &b.manifest);
        if ma.owned == mb.owned && ma.shard.is_none() {
            return Err(MergeError::Duplicate {
                part: mb.describe(),
                first: a.name.clone(),
                second: b.name.clone(),
            });
        }
        if mb.owned.start > ma.owned.end {
            return Err(MergeError::Gap {
                from: ma.owned.end,
                to: mb.owned.start,
                where_: format!("between {} and {}", a.name, b.name),
            });
        }
        if mb.owned.start < ma.owned.end {
            return Err(MergeError::Overlap {
                first: a.name.clone(),
                first_part: ma.describe(),
                second: b.name.clone(),
                second_part: mb.describe(),
            });
        }
        if mb.read.start != ma.read.end {
            return Err(MergeError::ReadMismatch {
                first: a.name.clone(),
                second: b.name.clone(),
                expected: ma.read.end,
                found: mb.read.start,
            });
        }
    }
    let last = &parts[parts.len() - 1];
    if last.manifest.owned.end != size {
        return Err(MergeError::Gap {
            from: last.manifest.owned.end,
            to: size,
            where_: format!("after {}", last.name),
        });
    }
    Ok(())
}

/// The merged manifest of parts that belong together, in order.
fn combine(parts: Vec<Named>) -> Result<MergedManifest, MergeError> {
    let first = &parts[0].manifest;
    let mut counts = Counts::default();
    let mut elapsed_us = 0;
    let mut allocations = Some(0u64);
    let mut hooks: Vec<(Receipt, u64)> = vec![(Receipt::IDENTITY, 0); first.hooks_results.len()];
    for part in &parts {
        let m = &part.manifest;
        counts = counts.sum(&m.counts);
        elapsed_us = elapsed_us.max(m.measured.elapsed_us);
        allocations = allocations
            .zip(m.measured.hot_path_allocations)
            .map(|(a, b)| a + b);
        for (index, (hook, (merged, receipts))) in
            m.hooks_results.iter().zip(&mut hooks).enumerate()
        {
            *merged = merged.merge(&hook.receipt(index as u32));
            *receipts += hook.receipts;
        }
    }
    let hooks_results = first
        .hooks_results
        .iter()
        .zip(hooks)
        .map(|(hook, (merged, receipts))| {
            let kind = OpKind::from_name(&hook.kind).ok_or_else(|| MergeError::UnknownKind {
                name: parts[0].name.clone(),
                hook: hook.name.clone(),
                kind: hook.kind.clone(),
            })?;
            Ok(MergedHook {
                name: hook.name.clone(),
                kind: hook.kind.clone(),
                k: hook.k,
                result: merged.result,
                fired: kind.spec().fires.fires(merged.result, hook.k),
                lanes: merged.lanes,
                receipts,
                hash: merged.a_hash,
                ticks: merged.ticks,
            })
        })
        .collect::<Result<Vec<_>, MergeError>>()?;
    let leaves: Vec<Hash256> = parts.iter().map(|part| part.manifest.hash()).collect();
    Ok(MergedManifest {
        format: MERGED_FORMAT.to_owned(),
        version: MERGED_VERSION,
        input: first.input.clone(),
        hooks: first.hooks.clone(),
        parts: parts.len() as u64,
        root: merkle_root(&leaves),
        part_hashes: leaves,
        counts,
        hooks_results,
        measured: Measured {
            elapsed_us,
            hot_path_allocations: allocations,
        },
        manifests: parts.into_iter().map(|part| part.manifest).collect(),
    })
}
