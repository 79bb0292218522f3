//! Blank-node labels: the deterministic names given to the blank nodes oxttl names at random,
//! shared by the oxttl path and the fast path so both name a node alike (see the [parent
//! module](super)).

use std::collections::HashMap;
use std::fmt::Write as _;

use oxrdf::{BlankNode, BlankNodeRef, NamedOrBlankNode, Term as OxTerm, Triple as OxTriple};

use crate::ingest::term::{Literal, Term, Triple};

/// Deterministic labels for the blank nodes oxttl names at random (see the module docs).
#[derive(Default)]
pub(super) struct BlankLabels {
    pub(super) counters: HashMap<u128, u64>,
    subject: String,
    object: String,
}

impl BlankLabels {
    fn label<'s>(
        counters: &mut HashMap<u128, u64>,
        out: &'s mut String,
        node: &BlankNode,
    ) -> &'s str {
        out.clear();
        match node.as_ref().unique_id() {
            Some(id) => {
                let next = counters.len() as u64 + 1;
                let n = *counters.entry(id).or_insert(next);
                let _ = write!(out, "{n:x}");
            }
            None => out.push_str(node.as_str()),
        }
        out
    }

    /// Lends `triple` to `f` as a borrowed [`Triple`].
    pub(super) fn lend<E, F>(&mut self, triple: &OxTriple, f: &mut F) -> Result<(), E>
    where
        F: FnMut(Triple<'_>) -> Result<(), E>,
    {
        let BlankLabels {
            counters,
            subject: subject_label,
            object: object_label,
        } = self;
        let subject = match &triple.subject {
            NamedOrBlankNode::NamedNode(n) => Term::Iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => {
                Term::BlankNode(Self::label(counters, subject_label, b))
            }
        };
        let object = match &triple.object {
            OxTerm::NamedNode(n) => Term::Iri(n.as_str()),
            OxTerm::BlankNode(b) => Term::BlankNode(Self::label(counters, object_label, b)),
            OxTerm::Literal(l) => Term::Literal(match l.language() {
                Some(language) => Literal::lang_tagged(l.value(), language),
                None => Literal::typed(l.value(), l.datatype().as_str()),
            }),
        };
        f(Triple {
            subject,
            predicate: Term::Iri(triple.predicate.as_str()),
            object,
        })
    }
}

/// The reader's label for the statement's `k`th anonymous node: the counter's next value at
/// its first appearance (`numbers[k]`, 0 until then), under a fresh random key, as oxttl's
/// `BlankNode::default()` has, so that no label in the document can collide with it.
pub(super) fn anonymous_label_text(
    counters: &mut HashMap<u128, u64>,
    numbers: &mut [u64],
    k: u32,
    out: &mut String,
) {
    let number = &mut numbers[k as usize];
    if *number == 0 {
        let key = BlankNode::default()
            .as_ref()
            .unique_id()
            .expect("a default blank node has a numeric id");
        *number = counters.len() as u64 + 1;
        counters.insert(key, *number);
    }
    out.clear();
    let _ = write!(out, "{:x}", *number);
}

/// The reader's label for blank node label `label`: as written, unless oxrdf reads it as a
/// number, in which case the counter's (see the [parent module](super)).
pub(super) fn blank_label_text(counters: &mut HashMap<u128, u64>, label: &str, out: &mut String) {
    out.clear();
    match BlankNodeRef::new_unchecked(label).unique_id() {
        Some(id) => {
            let next = counters.len() as u64 + 1;
            let n = *counters.entry(id).or_insert(next);
            let _ = write!(out, "{n:x}");
        }
        None => out.push_str(label),
    }
}
