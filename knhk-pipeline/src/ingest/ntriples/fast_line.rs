//! The chunk parser's fast path: a line of the usual shape, `<iri> <iri> object .` with one
//! space between its parts, read straight into its [`TripleSpans`].
//!
//! The object is an IRI or a string literal without escapes, plain, with a language tag, or
//! `^^<datatype>`; every IRI is an absolute `http:` or `https:` one without escapes. Anything
//! else (blank nodes, escapes, other spacing, comments, other schemes, errors) is not read
//! here: the line goes to the [grammar](super::grammar), which accepts or rejects it. So the
//! fast path never decides what is valid: every line it reads, the grammar reads the same
//! way (the same ranges, the same end), with fewer tests and no scratch buffer.

use super::grammar::has_http_scheme;
use super::pieces::TripleSpans;
use crate::ingest::scan::TermScan;
use crate::ingest::term::RDF_LANG_STRING;

/// The triple on the line that starts at `b[start]` and where the line ends (its line break,
/// or the end of `b`), if the line has the fast path's shape; `None` sends the line to the
/// grammar.
#[inline(always)]
pub(super) fn fast_line(
    b: &[u8],
    start: usize,
    scan: impl TermScan,
) -> Option<(TripleSpans, usize)> {
    let (subject, at) = iri_at(b, start, scan)?;
    let (predicate, at) = iri_at(b, space_after(b, at)?, scan)?;
    let at = space_after(b, at)?;
    let (spans, at) = match *b.get(at)? {
        b'<' => {
            let (object, at) = iri_at(b, at, scan)?;
            (TripleSpans::iri_object(subject, predicate, object), at)
        }
        b'"' => {
            let value_start = at + 1;
            let value_end = value_start + scan.string_stop(b.get(value_start..)?)?;
            if b[value_end] != b'"' {
                return None;
            }
            let value = (value_start, value_end);
            match b.get(value_end + 1) {
                Some(b'@') => {
                    let (tag, at) = language_tag(b, value_end + 2)?;
                    (TripleSpans::lang_object(subject, predicate, value, tag), at)
                }
                Some(b'^') if b.get(value_end + 2) == Some(&b'^') => {
                    let (datatype, at) = iri_at(b, value_end + 3, scan)?;
                    // The grammar's error, not a datatype.
                    if &b[datatype.0..datatype.1] == RDF_LANG_STRING.as_bytes() {
                        return None;
                    }
                    (
                        TripleSpans::typed_object(subject, predicate, value, datatype),
                        at,
                    )
                }
                _ => (
                    TripleSpans::simple_object(subject, predicate, value),
                    value_end + 1,
                ),
            }
        }
        _ => return None,
    };
    // ` .`, then the line break or the end of the text.
    if b.get(at..at + 2) != Some(b" .") {
        return None;
    }
    let end = at + 2;
    match b.get(end) {
        None | Some(b'\n' | b'\r') => Some((spans, end)),
        Some(_) => None,
    }
}

/// Past the one space at `b[at]`.
#[inline(always)]
fn space_after(b: &[u8], at: usize) -> Option<usize> {
    (b.get(at) == Some(&b' ')).then_some(at + 1)
}

/// The IRI whose `<` is at `b[open]`, without escapes and with an `http:` or `https:` scheme:
/// its range (inside the brackets) and the position after its `>`.
#[inline(always)]
fn iri_at(b: &[u8], open: usize, scan: impl TermScan) -> Option<((usize, usize), usize)> {
    if b.get(open) != Some(&b'<') {
        return None;
    }
    let start = open + 1;
    let end = start + scan.iri_stop(b.get(start..)?)?;
    (b[end] == b'>' && starts_http(b, start, end)).then_some(((start, end), end + 1))
}

/// [`has_http_scheme`] of `b[start..end]`, where `b[end]` is the IRI's `>`: the first eight
/// bytes as one word and two masked compares, where the text has eight bytes from `start`
/// (it nearly always has: the line goes on after the IRI). A prefix that matches ends before
/// `end`, as `>` is in neither.
#[inline(always)]
fn starts_http(b: &[u8], start: usize, end: usize) -> bool {
    const HTTP: u64 = u64::from_le_bytes(*b"http:\0\0\0");
    const HTTPS: u64 = u64::from_le_bytes(*b"https:\0\0");
    match b.get(start..start + 8) {
        Some(&[b0, b1, b2, b3, b4, b5, b6, b7]) => {
            let word = u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
            (word & 0xFF_FFFF_FFFF == HTTP) | (word & 0xFFFF_FFFF_FFFF == HTTPS)
        }
        _ => has_http_scheme(&b[start..end]),
    }
}

/// The LANGTAG (`[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`) from `b[start]` (after the `@`): its range
/// and the position after it.
#[inline(always)]
fn language_tag(b: &[u8], start: usize) -> Option<((usize, usize), usize)> {
    let run = |from: usize, test: fn(&u8) -> bool| {
        from + b
            .get(from..)
            .map_or(0, |rest| rest.iter().take_while(|c| test(c)).count())
    };
    let mut end = run(start, u8::is_ascii_alphabetic);
    if end == start {
        return None;
    }
    while b.get(end) == Some(&b'-') {
        let sub = end + 1;
        end = run(sub, u8::is_ascii_alphanumeric);
        if end == sub {
            return None;
        }
    }
    Some(((start, end), end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Avx2Scan;
    use crate::ingest::ntriples::grammar::parse_pieces;
    use crate::ingest::scan::PortableScan;

    /// Lines of the fast path's shape and near it: every one the fast path reads must be read
    /// the same way by the grammar.
    const LINES: &[&str] = &[
        "<http://e/s> <http://e/p> <http://e/o> .",
        "<https://e/s> <http://e/p> <https://e/o> .",
        "<http://example.org/person/6745> <http://schema.org/purchased> <http://example.org/product/3595> .",
        "<http://e/s> <http://e/p> \"\" .",
        "<http://e/s> <http://e/p> \"Guarda-chuva\"@pt-BR .",
        "<http://e/s> <http://e/p> \"x\"@en .",
        "<http://e/s> <http://e/p> \"56\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
        "<http://e/s> <http://e/p> \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .",
        "<http://e/s> <http://e/p> \"x\"^^<urn:x:y> .",
        "<http://e/s> <http://e/p> \"a \\\"quote\\\"\" .",
        "<http://e/s> <http://e/é> \"日本\"@ja .",
        "<http://e/s>  <http://e/p> <http://e/o> .",
        "<http://e/s>\t<http://e/p> <http://e/o> .",
        "<http://e/s> <http://e/p> <http://e/o>.",
        "<http://e/s> <http://e/p> <http://e/o> . ",
        "<http://e/s> <http://e/p> <http://e/o> . # note",
        "_:b <http://e/p> <http://e/o> .",
        "<http://e/s> <http://e/p> _:o .",
        "<urn:s> <http://e/p> <http://e/o> .",
        "<http://e/s> <http://e/p> <http://e/\\u0041> .",
        "<http://e/s> <http://e/p> \"x\"@en_GB .",
        "<http://e/s> <http://e/p> \"x\"@en- .",
        "<http://e/s> <http://e/p> \"x\" @en .",
        "<http://e/s> <http://e/p> \"x\"^^ <http://e/t> .",
        "<http://e/s> <http://e/p> \"x\"^<http://e/t> .",
        "<http:> <https:> <http:> .",
        "<http> <http://e/p> <http://e/o> .",
        "<http://e/s> <http://e/p> <http://e/o> .x",
        "# comment",
        "",
    ];

    /// Each line, and each line with each byte replaced by a troublesome one or cut short,
    /// followed by a second line (as in a chunk) and on its own: where the fast path reads a
    /// triple, the grammar reads the same triple and the same line end.
    #[test]
    fn every_line_the_fast_path_reads_the_grammar_reads_the_same_way() {
        // The portable scans, and AVX2's where the CPU has it.
        fast_path_agrees_with_the_grammar(PortableScan, None);
        if let Some(avx2) = Avx2Scan::detect() {
            fast_path_agrees_with_the_grammar(avx2, Some(avx2));
        }
    }

    fn fast_path_agrees_with_the_grammar(scan: impl TermScan, grammar: Option<Avx2Scan>) {
        let replacements: &[&str] = &[
            " ", "\t", "\"", "<", ">", "\\", "@", "^", ".", "#", "\n", "\r", "_", "-", ":", "é",
            "\u{0}", "a", "1",
        ];
        let mut lines: Vec<String> = Vec::new();
        for line in LINES {
            lines.push((*line).to_owned());
            for (at, _) in line.char_indices() {
                lines.push(line[..at].to_owned());
                for r in replacements {
                    let c = line[at..].chars().next().unwrap();
                    lines.push(format!("{}{r}{}", &line[..at], &line[at + c.len_utf8()..]));
                }
            }
        }
        let mut read = 0;
        for line in &lines {
            for text in [
                format!("{line}\n<http://e/next> <http://e/p> <http://e/o> .\n"),
                line.clone(),
            ] {
                let Some((spans, end)) = fast_line(text.as_bytes(), 0, scan) else {
                    continue;
                };
                read += 1;
                let mut scratch = String::new();
                let parsed = parse_pieces(&text, 0, &mut scratch, grammar)
                    .unwrap_or_else(|e| panic!("{text:?}: the grammar rejects it: {e:?}"));
                assert!(scratch.is_empty(), "{text:?}");
                assert_eq!(parsed.end, end, "{text:?}");
                let triple = parsed.triple.expect("a triple");
                assert_eq!(triple.spans(0, text.len()), spans, "{text:?}");
            }
        }
        assert!(read > 100, "the fast path read only {read} lines");
    }
}
