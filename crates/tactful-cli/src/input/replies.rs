//! Canned replies (`check --replies`): each file, or each line, one agent
//! reply with no customer context.

use super::common::{error, io_message, line_of, strip_bom, Item, Origin, Unit};
use super::{display_name, utf16};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
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
        let mut files = Vec::new();
        // every directory and file is visited once, however many links lead
        // to it: a link to `.` or `..` would otherwise walk forever
        let mut seen = HashSet::new();
        seen.insert(identity(path));
        if let Err(e) = walk(path, &mut files, &mut seen) {
            emit(error(
                &origin,
                0,
                None,
                format!("cannot read directory: {}", io_message(&e)),
            ));
            return;
        }
        if files.is_empty() {
            emit(error(
                &origin,
                0,
                None,
                "no .txt or .md files in this directory",
            ));
        }
        for f in files {
            if !reply_file(&f, per_line, max, emit) {
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

/// Collects the `.txt` and `.md` files under `dir` in name order (depth
/// first, each directory's entries sorted), following links but visiting
/// each directory and file once (`seen`): a file reached by several paths
/// is read under the first of them in that order.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) -> io::Result<()> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<Vec<PathBuf>>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if seen.insert(identity(&p)) {
                walk(&p, out, seen)?;
            }
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
            && seen.insert(identity(&p))
        {
            out.push(p);
        }
    }
    Ok(())
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
