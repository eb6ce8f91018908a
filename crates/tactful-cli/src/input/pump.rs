//! Standard input read on a thread of its own, so that the JSONL reader can
//! tell when a pipe has nothing more for now ([`Idle`]): it then hands on
//! the whole lines it holds instead of waiting for a full block, and a live
//! export (`consumer | tactful check -`) gets its records as they come.

use std::cell::Cell;
use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

/// Bytes the pump reads at a time (a pipe holds 64 KiB).
const PUMP_READ: usize = 64 * 1024;

/// Whether the input has nothing waiting, and the reader's request that
/// what was emitted so far go on now (rather than wait for a full chunk).
#[derive(Debug, Default)]
pub struct Idle {
    /// Bytes read from the input and not yet taken by the reader.
    pending: Arc<AtomicUsize>,
    /// Whether the input is pumped (an input that never waits, such as a
    /// file, is never idle).
    pumped: Cell<bool>,
    /// Set by the reader when the input went idle; taken by whoever batches
    /// the units ([`Idle::take_flush`]).
    flush: Cell<bool>,
}

impl Idle {
    /// Whether reading now would wait for more input.
    pub(super) fn now(&self) -> bool {
        self.pumped.get() && self.pending.load(Ordering::Acquire) == 0
    }

    pub(super) fn request_flush(&self) {
        self.flush.set(true);
    }

    /// Whether the reader asked, since the last call, for the units emitted
    /// so far to be passed on now: the input is waiting for more.
    pub fn take_flush(&self) -> bool {
        self.flush.take()
    }
}

/// `inner` read on its own thread; `idle` learns when nothing is waiting.
pub(super) fn pump(mut inner: Box<dyn Read + Send>, idle: &Idle) -> Box<dyn Read + Send> {
    let pending = idle.pending.clone();
    idle.pumped.set(true);
    let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
    let counted = pending.clone();
    std::thread::spawn(move || loop {
        let mut buf = vec![0u8; PUMP_READ];
        match inner.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                buf.truncate(n);
                counted.fetch_add(n, Ordering::AcqRel);
                if tx.send(Ok(buf)).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    });
    Box::new(Pumped {
        rx,
        pending,
        current: Vec::new(),
        pos: 0,
    })
}

/// The reading end of [`pump`].
struct Pumped {
    rx: Receiver<io::Result<Vec<u8>>>,
    pending: Arc<AtomicUsize>,
    current: Vec<u8>,
    pos: usize,
}

impl Read for Pumped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.pos == self.current.len() {
            match self.rx.recv() {
                Ok(Ok(bytes)) => {
                    self.current = bytes;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                // the pump stopped at the end of the input
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        self.pending.fetch_sub(n, Ordering::AcqRel);
        Ok(n)
    }
}
