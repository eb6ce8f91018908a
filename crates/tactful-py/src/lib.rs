//! Python bindings of tactful: the extension module `tactful._tactful`, which
//! the pure-Python package `tactful` (in `python/tactful/`) re-exports.
//!
//! Records go through the command line's own reader and writer
//! (`tactful_cli::input::parse_record`, `tactful_cli::pipeline::Worker`,
//! `tactful_cli::output::json_record`): a Python dict is written as JSON
//! (`encode`, what `json.dumps` writes), read exactly as a JSONL line is,
//! analyzed, written as the `jsonl` record of `tactful check` and handed
//! back as the dicts `json.loads` would make of it (`loads`), or as Arrow
//! columns (`columns`). The records of the module and of the CLI cannot
//! drift apart, and so cannot their error messages. Batches run on rayon
//! with the GIL released.

use columns::{Rows, INT_COLUMNS};
use loads::Loader;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use tactful::{Config, Role, Scratch, Transcript, Turn};

mod columns;
mod encode;
mod loads;
use tactful_cli::input::{InputFormat, Item, Origin, Unit, DEFAULT_MAX_RECORD_BYTES};
use tactful_cli::output::{self, OutputFormat, Style};
use tactful_cli::pipeline::{Chunk, Pipeline, Source, Worker, MAX_THREADS};

pyo3::create_exception!(
    tactful,
    TactfulError,
    PyValueError,
    "Base class of tactful's errors (a ValueError)."
);
pyo3::create_exception!(
    tactful,
    ConfigError,
    TactfulError,
    "An invalid configuration: an unknown key or rule, a bad value or pattern."
);
pyo3::create_exception!(
    tactful,
    InputError,
    TactfulError,
    "A transcript record that cannot be read; `id` is its id when known."
);

/// Items of `analyze_many` converted and analyzed per batch, so that memory
/// stays bounded on a long iterable.
const BATCH: usize = 8192;

/// Name given to records of `analyze`/`analyze_many` in error records.
const RECORDS: &str = "<records>";

/// The worker that writes `tactful check --format jsonl` records.
fn jsonl_worker() -> Worker {
    Worker {
        format: OutputFormat::Jsonl,
        style: Style::new(false),
        replies: false,
        report: false,
        rules: false,
    }
}

/// `serde_json`'s message without its " at line L column C" (the input was
/// a Python value, not a text).
fn without_position(message: String) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

/// The configuration named by a Python value: `None` (defaults), a dict with
/// the keys of `tactful.toml`, or the path of a TOML file.
fn load_config(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<tactful::Analyzer> {
    let Some(config) = config.filter(|c| !c.is_none()) else {
        return Ok(tactful::Analyzer::new());
    };
    let config: Config = if let Ok(dict) = config.downcast::<PyDict>() {
        let json: String = py
            .import("json")?
            .getattr("dumps")?
            .call1((dict,))?
            .extract()?;
        serde_json::from_str(&json)
            .map_err(|e| ConfigError::new_err(without_position(e.to_string())))?
    } else if let Ok(path) = config.extract::<PathBuf>() {
        tactful_cli::settings::load(Some(&path))
            .map_err(ConfigError::new_err)?
            .config
    } else {
        return Err(PyTypeError::new_err(
            "config must be None, a dict or the path of a TOML file",
        ));
    };
    tactful::Analyzer::from_config(&config).map_err(|e| ConfigError::new_err(e.to_string()))
}

/// Converts records to JSON texts: a dict is written with `json.dumps`, a
/// `str` or `bytes` is taken as one JSON record already.
struct Encoder<'py> {
    dumps: Bound<'py, PyAny>,
}

impl<'py> Encoder<'py> {
    fn new(py: Python<'py>) -> PyResult<Encoder<'py>> {
        let json = py.import("json")?;
        let dumps = json.getattr("JSONEncoder")?.call(
            (),
            Some(&{
                let kw = PyDict::new(py);
                kw.set_item("ensure_ascii", false)?;
                kw.set_item("separators", (",", ":"))?;
                kw
            }),
        )?;
        Ok(Encoder {
            dumps: dumps.getattr("encode")?,
        })
    }

    fn bytes(&self, record: &Bound<'py, PyAny>) -> PyResult<Vec<u8>> {
        if let Ok(s) = record.downcast::<PyString>() {
            return Ok(s.encode_utf8()?.as_bytes().to_vec());
        }
        if let Ok(b) = record.downcast::<PyBytes>() {
            return Ok(b.as_bytes().to_vec());
        }
        if record.downcast::<PyDict>().is_err() {
            return Err(PyTypeError::new_err(format!(
                "a record must be a dict, or a JSON str or bytes, not {}",
                record.get_type().name()?
            )));
        }
        let mut out = Vec::new();
        if encode::write(record, &mut out)? {
            return Ok(out);
        }
        let text = self.dumps.call1((record,))?;
        Ok(text
            .downcast::<PyString>()?
            .encode_utf8()?
            .as_bytes()
            .to_vec())
    }
}

/// Analyzes JSON records in parallel, with `threads` threads (the global pool
/// when none), in chunks; `finish` makes each chunk's result from its output
/// (`tactful check --format jsonl` records) and the 0-based position of its
/// first record. Results come in input order. Called without the GIL.
fn run_chunks<T: Send>(
    analyzer: &tactful::Analyzer,
    pool: Option<&rayon::ThreadPool>,
    records: Vec<Vec<u8>>,
    first_line: usize,
    finish: impl Fn(usize, Chunk) -> T + Sync,
) -> Vec<T> {
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let per_chunk = (records.len() / (threads * 4)).clamp(1, 512);
    let mut chunks: Vec<(usize, Vec<Unit>)> = Vec::new();
    for (i, bytes) in records.into_iter().enumerate() {
        if i % per_chunk == 0 {
            chunks.push((first_line - 1 + i, Vec::with_capacity(per_chunk)));
        }
        let origin = Origin {
            file: Arc::from(RECORDS),
            line: first_line + i,
        };
        if let Some((_, c)) = chunks.last_mut() {
            c.push(Unit::JsonLine { origin, bytes });
        }
    }
    let worker = jsonl_worker();
    let work = || {
        chunks
            .into_par_iter()
            .map_init(Scratch::default, |scratch, (first, units)| {
                finish(first, worker.chunk(units, analyzer, scratch, Vec::new()))
            })
            .collect::<Vec<T>>()
    };
    match pool {
        Some(p) => p.install(work),
        None => work(),
    }
}

/// Analyzes JSON records in parallel (see [`run_chunks`]) into one JSONL
/// buffer, in input order. Called without the GIL.
fn run_batch(
    analyzer: &tactful::Analyzer,
    pool: Option<&rayon::ThreadPool>,
    records: Vec<Vec<u8>>,
    first_line: usize,
) -> Vec<u8> {
    let done = run_chunks(analyzer, pool, records, first_line, |_, c| c.bytes);
    let mut out = Vec::with_capacity(done.iter().map(Vec::len).sum());
    for bytes in done {
        out.extend_from_slice(&bytes);
    }
    out
}

/// Analyzes JSON records in parallel (see [`run_chunks`]) into finding rows,
/// one fragment per chunk, in input order. Called without the GIL.
fn run_rows(
    analyzer: &tactful::Analyzer,
    pool: Option<&rayon::ThreadPool>,
    records: Vec<Vec<u8>>,
    first_line: usize,
) -> Vec<Rows> {
    run_chunks(analyzer, pool, records, first_line, |first, chunk| {
        let mut rows = Rows::new();
        let mut start = 0;
        for (i, record) in chunk.records.iter().enumerate() {
            let json = chunk.bytes.get(start..record.end).unwrap_or_default();
            rows.push_record(json.strip_suffix(b"\n").unwrap_or(json), (first + i) as i64);
            start = record.end;
        }
        rows
    })
}

/// A batch of finding rows as the Python side takes it: `(rows, columns,
/// record)`, each column `(name, is_int, validity, null_count, offsets or
/// values, data)`, `record` the rows' record positions (int64).
fn batch_to_python<'py>(py: Python<'py>, rows: Rows) -> PyResult<Bound<'py, PyTuple>> {
    let buffers = rows.buffers();
    let columns = PyList::empty(py);
    for c in buffers.columns {
        let validity = c.validity.map(|v| PyBytes::new(py, &v));
        let data = (!c.int).then(|| PyBytes::new(py, &c.data));
        columns.append((
            c.name,
            c.int,
            validity,
            c.nulls,
            PyBytes::new(py, &c.main),
            data,
        ))?;
    }
    PyTuple::new(
        py,
        [
            buffers.rows.into_pyobject(py)?.into_any(),
            columns.into_any(),
            PyBytes::new(py, &buffers.record).into_any(),
        ],
    )
}

/// The thread pool for `threads`, none for the default (all cores).
fn pool(threads: Option<usize>) -> PyResult<Option<rayon::ThreadPool>> {
    let Some(n) = threads else {
        return Ok(None);
    };
    if n == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    if n > MAX_THREADS {
        return Err(PyValueError::new_err(format!(
            "threads must be at most {MAX_THREADS} (got {n})"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map(Some)
        .map_err(|e| TactfulError::new_err(e.to_string()))
}

/// The input format named by `input_format`.
fn parse_format(name: Option<&str>) -> PyResult<Option<InputFormat>> {
    Ok(match name {
        None => None,
        Some("jsonl") | Some("ndjson") => Some(InputFormat::Jsonl),
        Some("json") => Some(InputFormat::Json),
        Some("csv") => Some(InputFormat::Csv),
        Some("text") | Some("txt") => Some(InputFormat::Text),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "unknown input format {other:?} (expected jsonl, json, csv or text)"
            )))
        }
    })
}

/// A compiled analyzer: build one and share it (it is thread-safe).
///
/// `config` is None (the defaults), a dict with the keys of `tactful.toml`
/// (`{"ignore": ["excuse"], "distress": {"threshold": 40}}`) or the path of
/// a TOML file. A bad configuration raises `ConfigError` with the message
/// the command line prints.
#[pyclass(module = "tactful", frozen)]
struct Analyzer {
    core: Arc<tactful::Analyzer>,
}

#[pymethods]
impl Analyzer {
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<Analyzer> {
        Ok(Analyzer {
            core: Arc::new(load_config(py, config)?),
        })
    }

    /// Analyzes one transcript (a dict of the JSONL input shape, or a JSON
    /// str/bytes) and returns the `tactful check --format jsonl` record as a
    /// dict. A record that cannot be read raises `InputError` with the CLI's
    /// message. A missing `id` becomes "1".
    fn analyze<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = Encoder::new(py)?.bytes(record)?;
        let core = self.core.clone();
        let out = py.allow_threads(move || {
            let worker = jsonl_worker();
            let unit = Unit::JsonLine {
                origin: Origin {
                    file: Arc::from(RECORDS),
                    line: 1,
                },
                bytes,
            };
            worker
                .chunk(vec![unit], &core, &mut Scratch::default(), Vec::new())
                .bytes
        });
        let record = Loader::new(py).lines(&out)?.get_item(0)?;
        if let Ok(Some(error)) = record.downcast::<PyDict>()?.get_item("error") {
            let message: String = error.get_item("message")?.extract()?;
            let err = InputError::new_err(message);
            err.value(py).setattr("id", record.get_item("id")?)?;
            return Err(err);
        }
        Ok(record)
    }

    /// Analyzes every record of `records` (dicts, or JSON str/bytes) in
    /// parallel on `threads` threads (default: all cores) with the GIL
    /// released, and returns the output records in input order. A record that
    /// cannot be read gives an error record in its place, as in the CLI
    /// (`{"schema_version": 1, "id": ..., "error": {"file": "<records>",
    /// "line": N, "message": ...}}`, N the 1-based position); a missing `id`
    /// becomes that position.
    #[pyo3(signature = (records, threads=None))]
    fn analyze_many<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = pool(threads)?;
        let encoder = Encoder::new(py)?;
        let out = PyList::empty(py);
        let mut loader = Loader::new(py);
        let mut batch = Vec::new();
        let mut first_line = 1;
        let mut flush = |batch: &mut Vec<Vec<u8>>, first_line: &mut usize| -> PyResult<()> {
            let records = std::mem::take(batch);
            let n = records.len();
            let core = &*self.core;
            let pool = pool.as_ref();
            let line = *first_line;
            let bytes = py.allow_threads(move || run_batch(core, pool, records, line));
            loader.lines_into(&bytes, &out)?;
            *first_line += n;
            Ok(())
        };
        for record in records.try_iter()? {
            batch.push(encoder.bytes(&record?)?);
            if batch.len() >= BATCH {
                flush(&mut batch, &mut first_line)?;
            }
        }
        if !batch.is_empty() {
            flush(&mut batch, &mut first_line)?;
        }
        Ok(out)
    }

    /// Analyzes `records` as `analyze_many` does, but returns the finding rows
    /// as a `pyarrow.Table` (the columns of `tactful.to_arrow`; equal to
    /// `to_arrow(analyze_many(records))`), built in Rust: no Python object is
    /// made per record or finding. With `position`, a last `int64` column of
    /// that name gives each row's record (its 0-based position in `records`).
    /// Needs pyarrow (`pip install tactful[arrow]`).
    #[pyo3(signature = (records, threads=None, position=None))]
    fn analyze_arrow<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<usize>,
        position: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pool = pool(threads)?;
        let encoder = Encoder::new(py)?;
        let mut fragments = Vec::new();
        let mut batch = Vec::new();
        let mut first_line = 1;
        let core = &*self.core;
        let mut flush = |batch: &mut Vec<Vec<u8>>, first_line: &mut usize| {
            let records = std::mem::take(batch);
            let n = records.len();
            let pool = pool.as_ref();
            let line = *first_line;
            fragments.extend(py.allow_threads(move || run_rows(core, pool, records, line)));
            *first_line += n;
        };
        for record in records.try_iter()? {
            batch.push(encoder.bytes(&record?)?);
            if batch.len() >= BATCH {
                flush(&mut batch, &mut first_line);
            }
        }
        if !batch.is_empty() {
            flush(&mut batch, &mut first_line);
        }
        let batches = py.allow_threads(move || columns::join(fragments));
        let list = PyList::empty(py);
        for rows in batches {
            list.append(batch_to_python(py, rows)?)?;
        }
        py.import("tactful")?
            .getattr("_arrow_table")?
            .call1((list, position))
    }

    /// Reads a transcript file (JSONL, JSON, CSV or text; the format from the
    /// extension unless `input_format` names it) and yields its records in
    /// input order, error records included, exactly as `tactful check
    /// --format jsonl` writes them. Reading and analysis run on background
    /// threads (`threads`, default all cores) while you iterate.
    #[pyo3(signature = (path, input_format=None, threads=None))]
    fn check_file(
        &self,
        path: PathBuf,
        input_format: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<Records> {
        let format = parse_format(input_format)?;
        let source = Source {
            files: vec![path],
            format,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            replies: None,
            strict: false,
        };
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let pipeline =
            Pipeline::start(source, threads).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let (tx, rx) = sync_channel::<Result<Vec<u8>, String>>(2);
        let core = self.core.clone();
        std::thread::spawn(move || {
            let worker = jsonl_worker();
            let done = pipeline.run(&core, &worker, false, |chunk| {
                let bytes = std::mem::take(&mut chunk.bytes);
                Ok(tx.send(Ok(bytes)).is_ok())
            });
            if let Err(e) = done {
                let _ = tx.send(Err(e.to_string()));
            }
        });
        Ok(Records {
            chunks: Mutex::new(rx),
            ready: Mutex::new(VecDeque::new()),
        })
    }

    /// A live chat analyzed by this analyzer (see `Conversation`).
    #[pyo3(signature = (id=None))]
    fn conversation(&self, id: Option<String>) -> Conversation {
        Conversation::with(self.core.clone(), id)
    }
}

/// The records of `Analyzer.check_file`, in input order.
#[pyclass(module = "tactful", frozen)]
struct Records {
    chunks: Mutex<Receiver<Result<Vec<u8>, String>>>,
    ready: Mutex<VecDeque<PyObject>>,
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        loop {
            if let Some(r) = self.ready.lock().ok().and_then(|mut q| q.pop_front()) {
                return Ok(Some(r));
            }
            let next = py.allow_threads(|| self.chunks.lock().ok().and_then(|rx| rx.recv().ok()));
            match next {
                None => return Ok(None),
                Some(Err(e)) => return Err(TactfulError::new_err(e)),
                Some(Ok(bytes)) if bytes.is_empty() => {}
                Some(Ok(bytes)) => {
                    let list = Loader::new(py).lines(&bytes)?;
                    if let Ok(mut q) = self.ready.lock() {
                        q.extend(list.iter().map(Bound::unbind));
                    }
                }
            }
        }
    }
}

type Chat<'a> = tactful::Conversation<'a>;

self_cell::self_cell!(
    /// A conversation with the analyzer it borrows.
    struct Live {
        owner: Arc<tactful::Analyzer>,
        #[covariant]
        dependent: Chat,
    }
);

/// The state of a live chat: the conversation and the turns pushed so far.
struct ChatState {
    live: Live,
    turns: Vec<(Role, String)>,
    id: String,
}

impl ChatState {
    /// The turns so far as a transcript (borrowed).
    fn transcript(&self) -> Transcript<'_> {
        let mut t = Transcript::new(self.id.as_str());
        t.turns = self
            .turns
            .iter()
            .map(|(role, text)| Turn::new(*role, Cow::Borrowed(text.as_str())))
            .collect();
        t
    }

    /// Findings as a JSON array.
    fn findings_json(&self, findings: &[tactful::Finding]) -> Vec<u8> {
        let t = self.transcript();
        let mut out = vec![b'['];
        for (i, f) in findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            output::json_finding(&mut out, f, &t);
        }
        out.push(b']');
        out
    }
}

/// A live chat fed turn by turn: `push(role, text)` returns the findings
/// the turn adds (as dicts, in the shape of a record's `findings`), an
/// `empathy_gap` as soon as the agent's reply is complete; `finish()` judges
/// a reply still open; `report()` is the whole record so far, the same as
/// `Analyzer.analyze` on the transcript once `finish()` was called.
#[pyclass(module = "tactful", frozen)]
struct Conversation {
    state: Mutex<ChatState>,
}

impl Conversation {
    fn with(analyzer: Arc<tactful::Analyzer>, id: Option<String>) -> Conversation {
        Conversation {
            state: Mutex::new(ChatState {
                live: Live::new(analyzer, |a| tactful::Conversation::new(a)),
                turns: Vec::new(),
                id: id.unwrap_or_else(|| "1".to_string()),
            }),
        }
    }

    fn state(&self) -> PyResult<std::sync::MutexGuard<'_, ChatState>> {
        self.state
            .lock()
            .map_err(|_| TactfulError::new_err("the conversation is unusable after a panic"))
    }
}

#[pymethods]
impl Conversation {
    #[new]
    #[pyo3(signature = (analyzer=None, id=None))]
    fn new(analyzer: Option<&Analyzer>, id: Option<String>) -> Conversation {
        let core = analyzer.map_or_else(|| Arc::new(tactful::Analyzer::new()), |a| a.core.clone());
        Conversation::with(core, id)
    }

    /// Adds a turn (`role`: customer, agent or system, or an alias) and
    /// returns the findings it adds.
    fn push<'py>(&self, py: Python<'py>, role: &str, text: String) -> PyResult<Bound<'py, PyAny>> {
        let mut state = self.state()?;
        let index = state.turns.len();
        let Some(role) = Role::parse(role) else {
            return Err(InputError::new_err(format!(
                "turn {index}: unknown role {role:?} (expected customer, agent or system, or an alias such as user, rep, bot)"
            )));
        };
        let findings = state
            .live
            .with_dependent_mut(|_, chat| chat.push(role, &text));
        state.turns.push((role, text));
        let json = state.findings_json(&findings);
        drop(state);
        Loader::new(py).record(&json)
    }

    /// Ends the chat: returns the `empathy_gap` of an agent reply still open,
    /// if any (calling it again returns nothing new).
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut state = self.state()?;
        let findings = state.live.with_dependent_mut(|_, chat| chat.finish());
        let json = state.findings_json(&findings);
        drop(state);
        Loader::new(py).record(&json)
    }

    /// The record of the chat so far, as `Analyzer.analyze` returns it.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state()?;
        let report = state.live.borrow_dependent().report();
        let item = Item {
            transcript: state.transcript(),
            metadata: None,
        };
        let mut out = Vec::new();
        output::json_record(&mut out, &item, &report);
        drop(item);
        drop(state);
        Loader::new(py).record(&out)
    }

    /// Number of turns pushed so far.
    fn __len__(&self) -> PyResult<usize> {
        Ok(self.state()?.turns.len())
    }
}

/// The module's JSON reader on one JSON text (what `json.loads` returns, or
/// raises): for the tests of the reader's own paths, which the CLI's records
/// never take (a lone surrogate, deep nesting, `NaN`).
#[pyfunction]
fn _loads<'py>(py: Python<'py>, json: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    Loader::new(py).record(json)
}

/// The extension module behind the `tactful` package.
#[pymodule]
fn _tactful(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA_VERSION", output::SCHEMA_VERSION)?;
    // the CLI's CSV columns, which `to_pandas` and `to_arrow` follow
    m.add("CSV_COLUMNS", output::CSV_HEADER.to_vec())?;
    // which of them are integers (int64 in Arrow, Int64 in pandas)
    m.add("INT_COLUMNS", INT_COLUMNS.to_vec())?;
    m.add("TactfulError", py.get_type::<TactfulError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add_class::<Analyzer>()?;
    m.add_class::<Conversation>()?;
    m.add_class::<Records>()?;
    m.add_function(wrap_pyfunction!(_loads, m)?)?;
    Ok(())
}
