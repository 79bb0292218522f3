//! `ingest::ReadAhead` hands out exactly what its inner reader returned, in order (bytes,
//! errors once each, then the end), whatever the read sizes; turns a panic into an error;
//! never hangs on drop; allocates nothing after start-up on either thread. And `knhk run`
//! with `--threads 2`, which reads ahead, gives the `--threads 1` results on a gzip file and on
//! standard input.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use knhk_pipeline::ingest::ReadAhead;
use lanepool::alloc_count::{heap_ops, heap_ops_during, is_counting, CountingAllocator};

mod common;
use common::{generated, receipts_ticks_aside};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Bytes that differ from position to position, so a lost or repeated piece shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 251) as u8).collect()
}

/// Returns its data a few bytes at a time (1 to 17), as a pipe or a decompressor may.
struct Trickle {
    data: Vec<u8>,
    at: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (1 + self.at % 17)
            .min(buf.len())
            .min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads all of `reader` with read sizes cycling through `sizes`.
fn read_in_sizes(mut reader: impl Read, sizes: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0; sizes.iter().copied().max().unwrap()];
    for size in sizes.iter().cycle() {
        match reader.read(&mut buf[..*size]) {
            Ok(0) if *size > 0 => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(error) => panic!("read failed: {error}"),
        }
    }
    unreachable!()
}

#[test]
fn small_and_odd_read_sizes_return_every_byte_in_order() {
    let data = pattern(100_003);
    let sizes = [1, 7, 0, 4096, 999, 1000, 1001, 3];
    for (buffers, buffer_bytes) in [(1, 1), (2, 1000), (3, 4096), (4, 1 << 20)] {
        let from_slice =
            ReadAhead::with_buffers(io::Cursor::new(data.clone()), buffers, buffer_bytes);
        assert_eq!(
            read_in_sizes(from_slice.unwrap(), &sizes),
            data,
            "{buffers} buffers of {buffer_bytes} bytes"
        );
        let trickle = Trickle {
            data: data.clone(),
            at: 0,
        };
        let from_trickle = ReadAhead::with_buffers(trickle, buffers, buffer_bytes).unwrap();
        assert_eq!(read_in_sizes(from_trickle, &sizes), data);
    }
    let mut all = Vec::new();
    ReadAhead::new(io::Cursor::new(data.clone()))
        .unwrap()
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(all, data);
}

#[test]
fn buf_read_hands_out_lines() {
    let text = "first\nsecond\n\nlast without a break";
    let reader = ReadAhead::with_buffers(io::Cursor::new(text.as_bytes().to_vec()), 2, 5).unwrap();
    let lines: Vec<String> = reader.lines().map(Result::unwrap).collect();
    assert_eq!(lines, ["first", "second", "", "last without a break"]);
}

#[test]
fn an_empty_input_is_at_its_end_from_the_start_and_stays_there() {
    let mut reader = ReadAhead::new(io::empty()).unwrap();
    let mut buf = [0; 16];
    for _ in 0..3 {
        assert_eq!(reader.read(&mut buf).unwrap(), 0);
    }
    assert!(reader.fill_buf().unwrap().is_empty());
}

/// One result of a scripted inner reader.
enum Step {
    Bytes(&'static [u8]),
    Fail(io::ErrorKind, &'static str),
    Panic,
}

/// Returns its script's steps in order, then the end.
struct Scripted(VecDeque<Step>);

impl Read for Scripted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.pop_front() {
            None => Ok(0),
            Some(Step::Bytes(bytes)) => {
                buf[..bytes.len()].copy_from_slice(bytes);
                Ok(bytes.len())
            }
            Some(Step::Fail(kind, message)) => Err(io::Error::new(kind, message)),
            Some(Step::Panic) => panic!("the scripted reader gives up"),
        }
    }
}

fn scripted(steps: impl IntoIterator<Item = Step>) -> ReadAhead {
    ReadAhead::with_buffers(Scripted(steps.into_iter().collect()), 2, 64).unwrap()
}

/// What successive reads with a 64-byte buffer return: bytes as text, errors as kind and
/// message.
fn results(reader: &mut ReadAhead, reads: usize) -> Vec<Result<String, (io::ErrorKind, String)>> {
    let mut buf = [0; 64];
    (0..reads)
        .map(|_| match reader.read(&mut buf) {
            Ok(n) => Ok(String::from_utf8_lossy(&buf[..n]).into_owned()),
            Err(error) => Err((error.kind(), error.to_string())),
        })
        .collect()
}

#[test]
fn errors_arrive_in_order_after_the_bytes_before_them_once_each() {
    use io::ErrorKind::{Interrupted, Other, WouldBlock};
    let mut reader = scripted([
        Step::Bytes(b"abc"),
        Step::Fail(Interrupted, "a signal"),
        Step::Bytes(b"def"),
        Step::Fail(WouldBlock, "not ready"),
        Step::Bytes(b"ghi"),
        Step::Fail(Other, "the disk is gone"),
        Step::Fail(Other, "still gone"),
        Step::Bytes(b"jkl"),
    ]);
    assert_eq!(
        results(&mut reader, 9),
        [
            Ok("abc".to_owned()),
            // Interrupted is retried on the reading thread.
            Ok("def".to_owned()),
            Err((WouldBlock, "not ready".to_owned())),
            Ok("ghi".to_owned()),
            Err((Other, "the disk is gone".to_owned())),
            Err((Other, "still gone".to_owned())),
            Ok("jkl".to_owned()),
            Ok(String::new()),
            Ok(String::new()),
        ]
    );
}

#[test]
fn a_panicking_reader_becomes_an_error_after_its_bytes_and_the_input_stops() {
    let mut reader = scripted([Step::Bytes(b"abc"), Step::Panic, Step::Bytes(b"never")]);
    let results = results(&mut reader, 4);
    assert_eq!(results[0], Ok("abc".to_owned()));
    for (i, result) in results[1..].iter().enumerate() {
        let (kind, message) = result.as_ref().unwrap_err();
        assert_eq!(*kind, io::ErrorKind::Other);
        assert!(message.contains("panicked"), "{message}");
        if i == 0 {
            assert!(
                message.contains("the scripted reader gives up"),
                "{message}"
            );
        }
    }
}

/// Reads zeros forever; tells `dropped` when it is dropped (its thread has ended).
struct Endless {
    dropped: mpsc::Sender<()>,
    /// Blocks each read until a message arrives, when set.
    gate: Option<mpsc::Receiver<()>>,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(gate) = &self.gate {
            let _ = gate.recv();
        }
        buf.fill(0);
        Ok(buf.len())
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        let _ = self.dropped.send(());
    }
}

#[test]
fn dropping_it_early_stops_the_thread_without_waiting() {
    let (dropped, thread_ended) = mpsc::channel();
    let mut reader = ReadAhead::with_buffers(
        Endless {
            dropped,
            gate: None,
        },
        4,
        1024,
    )
    .unwrap();
    let mut buf = [1; 100];
    reader.read_exact(&mut buf).unwrap();
    assert_eq!(buf, [0; 100]);
    drop(reader);
    thread_ended
        .recv_timeout(Duration::from_secs(10))
        .expect("the reading thread stops at its next hand-over");
}

#[test]
fn dropping_it_while_the_inner_read_blocks_returns_and_the_thread_ends_after_that_read() {
    let (dropped, thread_ended) = mpsc::channel();
    let (open_gate, gate) = mpsc::channel();
    let reader = ReadAhead::with_buffers(
        Endless {
            dropped,
            gate: Some(gate),
        },
        2,
        1024,
    )
    .unwrap();
    // The thread is (or soon will be) blocked in the inner read, like one on an idle terminal.
    drop(reader);
    assert!(thread_ended
        .recv_timeout(Duration::from_millis(50))
        .is_err());
    open_gate.send(()).unwrap();
    thread_ended
        .recv_timeout(Duration::from_secs(10))
        .expect("the reading thread ends once its read returns");
}

/// Counts the heap operations of the thread that reads it between one read and the next,
/// from read number `from` on; sleeps in read number `pause_at`, so the caller waits.
struct Watched {
    data: io::Cursor<Vec<u8>>,
    reads: Arc<AtomicU64>,
    from: u64,
    pause_at: u64,
    last: u64,
    heap_ops_since_from: Arc<AtomicU64>,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let now = heap_ops();
        let reads = self.reads.fetch_add(1, Ordering::Relaxed) + 1;
        if reads > self.from {
            self.heap_ops_since_from
                .fetch_add(now - self.last, Ordering::Relaxed);
        }
        if reads == self.pause_at {
            std::thread::sleep(Duration::from_millis(200));
        }
        let n = self.data.read(buf);
        self.last = heap_ops();
        n
    }
}

#[test]
fn after_start_up_neither_thread_allocates() {
    assert!(is_counting());
    const BUFFER: usize = 4096;
    let total = 400 * BUFFER;
    let reading_thread_ops = Arc::new(AtomicU64::new(0));
    let reads = Arc::new(AtomicU64::new(0));
    let mut reader = ReadAhead::with_buffers(
        Watched {
            data: io::Cursor::new(pattern(total)),
            reads: reads.clone(),
            from: 10,
            pause_at: 5,
            last: 0,
            heap_ops_since_from: reading_thread_ops.clone(),
        },
        2,
        BUFFER,
    )
    .unwrap();
    // Start-up: each thread blocks once (the reading thread once both buffers are full,
    // while this one waits; this one on an empty channel while read 5 sleeps), which sets up
    // the channels' waiting state for good.
    while reads.load(Ordering::Relaxed) < 2 {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    let mut buf = vec![0; 1000];
    let mut read = 0;
    while read < 20 * BUFFER {
        read += reader.read(&mut buf).unwrap();
    }
    // Up to the last buffers: at the end of input the thread exits and the buffers are freed.
    let calling_thread_ops = heap_ops_during(|| {
        while read < total - 2 * BUFFER {
            read += reader.read(&mut buf).unwrap();
        }
    });
    read += read_in_sizes(&mut reader, &[1000]).len();
    assert_eq!(read, total);
    assert_eq!(
        calling_thread_ops, 0,
        "heap operations on the calling thread"
    );
    assert_eq!(
        reading_thread_ops.load(Ordering::Relaxed),
        0,
        "heap operations on the reading thread"
    );
}

fn knhk(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run knhk");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // Written from a thread: the input is larger than a pipe holds.
        let input = input.to_vec();
        std::thread::spawn(move || pipe.write_all(&input).unwrap());
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "knhk {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Summary (timings aside), receipts (ticks aside) and actions of `knhk run` on `input`.
fn run_outputs(
    dir: &std::path::Path,
    threads: &str,
    input: &str,
    stdin: Option<&[u8]>,
) -> (serde_json::Value, Vec<serde_json::Value>, Vec<u8>) {
    let receipts = dir.join(format!("receipts-{threads}.jsonl"));
    let actions = dir.join(format!("actions-{threads}.nt"));
    let output = knhk(
        &[
            "run",
            "--json",
            "--threads",
            threads,
            input,
            "--receipts",
            receipts.to_str().unwrap(),
            "--actions",
            actions.to_str().unwrap(),
        ],
        stdin,
    );
    let mut summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fields = summary.as_object_mut().unwrap();
    for measured in ["elapsed_ms", "triples_per_sec", "hooks", "parked"] {
        fields.remove(measured);
    }
    (
        summary,
        receipts_ticks_aside(&std::fs::read_to_string(&receipts).unwrap()),
        std::fs::read(&actions).unwrap(),
    )
}

#[test]
fn knhk_run_reads_ahead_with_two_threads_and_gives_the_one_thread_results() {
    // Larger than the read-ahead's buffers and a pipe's capacity, so both refill many times.
    let data = generated(60_000);
    assert!(data.len() > 4 << 20);
    let dir = tempfile::tempdir().unwrap();
    let gzip = dir.path().join("data.nt.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gzip).unwrap(), Default::default());
    encoder.write_all(&data).unwrap();
    encoder.finish().unwrap();

    let gzip = gzip.to_str().unwrap();
    let one = run_outputs(dir.path(), "1", gzip, None);
    assert_eq!(one.0["triples_ingested"], 60_000);
    assert!(!one.1.is_empty());
    assert_eq!(run_outputs(dir.path(), "2", gzip, None), one, "gzip file");

    let stdin_one = run_outputs(dir.path(), "1", "-", Some(&data));
    assert_eq!(stdin_one.0["input"], "<stdin>");
    assert_eq!((&stdin_one.1, &stdin_one.2), (&one.1, &one.2));
    assert_eq!(
        run_outputs(dir.path(), "2", "-", Some(&data)),
        stdin_one,
        "standard input"
    );
}

#[test]
fn knhk_run_reports_a_bad_gzip_file_with_two_threads_as_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.nt.gz");
    std::fs::write(&path, b"this is not gzip").unwrap();
    let stderr = |threads: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_knhk"))
            .args(["run", "--threads", threads, path.to_str().unwrap()])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let one = stderr("1");
    assert!(one.contains("broken.nt.gz"), "{one}");
    assert_eq!(stderr("2"), one);
}
