//! Receipt lines: one receipt, its hook by name and kind (see the [format](super)).

use std::io;

use super::fields::line_format;
use crate::hooks::Hook;
use crate::provenance::lockchain::{leaf_hash, ReceiptView};
use crate::provenance::receipt::Receipt;
use crate::provenance::Hash256;

/// A receipt line, read back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiptRecord {
    /// The receipt; its `hook` index, which lines do not carry, is 0.
    pub receipt: Receipt,
    /// The hook's name.
    pub hook: String,
    /// The hook's kind.
    pub kind: String,
}

line_format! {
    ReceiptRecord as "struct ReceiptRecord", view: ReceiptView<'_> = |record| record.view();
    seq: Number = receipt.seq,
    cycle: Number = receipt.cycle,
    shard: Number = receipt.shard,
    hook: Name = hook,
    kind: Name = kind,
    predicate: Number = receipt.predicate,
    lanes: Number = receipt.lanes,
    result: Number = receipt.result,
    ticks: Measured = receipt.ticks,
    span_id: Id = receipt.span_id,
    a_hash: Hash = receipt.a_hash,
}

impl ReceiptRecord {
    /// The line's fields, as the lockchain hashes them.
    pub fn view(&self) -> ReceiptView<'_> {
        ReceiptView {
            receipt: &self.receipt,
            hook: &self.hook,
            kind: &self.kind,
        }
    }

    /// Its Merkle leaf hash.
    pub fn leaf_hash(&self) -> Hash256 {
        leaf_hash(self.view())
    }
}

/// Writes one receipt as a JSON object on one line, allocating nothing. Hook names are
/// restricted to characters that need no JSON escaping (see
/// [`crate::hooks::HookRegistry::register`]).
///
/// # Errors
///
/// The writer's error.
#[inline]
pub fn write_receipt_json<W: io::Write + ?Sized>(
    out: &mut W,
    receipt: &Receipt,
    hook: &Hook,
) -> io::Result<()> {
    ReceiptRecord::write_view(out, &ReceiptView::new(receipt, hook))
}
