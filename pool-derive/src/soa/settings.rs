//! The struct's settings once validation has checked them: what the expansion and the fallback
//! read. Here, below both `valid.rs` (which builds them) and the generating modules, so that
//! checking and generating never import each other.

use proc_macro2::TokenStream;

use crate::names::Names;
use crate::soa::attr::ResetMode;

/// The settings the expansion uses: every value checked, or its default.
pub(crate) struct Settings {
    pub lanes: usize,
    pub align: usize,
    /// Whether `align` was written (the alignment messages differ).
    pub align_explicit: bool,
    pub reset: ResetMode,
    pub krate: TokenStream,
    pub derives: Vec<TokenStream>,
    pub forwarded: Vec<TokenStream>,
    /// The generated types' names, renamed ones checked for clashes.
    pub names: Names,
}
