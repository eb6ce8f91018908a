//! The batch pipeline behind `tactful check` and `tactful report`: a reader
//! thread cuts the inputs into chunks of [`Unit`]s, rayon jobs analyze a
//! whole chunk each ([`Worker`]), and the calling thread hands the finished
//! chunks, in input order, to the command's writer.
//!
//! ```text
//! reader thread ──chunks──▶ rayon jobs (one per chunk) ──▶ calling thread:
//!  (read_input)   (2 queued)  (Worker::chunk)              chunks in order → write
//! ```
//!
//! At most threads + 2 chunks are read and not yet written, which bounds
//! memory whatever the input size. Reading starts in [`Pipeline::start`],
//! before the caller compiles its rules, so that the first chunks are ready
//! when the analyzer is; [`Pipeline::run`] does the rest.

mod worker;

pub use worker::{Chunk, Record, Worker};

use crate::input::{self, InputFormat, JsonlUnits, Unit};
use std::collections::BTreeMap;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::mpsc::{channel, sync_channel, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread::JoinHandle;
use tactful::{Analyzer, Scratch};

/// Target size of one chunk of input handed to the workers (1 MB measured
/// faster than 2 MB on both 1 and 2 threads). With many threads chunks are
/// smaller, so that the chunks in flight (threads + 2) stay within
/// [`IN_FLIGHT_BYTES`].
const CHUNK_BYTES: usize = 1024 * 1024;
/// Smallest chunk, however many threads.
const MIN_CHUNK_BYTES: usize = 256 * 1024;
/// Input bytes in flight (read and not yet written) that chunks are sized
/// to stay under, as far as [`MIN_CHUNK_BYTES`] allows.
const IN_FLIGHT_BYTES: usize = 12 * 1024 * 1024;
/// Most units in one chunk.
const CHUNK_UNITS: usize = 4096;
/// How long the writer waits for the next chunk of input before it looks
/// again for finished chunks to write.
const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(5);
/// How long a run goes before its progress bar is drawn: a run shorter than
/// this never shows one.
const PROGRESS_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// What to read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Input files as the OS names them (UTF-8 or not), `-` for standard
    /// input.
    pub files: Vec<PathBuf>,
    /// The input format; by default taken from each file's extension.
    pub format: Option<InputFormat>,
    /// Longest accepted record in bytes.
    pub max_record_bytes: usize,
    /// Canned replies instead of transcripts: `Some(per_line)`.
    pub replies: Option<bool>,
    /// Stop reading at the first input error.
    pub strict: bool,
}

/// A batch being read: the thread pool, and the reader thread sending chunks.
#[derive(Debug)]
pub struct Pipeline {
    pool: rayon::ThreadPool,
    reader: JoinHandle<()>,
    chunks: Receiver<Vec<Unit>>,
    files: Vec<PathBuf>,
}

/// Most worker threads `--threads` accepts: more only cost memory and
/// start-up (each thread has its own stack), and a typo such as `100000`
/// would start that many threads before reading a byte.
pub const MAX_THREADS: usize = 1024;

impl Pipeline {
    /// Builds the thread pool (`threads`, default all cores) and starts
    /// reading `source` on its own thread.
    pub fn start(source: Source, threads: Option<usize>) -> anyhow::Result<Pipeline> {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads {
            if n == 0 {
                anyhow::bail!("--threads must be at least 1");
            }
            if n > MAX_THREADS {
                anyhow::bail!("--threads must be at most {MAX_THREADS} (got {n})");
            }
            pool = pool.num_threads(n);
        }
        let pool = pool.build()?;
        let in_flight_max = pool.current_num_threads() + 2;
        let chunk_bytes = (IN_FLIGHT_BYTES / in_flight_max).clamp(MIN_CHUNK_BYTES, CHUNK_BYTES);
        let files = source.files.clone();
        let (tx, chunks) = sync_channel::<Vec<Unit>>(2);
        let reader = std::thread::spawn(move || {
            let Source {
                files,
                format,
                max_record_bytes: max_record,
                replies,
                strict,
            } = source;
            let mut chunk: Vec<Unit> = Vec::new();
            let mut weight = 0usize;
            let mut open = true;
            for file in &files {
                let idle = input::Idle::default();
                let mut emit = |unit: Unit| {
                    let is_error = matches!(unit, Unit::Error { .. });
                    weight += unit.weight();
                    chunk.push(unit);
                    // (a chunk goes on before it is full when the input is
                    // waiting for more: a live pipe's records come out as
                    // they come in)
                    if weight >= chunk_bytes
                        || chunk.len() >= CHUNK_UNITS
                        || (strict && is_error)
                        || idle.take_flush()
                    {
                        weight = 0;
                        if tx.send(std::mem::take(&mut chunk)).is_err() {
                            open = false;
                        }
                    }
                    open && !(strict && is_error)
                };
                match replies {
                    Some(per_line) => input::read_replies(file, per_line, max_record, &mut emit),
                    None => input::read_input_as(
                        file,
                        format,
                        max_record,
                        JsonlUnits::Blocks,
                        &idle,
                        &mut emit,
                    ),
                }
                if !open {
                    return;
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
        });
        Ok(Pipeline {
            pool,
            reader,
            chunks,
            files,
        })
    }

    /// Analyzes every chunk with `analyzer` as `worker` says, in parallel (a
    /// whole chunk per job, no barrier inside a chunk), and hands the
    /// finished chunks to `write` in input order on this thread while later
    /// chunks run. `write` takes the chunk's records (the buffer is reused)
    /// and returns `false` to stop (`--strict`). With `progress`, a progress
    /// bar is drawn on stderr when it is a terminal.
    pub fn run(
        self,
        analyzer: &Analyzer,
        worker: &Worker,
        progress: bool,
        mut write: impl FnMut(&mut Chunk) -> io::Result<bool>,
    ) -> io::Result<()> {
        let Pipeline {
            pool,
            reader,
            chunks,
            files,
        } = self;
        let in_flight_max = pool.current_num_threads() + 2;
        let progress = if progress { progress_bar(&files) } else { None };
        let started = std::time::Instant::now();
        // the bar is drawn only once the run has lasted PROGRESS_AFTER: a
        // short run ends before it would show
        let mut shown = false;
        let mut reveal = |pb: &indicatif::ProgressBar| {
            if !shown && started.elapsed() >= PROGRESS_AFTER {
                shown = true;
                pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        };
        let mut transcripts_done = 0u64;
        let scratches = Mutex::new(Vec::<Scratch>::new());
        let spare_buffers = Mutex::new(Vec::<Vec<u8>>::new());
        let written: io::Result<()> = pool.in_place_scope(|scope| {
            // (a chunk whose job panicked outside any record comes back as
            // none: writing stops with an error rather than waiting for it
            // forever)
            let (done_tx, done_rx) = channel::<(usize, Option<Chunk>)>();
            let lost = || io::Error::other("internal error: a worker stopped (please report it)");
            // finished chunks waiting for an earlier one, by sequence number
            let mut waiting: BTreeMap<usize, Chunk> = BTreeMap::new();
            let (mut sent, mut next, mut reading) = (0usize, 0usize, true);
            loop {
                // write every finished chunk that is next in order
                while let Ok((seq, done)) = done_rx.try_recv() {
                    waiting.insert(seq, done.ok_or_else(lost)?);
                }
                while let Some(mut done) = waiting.remove(&next) {
                    next += 1;
                    let chunk_len = done.records.len() as u64;
                    let go_on = write(&mut done)?;
                    if let Ok(mut spare) = spare_buffers.lock() {
                        spare.push(std::mem::take(&mut done.bytes));
                    }
                    if let Some(pb) = &progress {
                        reveal(pb);
                        transcripts_done += chunk_len;
                        let secs = started.elapsed().as_secs_f64().max(1e-3);
                        pb.set_message(format!(
                            "{transcripts_done} transcripts, {:.0}/s",
                            transcripts_done as f64 / secs
                        ));
                    }
                    if !go_on {
                        return Ok(());
                    }
                }
                if reading && sent - next < in_flight_max {
                    // while chunks are being analyzed, the next chunk is
                    // waited for a little at a time, so that a finished one
                    // is written meanwhile (a pipe may hold the next chunk
                    // back for as long as it stays open)
                    let received = if next < sent {
                        chunks.recv_timeout(WRITE_WAIT)
                    } else {
                        chunks.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    };
                    let chunk = match received {
                        Ok(chunk) => chunk,
                        Err(RecvTimeoutError::Timeout) => continue,
                        Err(RecvTimeoutError::Disconnected) => {
                            reading = false;
                            continue;
                        }
                    };
                    if let Some(pb) = &progress {
                        reveal(pb);
                        let bytes: usize = chunk.iter().map(Unit::input_bytes).sum();
                        pb.inc(bytes as u64);
                    }
                    let (seq, done_tx) = (sent, done_tx.clone());
                    let (scratches, spare_buffers) = (&scratches, &spare_buffers);
                    scope.spawn(move |_| {
                        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let mut scratch = scratches
                                .lock()
                                .ok()
                                .and_then(|mut s| s.pop())
                                .unwrap_or_default();
                            let bytes = spare_buffers
                                .lock()
                                .ok()
                                .and_then(|mut s| s.pop())
                                .unwrap_or_default();
                            let done = worker.chunk(chunk, analyzer, &mut scratch, bytes);
                            if let Ok(mut s) = scratches.lock() {
                                s.push(scratch);
                            }
                            done
                        }));
                        // (the receiver is gone only when writing stopped early)
                        let _ = done_tx.send((seq, done.ok()));
                    });
                    sent += 1;
                } else if next < sent {
                    match done_rx.recv() {
                        Ok((seq, done)) => {
                            waiting.insert(seq, done.ok_or_else(lost)?);
                        }
                        Err(_) => return Ok(()),
                    }
                } else {
                    return Ok(());
                }
            }
        });
        if let Some(pb) = progress {
            pb.finish_and_clear();
        }
        drop(chunks);
        let _ = reader.join();
        written
    }
}

/// A progress bar on stderr (bytes read of the input files, transcripts/s and
/// an ETA) when stderr is a terminal.
fn progress_bar(files: &[PathBuf]) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = files
        .iter()
        .filter(|f| f.as_os_str() != "-")
        .filter_map(|f| std::fs::metadata(f).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let pb = if total > 0 {
        let pb = indicatif::ProgressBar::new(total);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {percent:>3}% {binary_bytes}/{binary_total_bytes} {msg} ETA {eta}",
            )
            .ok()?,
        );
        pb
    } else {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg}").ok()?);
        pb
    };
    // hidden until the run has lasted long enough to need it (`Pipeline::run`)
    pb.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    Some(pb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{OutputFormat, Style};
    use std::io::Write;

    /// A JSONL file of `n` records (about 200 bytes each) with ids `0..n`.
    fn jsonl_file(n: usize) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(".jsonl")
            .tempfile()
            .unwrap();
        for i in 0..n {
            writeln!(
                f,
                r#"{{"id":"{i}","turns":[{{"role":"customer","text":"Where is my order? It is late."}},{{"role":"agent","text":"Per our policy we cannot help."}}]}}"#
            )
            .unwrap();
        }
        f
    }

    fn source(file: &tempfile::NamedTempFile) -> Source {
        Source {
            files: vec![file.path().to_path_buf()],
            format: None,
            max_record_bytes: 1 << 20,
            replies: None,
            strict: false,
        }
    }

    /// JSONL records.
    fn worker() -> Worker {
        Worker {
            format: OutputFormat::Jsonl,
            style: Style::new(false),
            replies: false,
            report: false,
            rules: false,
        }
    }

    /// The ids of the JSONL records in `bytes`, in order.
    fn ids(bytes: &[u8]) -> Vec<usize> {
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).unwrap();
                v["id"].as_str().unwrap().parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn chunks_come_back_in_input_order_whatever_the_threads() {
        // about 4 MB: several chunks, finished out of order by 4 threads
        let n = 20_000;
        let file = jsonl_file(n);
        let analyzer = Analyzer::new();
        for threads in [1, 4] {
            let (mut out, mut chunks) = (Vec::new(), 0);
            let pipeline = Pipeline::start(source(&file), Some(threads)).unwrap();
            pipeline
                .run(&analyzer, &worker(), false, |chunk| {
                    chunks += 1;
                    assert_eq!(chunk.records.last().map(|r| r.end), Some(chunk.bytes.len()));
                    out.extend_from_slice(&chunk.bytes);
                    Ok(true)
                })
                .unwrap();
            assert!(chunks > 2, "{chunks} chunks");
            assert_eq!(ids(&out), (0..n).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn the_writer_stops_the_run() {
        let file = jsonl_file(20_000);
        let pipeline = Pipeline::start(source(&file), Some(2)).unwrap();
        let mut chunks = 0;
        pipeline
            .run(&Analyzer::new(), &worker(), false, |_| {
                chunks += 1;
                Ok(false)
            })
            .unwrap();
        assert_eq!(chunks, 1);
    }

    #[test]
    fn zero_threads_is_an_error() {
        let file = jsonl_file(1);
        let e = Pipeline::start(source(&file), Some(0)).unwrap_err();
        assert_eq!(e.to_string(), "--threads must be at least 1");
    }
}
