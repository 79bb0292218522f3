//! The range rule: the parts of any split tile the file, every line read by exactly one
//! part, for n from 1 to 64, on the awkward files (no final newline, CRLF, a line longer than
//! a range, ranges with no line start); and a syntax error in a part names its byte offset
//! in the whole file.

use std::io::{Cursor, Write};
use std::path::PathBuf;

use knhk_pipeline::emit::MemorySink;
use knhk_pipeline::ingest::IngestOptions;
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::shard::{
    hooks_hash, read_range, run_part, ByteRange, HookFileIdentity, Part, PartInput, ShardError,
    ShardIndex,
};
use proptest::prelude::*;

/// The lines of `bytes` each part of an `n`-way split reads, checking on the way that the
/// parts meet, start at line starts and cover the file.
fn lines_per_part(bytes: &[u8], n: u32) -> Vec<Vec<Vec<u8>>> {
    let size = bytes.len() as u64;
    let mut file = Cursor::new(bytes);
    let mut previous_end = 0;
    let mut parts = Vec::new();
    for index in 0..n {
        let owned = ShardIndex { index, count: n }.owned(size);
        let read = read_range(&mut file, owned, size).unwrap();
        assert_eq!(
            read.start, previous_end,
            "part {index}/{n} starts where the last ended"
        );
        assert!(read.start <= read.end);
        for at in [read.start, read.end] {
            assert!(
                at == 0 || at == size || bytes[at as usize - 1] == b'\n',
                "part {index}/{n}: byte {at} is not a line start"
            );
        }
        // Every line that starts inside the owned range, and no other, is read.
        for (start, _) in line_starts(bytes) {
            let inside_owned = (owned.start..owned.end).contains(&start);
            let inside_read = (read.start..read.end).contains(&start);
            assert_eq!(
                inside_owned, inside_read,
                "part {index}/{n}, line at byte {start}"
            );
        }
        let text = &bytes[read.start as usize..read.end as usize];
        parts.push(
            text.split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect(),
        );
        previous_end = read.end;
    }
    assert_eq!(previous_end, size, "the parts of {n} cover the file");
    parts
}

fn line_starts(bytes: &[u8]) -> Vec<(u64, u64)> {
    let mut starts = Vec::new();
    let mut start = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            starts.push((start, at as u64 + 1));
            start = at as u64 + 1;
        }
    }
    if start < bytes.len() as u64 {
        starts.push((start, bytes.len() as u64));
    }
    starts
}

fn assert_tiles(bytes: &[u8]) {
    let whole: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    for n in 1..=64 {
        let joined: Vec<Vec<u8>> = lines_per_part(bytes, n).into_iter().flatten().collect();
        assert_eq!(joined, whole, "{n} parts read every line once, in order");
    }
}

const LINE: &str = "<http://example.org/s> <http://example.org/p> \"o\" .";

fn ntriples(lines: usize, end: &str, final_newline: bool) -> Vec<u8> {
    let mut text: String = (0..lines)
        .map(|i| format!("<http://example.org/s{i}> <http://example.org/p> \"{i}\" .{end}"))
        .collect();
    if !final_newline {
        text.truncate(text.len() - end.len());
    }
    text.into_bytes()
}

/// Ten short lines, one of 5 KB, ten short lines.
fn long_line_file() -> Vec<u8> {
    let long = format!(
        "<http://example.org/long> <http://example.org/p> \"{}\" .\n",
        "x".repeat(5000)
    );
    let mut bytes = ntriples(10, "\n", true);
    bytes.extend_from_slice(long.as_bytes());
    bytes.extend_from_slice(&ntriples(10, "\n", true));
    bytes
}

#[test]
fn parts_tile_a_file_with_a_final_newline() {
    assert_tiles(&ntriples(50, "\n", true));
}

#[test]
fn parts_tile_a_file_without_a_final_newline() {
    assert_tiles(&ntriples(50, "\n", false));
}

#[test]
fn parts_tile_a_file_with_crlf_line_ends() {
    assert_tiles(&ntriples(50, "\r\n", true));
    assert_tiles(&ntriples(50, "\r\n", false));
}

#[test]
fn a_line_longer_than_a_range_is_read_by_the_part_where_it_starts() {
    let file = long_line_file();
    assert_tiles(&file);
    // With 64 parts, ranges are ~100 bytes: the 5 KB line leaves many parts empty.
    let empty = lines_per_part(&file, 64)
        .iter()
        .filter(|p| p.is_empty())
        .count();
    assert!(empty > 40, "{empty} parts hold no line start");
}

#[test]
fn ranges_that_hold_no_line_start_read_nothing() {
    // Fewer bytes than parts: most owned ranges are empty; one line, no newline.
    assert_tiles(LINE.as_bytes());
    assert_tiles(b"");
    assert_tiles(b"\n\n\n");
    assert_tiles(b"x");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parts_tile_any_file(
        lines in prop::collection::vec((0usize..300, any::<bool>()), 0..40),
        final_newline in any::<bool>(),
        n in 1u32..=64,
    ) {
        let mut bytes = Vec::new();
        for (len, crlf) in lines {
            bytes.extend(std::iter::repeat_n(b'a', len));
            bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        if !final_newline && bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        let whole: Vec<Vec<u8>> = bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let joined: Vec<Vec<u8>> = lines_per_part(&bytes, n).into_iter().flatten().collect();
        prop_assert_eq!(joined, whole);
    }
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-shard-range-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

fn pipeline() -> Pipeline {
    Pipeline::new(PipelineConfig::default())
}

fn no_hooks() -> HookFileIdentity {
    HookFileIdentity {
        name: "none".into(),
        hash: hooks_hash(b""),
    }
}

fn one_thread() -> IngestOptions {
    IngestOptions {
        threads: 1,
        ..IngestOptions::default()
    }
}

/// The pipeline over every part loads every triple once, for each awkward file.
#[test]
fn the_pipeline_over_the_parts_loads_every_triple_once() {
    let files = [
        ("final.nt", ntriples(40, "\n", true)),
        ("no-final.nt", ntriples(40, "\n", false)),
        ("crlf.nt", ntriples(40, "\r\n", false)),
        ("long.nt", long_line_file()),
    ];
    for (name, bytes) in files {
        let path = scratch(name, &bytes);
        let triples = bytes.split(|&b| b == b'\n').filter(|l| l.len() > 2).count() as u64;
        for n in [1, 2, 3, 7, 16, 64] {
            let mut loaded = 0;
            for index in 0..n {
                let part = Part::Shard(ShardIndex { index, count: n });
                let input = PartInput::open(&path, part, None).unwrap();
                let (summary, _) = run_part(
                    &mut pipeline(),
                    input,
                    no_hooks(),
                    one_thread(),
                    &mut MemorySink::default(),
                )
                .unwrap();
                loaded += summary.triples_loaded;
            }
            assert_eq!(loaded, triples, "{name} in {n} parts");
        }
    }
}

#[test]
fn a_syntax_error_in_a_part_names_its_byte_offset_in_the_whole_file() {
    let mut bytes = ntriples(30, "\n", true);
    // Line 25 (1-based) loses its predicate's closing '>': "expected a predicate" at its '<'.
    let line_start = (0..24).fold(0, |at, _| {
        at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1
    });
    let bad = b"<http://example.org/bad> oops \"x\" .\n";
    let line_end = line_start
        + bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap()
        + 1;
    bytes.splice(line_start..line_end, bad.iter().copied());
    let path = scratch("bad.nt", &bytes);
    let part = Part::Shard(ShardIndex { index: 1, count: 2 });
    let input = PartInput::open(&path, part, None).unwrap();
    let read = input.read_range();
    assert!(read.start > 0 && read.start as usize <= line_start);
    let error = run_part(
        &mut pipeline(),
        input,
        no_hooks(),
        one_thread(),
        &mut MemorySink::default(),
    )
    .unwrap_err();
    let ShardError::Syntax {
        offset,
        line,
        column,
        ..
    } = &error
    else {
        panic!("not a syntax error: {error}");
    };
    // The predicate is at column 26 of the line.
    let predicate = line_start as u64 + 25;
    assert_eq!((*offset, *column), (predicate, 26), "{error}");
    let lines_before = bytes[read.start as usize..line_start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert_eq!(*line, lines_before as u64 + 1);
    let message = error.to_string();
    assert!(
        message.contains(&format!("byte {predicate} (line {line} of shard 1/2")),
        "{message}"
    );
}

#[test]
fn a_byte_range_past_the_end_of_the_file_is_refused() {
    let path = scratch("short.nt", LINE.as_bytes());
    let error = PartInput::open(
        &path,
        Part::Range(ByteRange {
            start: 0,
            end: 1000,
        }),
        None,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("ends past the end of the file"),
        "{error}"
    );
}
