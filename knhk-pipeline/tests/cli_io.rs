//! What `knhk` reads and writes, run as a user would: nothing an output names is destroyed
//! (standard input included), every input is read whole and exactly once, `verify --input`
//! reads as `run` does, every reader is bounded by a limit its error names, and an
//! interrupted command leaves no temporary file behind.
//!
//! The guarantees these tests back, listed in the README's "Guarantees"
//! (`knhk-pipeline/README.md`):
//! - Standard input is an input: an output that is the same file is refused, and nothing is
//!   written (`standard_input_is_never_overwritten_by_an_output`).
//! - A `.zst` is read as `zstd -dc` reads it: every frame, skippable frames skipped, each
//!   frame's checksum checked (`every_zstd_frame_is_read_as_zstd_reads_it`,
//!   `a_zstd_checksum_mismatch_is_an_error_naming_the_file`); a `.gz` of several members is
//!   read whole (`every_gzip_member_is_read`).
//! - `verify --input` opens its input as `run` does (`verify_reads_its_input_as_run_does`).
//! - Every input is opened once, so a named pipe works (`a_named_pipe_is_read_once`).
//! - `gen` refuses a count it cannot generate before creating anything
//!   (`gen_refuses_a_count_beyond_its_memory_bound_up_front`).
//! - Ctrl-C or `kill` leaves no temporary file and exits 130 or 143
//!   (`an_interrupted_run_or_gen_removes_its_temporary_file`).
//! - Receipts lines, proofs and hook files are read up to a limit that the error names with
//!   its flag (`endless_or_huge_inputs_stop_at_a_limit_named_with_its_flag`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::knhk;

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-io-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample.nt")
}

fn knhk_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_knhk"));
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for `child`, killing it (and failing) if it takes longer than `limit`.
fn wait_at_most(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The JSON summary of a successful `run --json`.
fn summary(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", stderr_of(output));
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

/// Whether the command-line tool `name` is here; without it the test says so and passes,
/// except under CI (`CI` set), where it fails.
fn have_tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set, so this must run: {name} is not installed"
        );
        eprintln!("skipped: {name} is not installed");
    }
    found
}

/// Runs `tool args` with `input` on its standard input; returns its standard output.
fn filter(tool: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "{tool} {args:?} failed");
    output.stdout
}

fn lines(text: &[u8], range: std::ops::Range<usize>) -> Vec<u8> {
    text.split_inclusive(|&b| b == b'\n')
        .skip(range.start)
        .take(range.len())
        .flatten()
        .copied()
        .collect()
}

#[test]
fn standard_input_is_never_overwritten_by_an_output() {
    let dir = scratch_dir("stdin-output");
    let input = dir.join("in.nt");
    let original = std::fs::read(sample_data()).unwrap();
    for (flag, spelling) in [
        ("--receipts", path(&input).to_owned()),
        ("--actions", path(&input).to_owned()),
        ("--receipts", "/dev/stdin".to_owned()),
    ] {
        std::fs::write(&input, &original).unwrap();
        let output = knhk_command(&["run", "-", flag, &spelling])
            .stdin(std::fs::File::open(&input).unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{flag} {spelling}");
        assert!(
            stderr_of(&output).contains("is the same file as input <stdin>"),
            "{}",
            stderr_of(&output)
        );
        assert_eq!(
            std::fs::read(&input).unwrap(),
            original,
            "{flag} {spelling}"
        );
    }
    // Standard input that is another file does not stop an output.
    let other = dir.join("other.nt");
    std::fs::write(&other, &original).unwrap();
    let receipts = dir.join("r.jsonl");
    let output = knhk_command(&["run", "-", "--receipts", path(&receipts)])
        .stdin(std::fs::File::open(&other).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(receipts.exists());
}

#[test]
fn every_zstd_frame_is_read_as_zstd_reads_it() {
    if !have_tool("zstd") || !have_tool("pzstd") {
        return;
    }
    let dir = scratch_dir("zstd-frames");
    let data = common::generated(300);
    let first = filter("zstd", &["-q", "-c"], &lines(&data, 0..100));
    let second = filter("zstd", &["-q", "-c"], &lines(&data, 100..300));
    // pzstd writes a skippable frame before each of its frames.
    let pzstd = filter("pzstd", &["-q", "-c", "-p", "2"], &data);
    // A skippable frame written by hand (magic 0x184D2A5F, 5 bytes of payload) between two.
    let mut skippable = vec![0x5F, 0x2A, 0x4D, 0x18, 5, 0, 0, 0];
    skippable.extend_from_slice(b"hello");
    for (name, bytes) in [
        ("two-frames", [first.clone(), second.clone()].concat()),
        ("twice", [first.clone(), first.clone()].concat()),
        ("pzstd", pzstd),
        (
            "skippable",
            [first.clone(), skippable, second.clone()].concat(),
        ),
    ] {
        let file = dir.join(format!("{name}.nt.zst"));
        std::fs::write(&file, &bytes).unwrap();
        let expected = filter("zstd", &["-q", "-d", "-c"], &bytes);
        let expected_lines = expected.iter().filter(|&&b| b == b'\n').count();
        for threads in ["1", "2"] {
            let output = knhk(&["run", path(&file), "--json", "--threads", threads]);
            assert_eq!(
                summary(&output)["triples_ingested"],
                expected_lines,
                "{name}, {threads} threads"
            );
        }
    }
}

#[test]
fn every_gzip_member_is_read() {
    use flate2::write::GzEncoder;
    let dir = scratch_dir("gzip-members");
    let data = common::generated(300);
    let gzip = |text: &[u8]| {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    };
    let file = dir.join("members.nt.gz");
    std::fs::write(
        &file,
        [gzip(&lines(&data, 0..100)), gzip(&lines(&data, 100..300))].concat(),
    )
    .unwrap();
    let output = knhk(&["run", path(&file), "--json"]);
    assert_eq!(summary(&output)["triples_ingested"], 300);
}

#[test]
fn a_zstd_checksum_mismatch_is_an_error_naming_the_file() {
    if !have_tool("zstd") {
        return;
    }
    let dir = scratch_dir("zstd-checksum");
    let data = common::generated(300);
    let good = filter("zstd", &["-q", "-c", "--check"], &data);
    let intact = dir.join("intact.nt.zst");
    std::fs::write(&intact, &good).unwrap();
    assert_eq!(
        summary(&knhk(&["run", path(&intact), "--json"]))["triples_ingested"],
        300
    );
    // The last four bytes are the frame's checksum: one flipped bit there leaves the data
    // intact and the checksum wrong, as `zstd -t` reports.
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x10;
    let file = dir.join("flipped.nt.zst");
    std::fs::write(&file, &bad).unwrap();
    for threads in ["1", "2"] {
        let output = knhk(&["run", path(&file), "--threads", threads]);
        assert_eq!(output.status.code(), Some(1), "{threads} threads");
        let text = stderr_of(&output);
        assert!(
            text.contains("flipped.nt.zst") && text.contains("checksum"),
            "{text}"
        );
    }
}

#[test]
fn verify_reads_its_input_as_run_does() {
    use flate2::write::GzEncoder;
    let dir = scratch_dir("verify-input");
    // Relative IRIs: the base decides what they are.
    let turtle = b"@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<alice> foaf:knows <bob> .\n";
    let ttl = dir.join("rel.ttl");
    std::fs::write(&ttl, turtle).unwrap();
    let receipts = dir.join("rel.jsonl");
    let run = knhk(&["run", path(&ttl), "--receipts", path(&receipts)]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let verify = knhk(&[
        "verify",
        "--receipts",
        path(&receipts),
        "--input",
        path(&ttl),
    ]);
    assert!(
        verify.status.success(),
        "file's own base: {}",
        stderr_of(&verify)
    );

    let base = "http://example.org/";
    let based = dir.join("based.jsonl");
    let run = knhk(&[
        "run",
        path(&ttl),
        "--base",
        base,
        "--receipts",
        path(&based),
    ]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let with_base = ["verify", "--receipts", path(&based), "--input", path(&ttl)];
    let verify = knhk(&[&with_base[..], &["--base", base]].concat());
    assert!(verify.status.success(), "--base: {}", stderr_of(&verify));
    // Without `--base` the subjects are other IRIs: the hooks on `alice` differ.
    assert!(!knhk(&with_base).status.success());

    // Compressed, and standard input with `--format`.
    let receipts = dir.join("sample.jsonl");
    let run = knhk(&["run", path(&sample_data()), "--receipts", path(&receipts)]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let data = std::fs::read(sample_data()).unwrap();
    let gz = dir.join("sample.nt.gz");
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&data).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let verify = knhk(&[
        "verify",
        "--receipts",
        path(&receipts),
        "--input",
        path(&gz),
    ]);
    assert!(verify.status.success(), ".gz: {}", stderr_of(&verify));
    for format in [&[][..], &["--format", "nt"][..]] {
        let args = [
            &["verify", "--receipts", path(&receipts), "--input", "-"][..],
            format,
        ]
        .concat();
        let verify = knhk_command(&args)
            .stdin(std::fs::File::open(sample_data()).unwrap())
            .output()
            .unwrap();
        assert!(verify.status.success(), "-: {}", stderr_of(&verify));
        assert!(
            String::from_utf8_lossy(&verify.stdout).contains("re-running <stdin>"),
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_once() {
    use flate2::write::GzEncoder;
    let dir = scratch_dir("fifo");
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&common::generated(500)).unwrap();
    let gz = encoder.finish().unwrap();
    for (round, threads) in ["1", "2", "1", "2", "1"].iter().enumerate() {
        let fifo = dir.join(format!("f{round}.nt.gz"));
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let writer_path = fifo.clone();
        let bytes = gz.clone();
        // Opens the pipe (waiting for a reader), writes everything and closes it.
        let writer = std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new()
                .write(true)
                .open(writer_path)
                .unwrap();
            pipe.write_all(&bytes)
        });
        let child = knhk_command(&["run", path(&fifo), "--json", "--threads", threads])
            .spawn()
            .unwrap();
        let output = wait_at_most(child, Duration::from_secs(30), "run on a named pipe");
        assert_eq!(summary(&output)["triples_ingested"], 500);
        writer.join().unwrap().unwrap();
    }
}

#[test]
fn gen_refuses_a_count_beyond_its_memory_bound_up_front() {
    let dir = scratch_dir("gen-huge");
    let out = dir.join("g.nt");
    let child = knhk_command(&["gen", "--triples", "10000000000000", "-o", path(&out)])
        .spawn()
        .unwrap();
    let output = wait_at_most(child, Duration::from_secs(30), "gen of 10^13 triples");
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    let text = stderr_of(&output);
    assert!(
        text.contains("--triples 10000000000000") && text.contains("at most"),
        "{text}"
    );
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "nothing is created: {left:?}");
}

/// Waits until a file whose name ends with `.tmp` appears in `dir`.
fn wait_for_temporary_file(dir: &Path, child: &mut Child) -> PathBuf {
    let start = Instant::now();
    loop {
        let found = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".tmp"));
        if let Some(found) = found {
            return found;
        }
        assert!(child.try_wait().unwrap().is_none(), "ended too early");
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sends `signal` to `child` with the shell's own `kill` (no package needed).
fn kill(child: &Child, signal: &str) {
    let sent = Command::new("sh")
        .arg("-c")
        .arg(format!("kill {signal} {}", child.id()))
        .status()
        .unwrap();
    assert!(sent.success());
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_or_gen_removes_its_temporary_file() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let dir = scratch_dir(&format!("signal{signal}"));
        // `run` reading standard input that never ends: its receipts file is in the making.
        let receipts = dir.join("r.jsonl");
        let mut child = knhk_command(&["run", "-", "--receipts", path(&receipts)])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&common::generated(1000)).unwrap();
        wait_for_temporary_file(&dir, &mut child);
        kill(&child, signal);
        let output = wait_at_most(child, Duration::from_secs(30), "interrupted run");
        drop(stdin);
        assert_eq!(output.status.code(), Some(code), "run {signal}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "run {signal}: files left: {left:?}");

        // `gen -o` of a large dataset.
        let out = dir.join("g.nt");
        let mut child = knhk_command(&["gen", "--triples", "100000000", "-o", path(&out)])
            .spawn()
            .unwrap();
        wait_for_temporary_file(&dir, &mut child);
        kill(&child, signal);
        let output = wait_at_most(child, Duration::from_secs(30), "interrupted gen");
        assert_eq!(output.status.code(), Some(code), "gen {signal}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert!(left.is_empty(), "gen {signal}: files left: {left:?}");
    }
}

#[test]
fn endless_or_huge_inputs_stop_at_a_limit_named_with_its_flag() {
    let dir = scratch_dir("limits");
    // Two MiB without a line end: past the default line limit of a receipts file.
    let long = dir.join("long.jsonl");
    std::fs::write(&long, vec![b'x'; 2 << 20]).unwrap();
    for command in ["verify", "prove"] {
        let mut args = vec![command, "--receipts", path(&long)];
        if command == "prove" {
            args.extend(["--seq", "0"]);
        }
        let output = knhk(&args);
        assert_eq!(output.status.code(), Some(1), "{command}");
        let text = stderr_of(&output);
        assert!(text.contains("--max-record-bytes"), "{command}: {text}");
        // Raised, the line is read and found not to be a record.
        args.extend(["--max-record-bytes", "4194304"]);
        let text = stderr_of(&knhk(&args));
        assert!(
            text.contains("not a receipt or commit record"),
            "{command}: {text}"
        );
    }
    let proof = dir.join("proof.json");
    std::fs::write(&proof, vec![b' '; 2 << 20]).unwrap();
    let text = stderr_of(&knhk(&["verify", "--proof", path(&proof)]));
    assert!(text.contains("--max-proof-bytes"), "{text}");

    let hooks = dir.join("hooks.toml");
    std::fs::write(&hooks, knhk_pipeline::SAMPLE_HOOKS).unwrap();
    let small = [
        "run",
        "--hooks",
        path(&hooks),
        "--max-hook-file-bytes",
        "100",
    ];
    let text = stderr_of(&knhk(&small));
    assert!(text.contains("--max-hook-file-bytes"), "{text}");
    let output = knhk(&["run", "--hooks", path(&hooks)]);
    assert!(output.status.success(), "{}", stderr_of(&output));

    // Endless inputs end at the limit too.
    #[cfg(unix)]
    for args in [
        &["verify", "--receipts", "/dev/zero"][..],
        &["prove", "--receipts", "/dev/zero", "--seq", "0"][..],
        &["verify", "--proof", "/dev/zero"][..],
        &["run", "--hooks", "/dev/zero"][..],
    ] {
        let child = knhk_command(args).spawn().unwrap();
        let output = wait_at_most(child, Duration::from_secs(30), &args.join(" "));
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr_of(&output).contains("--max-"),
            "{}",
            stderr_of(&output)
        );
    }
}

#[test]
fn prove_on_a_file_without_receipts_says_it_holds_none() {
    let dir = scratch_dir("prove-empty");
    let empty = dir.join("empty.nt");
    std::fs::write(&empty, b"").unwrap();
    let receipts = dir.join("r.jsonl");
    let run = knhk(&["run", path(&empty), "--receipts", path(&receipts)]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let output = knhk(&["prove", "--receipts", path(&receipts), "--seq", "0"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr_of(&output);
    assert!(
        text.contains("no receipt has seq 0: the file holds no receipts"),
        "{text}"
    );
    assert!(!text.contains(" - 1"), "{text}");
}

#[test]
fn verify_and_prove_into_a_closed_pipe_exit_quietly_with_141() {
    let dir = scratch_dir("closed-pipe");
    let receipts = dir.join("r.jsonl");
    let run = knhk(&["run", "--receipts", path(&receipts)]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    for args in [
        &["verify", "--receipts", path(&receipts)][..],
        &["prove", "--receipts", path(&receipts), "--seq", "0"][..],
    ] {
        let mut child = knhk_command(args).spawn().unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(141),
            "{args:?}: {}",
            stderr_of(&output)
        );
        assert!(output.stderr.is_empty(), "{}", stderr_of(&output));
    }
    // Still, what was written is what a reader sees.
    let mut child = knhk_command(&["verify", "--receipts", path(&receipts)])
        .spawn()
        .unwrap();
    let mut text = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(text.starts_with("ok: "), "{text}");
}
