//! `tactful completions SHELL` and `tactful man`: a shell's completion
//! script and the manual page, both generated from the clap definition so
//! that they list every subcommand and option there is.

use crate::cli::Cli;
use clap::CommandFactory;
use std::io::{self, Write};

/// Prints the completion script of `shell` on stdout.
pub(crate) fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tactful", &mut out);
    let mut stdout = io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(0)
}

/// Prints the manual page (roff) on stdout: the command, then a section
/// per subcommand with its options.
pub(crate) fn man() -> anyhow::Result<u8> {
    let command = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        out.extend_from_slice(
            format!(".SH \"TACTFUL {}\"\n", sub.get_name().to_uppercase()).as_bytes(),
        );
        let man = clap_mangen::Man::new(sub.clone());
        man.render_description_section(&mut out)?;
        man.render_synopsis_section(&mut out)?;
        man.render_options_section(&mut out)?;
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(0)
}
