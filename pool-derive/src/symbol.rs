//! Every attribute key, once (serde_derive's `symbol.rs`): parsing, the unknown-key messages and
//! the misspelling hints all read these tables, so a key is never listed twice.

/// An attribute key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symbol(pub &'static str);

impl Symbol {
    pub(crate) fn is(self, path: &syn::Path) -> bool {
        path.is_ident(self.0)
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

pub(crate) const SOA: Symbol = Symbol("soa");
pub(crate) const RESET: Symbol = Symbol("reset");

/// `#[soa(...)]` on the struct.
pub(crate) const LANES: Symbol = Symbol("lanes");
pub(crate) const ALIGN: Symbol = Symbol("align");
pub(crate) const RESET_MODE: Symbol = Symbol("reset");
pub(crate) const CRATE: Symbol = Symbol("crate");
pub(crate) const DERIVE: Symbol = Symbol("derive");
pub(crate) const ATTR: Symbol = Symbol("attr");
pub(crate) const NAMES: Symbol = Symbol("names");
/// Inside `#[soa(names(...))]`: one key per generated type.
pub(crate) const BLOCK: Symbol = Symbol("block");
pub(crate) const GUARD: Symbol = Symbol("guard");
pub(crate) const SYNC_GUARD: Symbol = Symbol("sync_guard");
pub(crate) const OWNED_GUARD: Symbol = Symbol("owned_guard");
pub(crate) const ROW_REF: Symbol = Symbol("row_ref");
pub(crate) const ROW_MUT: Symbol = Symbol("row_mut");
pub(crate) const LANES_MUT: Symbol = Symbol("lanes_mut");
pub(crate) const COLUMNS: Symbol = Symbol("columns");
/// `#[soa(...)]` on a field.
pub(crate) const PER_BLOCK: Symbol = Symbol("per_block");
/// `#[reset(...)]` on a field (`crate` goes on the struct).
pub(crate) const SKIP: Symbol = Symbol("skip");
pub(crate) const WITH: Symbol = Symbol("with");

/// How a key is written, for messages: `lanes = N` or `derive(...)`.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    pub symbol: Symbol,
    pub usage: &'static str,
}

/// The keys of `#[soa(...)]` on the struct, in the order the docs list them.
pub(crate) const SOA_STRUCT_KEYS: &[Key] = &[
    Key {
        symbol: LANES,
        usage: "lanes = N",
    },
    Key {
        symbol: ALIGN,
        usage: "align = A",
    },
    Key {
        symbol: RESET_MODE,
        usage: "reset = \"clear\"|\"zero\"",
    },
    Key {
        symbol: CRATE,
        usage: "crate = \"path\"",
    },
    Key {
        symbol: DERIVE,
        usage: "derive(...)",
    },
    Key {
        symbol: ATTR,
        usage: "attr(...)",
    },
    Key {
        symbol: NAMES,
        usage: "names(...)",
    },
];

/// The keys of `#[soa(names(...))]`: `names.rs`'s table of generated types reads them.
pub(crate) const NAME_KEYS: &[Key] = &[
    Key {
        symbol: BLOCK,
        usage: "block = Name",
    },
    Key {
        symbol: GUARD,
        usage: "guard = Name",
    },
    Key {
        symbol: SYNC_GUARD,
        usage: "sync_guard = Name",
    },
    Key {
        symbol: OWNED_GUARD,
        usage: "owned_guard = Name",
    },
    Key {
        symbol: ROW_REF,
        usage: "row_ref = Name",
    },
    Key {
        symbol: ROW_MUT,
        usage: "row_mut = Name",
    },
    Key {
        symbol: LANES_MUT,
        usage: "lanes_mut = Name",
    },
    Key {
        symbol: COLUMNS,
        usage: "columns = Name",
    },
];

/// The keys of `#[soa(...)]` on a field.
pub(crate) const SOA_FIELD_KEYS: &[Key] = &[Key {
    symbol: PER_BLOCK,
    usage: "per_block",
}];

/// The keys of `#[reset(...)]` on the struct.
pub(crate) const RESET_STRUCT_KEYS: &[Key] = &[Key {
    symbol: CRATE,
    usage: "crate = \"path\"",
}];

/// The keys of `#[reset(...)]` on a field.
pub(crate) const RESET_FIELD_KEYS: &[Key] = &[
    Key {
        symbol: SKIP,
        usage: "skip",
    },
    Key {
        symbol: WITH,
        usage: "with = path",
    },
];

/// "`lanes = N`, `align = A`, ...": the keys, for an unknown-key message.
pub(crate) fn list(keys: &[Key]) -> String {
    keys.iter()
        .map(|key| format!("`{}`", key.usage))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key in `keys` within two edits of a misspelt `name`, if any.
pub(crate) fn closest(name: &str, keys: &[Key]) -> Option<Symbol> {
    keys.iter()
        .map(|key| (edit_distance(name, key.symbol.0), key.symbol.0))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, known)| Symbol(known))
}

/// Whether `name` is one of `keys`.
pub(crate) fn contains(keys: &[Key], name: &str) -> bool {
    keys.iter().any(|key| key.symbol.0 == name)
}

/// Levenshtein distance, for the few short keys above.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_get_the_nearest_known_key() {
        let nearest = |name| closest(name, SOA_STRUCT_KEYS).map(|symbol| symbol.0);
        assert_eq!(nearest("lane"), Some("lanes"));
        assert_eq!(nearest("alignment"), None);
        assert_eq!(nearest("aling"), Some("align"));
        assert_eq!(nearest("colour"), None);
        assert_eq!(
            closest("perblock", SOA_FIELD_KEYS).map(|s| s.0),
            Some("per_block")
        );
        assert_eq!(closest("skp", RESET_FIELD_KEYS).map(|s| s.0), Some("skip"));
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn key_lists_read_as_the_docs_write_them() {
        assert_eq!(
            list(SOA_STRUCT_KEYS),
            "`lanes = N`, `align = A`, `reset = \"clear\"|\"zero\"`, `crate = \"path\"`, \
             `derive(...)`, `attr(...)`, `names(...)`"
        );
    }
}
