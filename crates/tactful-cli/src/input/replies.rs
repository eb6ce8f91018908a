//! Canned replies (`check --replies`): each file, or each line, one agent
//! reply with no customer context.

use super::common::{error, io_message, line_of, strip_bom, Item, Origin, TurnAt, Unit};
use super::{display_name, utf16};
use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use tactful::{Role, Transcript, Turn};

/// Reads canned replies: each `.txt`/`.md` file (directories are walked in
/// name order) is one agent reply, or with `per_line` each non-empty line of a
/// `.txt` file is one. Ids are the path, or `path:line`, in lossy UTF-8 (the
/// files themselves are opened by their OS paths, UTF-8 or not).
pub fn read_replies(path: &Path, per_line: bool, max: usize, emit: &mut dyn FnMut(Unit) -> bool) {
    let origin = Origin {
        file: display_name(path),
        line: 0,
    };
    if path.is_dir() {
        let entries = walk(path);
        if entries.is_empty() {
            emit(error(
                &origin,
                0,
                None,
                "no .txt or .md files in this directory",
            ));
        }
        for entry in entries {
            let go_on = match entry {
                Ok(f) => reply_file(&f, per_line, max, emit),
                Err((p, message)) => emit(error(
                    &Origin {
                        file: display_name(&p),
                        line: 0,
                    },
                    0,
                    None,
                    message,
                )),
            };
            if !go_on {
                return;
            }
        }
    } else {
        reply_file(path, per_line, max, emit);
    }
}

/// What makes two paths the same file or directory: the path with every
/// link resolved (or the path itself when it cannot be resolved, such as a
/// broken link, which is then reported once as a file that cannot be opened).
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether a file is a canned reply by its name: `.txt` or `.md`.
fn is_reply(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
}

/// The `.txt` and `.md` files under `dir` in name order (walkdir: depth
/// first, each directory's entries sorted by name), following links but
/// visiting each directory and file once: a link back to a directory being
/// walked is not followed (walkdir detects the loop), and a file or directory
/// reached by several paths is read under the first of them. A directory
/// that cannot be read is an error naming it, and the walk goes on.
fn walk(dir: &Path) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                if !seen.insert(identity(e.path())) {
                    walker.skip_current_dir();
                }
            }
            Ok(e) => {
                if is_reply(e.path()) && seen.insert(identity(e.path())) {
                    out.push(Ok(e.into_path()));
                }
            }
            // a link back to a directory being walked: already walked
            Err(e) if e.loop_ancestor().is_some() => {}
            Err(e) => {
                let Some(p) = e.path().map(Path::to_path_buf) else {
                    continue;
                };
                let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_symlink());
                if is_link && !is_reply(&p) {
                    // a broken link to something that is not a reply
                    continue;
                }
                if is_reply(&p) {
                    // a broken link named .txt: reading it says why it fails
                    if seen.insert(identity(&p)) {
                        out.push(Ok(p));
                    }
                    continue;
                }
                let message = match e.io_error() {
                    Some(io) => format!("cannot read directory: {}", io_message(io)),
                    None => format!("cannot read directory: {e}"),
                };
                out.push(Err((p, message)));
            }
        }
    }
    out
}

fn reply_file(path: &Path, per_line: bool, max: usize, emit: &mut dyn FnMut(Unit) -> bool) -> bool {
    let name = display_name(path);
    let origin = Origin {
        file: name.clone(),
        line: 0,
    };
    let mut bytes = Vec::new();
    let read = File::open(path).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return emit(error(
            &origin,
            0,
            None,
            format!("cannot open: {}", io_message(&e)),
        ));
    }
    if bytes.len() > max {
        return emit(error(
            &origin,
            0,
            None,
            format!("file is longer than the limit of {max} bytes"),
        ));
    }
    let bytes = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => utf16::decode(&bytes[2..], utf16::ByteOrder::Little),
        Some([0xFE, 0xFF]) => utf16::decode(&bytes[2..], utf16::ByteOrder::Big),
        _ => {
            strip_bom(&mut bytes);
            bytes
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = line_of(e.as_bytes(), at);
            return emit(error(&origin, line, None, "invalid UTF-8"));
        }
    };
    let reply = |id: String, line: usize, text: String| Unit::Item {
        origin: Origin {
            file: origin.file.clone(),
            line,
        },
        item: Box::new(Item {
            transcript: Transcript::new(id).with_turn(Turn::new(Role::Agent, text)),
            metadata: None,
        }),
        turns_at: vec![TurnAt { line, column: 0 }],
    };
    let is_txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if per_line && is_txt {
        for (i, line) in text.lines().enumerate() {
            let line_text = line.trim_end_matches('\r');
            if line_text.trim().is_empty() {
                continue;
            }
            if !emit(reply(
                format!("{name}:{}", i + 1),
                i + 1,
                line_text.to_string(),
            )) {
                return false;
            }
        }
        true
    } else {
        emit(reply(name.to_string(), 1, text))
    }
}
