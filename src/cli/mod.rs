//! The `interlock` command line. The clap structs stay in this module; each command gets
//! resolved values.

mod approve;
mod check;
mod doctor;
mod log;
mod rules_cmd;
mod setup;
mod shims;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit;

/// The version, with the commit it was built from when the build could tell (build.rs).
const VERSION: &str = match option_env!("INTERLOCK_COMMIT") {
    Some(_) => concat!(env!("CARGO_PKG_VERSION"), " (", env!("INTERLOCK_COMMIT"), ")"),
    None => env!("CARGO_PKG_VERSION"),
};

#[derive(Debug, Parser)]
#[command(
    name = "interlock",
    version = VERSION,
    about = "A seatbelt between AI agents and irreversible commands."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a completion script for a shell (`interlock completions bash > …`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout (`interlock man | man -l -`).
    Man,
    /// Classify a call without running it: prints allow, confirm or deny (exit 0, 1, 1).
    Check {
        /// Print one JSON object instead of a line.
        #[arg(long)]
        json: bool,
        /// The program and its arguments, after `--`.
        #[arg(required = true, trailing_var_arg = true, value_name = "PROGRAM [ARGS]...")]
        argv: Vec<OsString>,
    },
    /// Show the facts interlock sees in a call, the rules that matched, and why.
    Explain {
        /// One JSON object (`schema`, `command`, `facts`, `options`, `matches`, `notes`,
        /// `decision`) instead of text.
        #[arg(long)]
        json: bool,
        #[arg(required = true, trailing_var_arg = true, value_name = "PROGRAM [ARGS]...")]
        argv: Vec<OsString>,
    },
    /// Manage the directory of shims (symlinks named after the guarded programs).
    Shims {
        #[command(subcommand)]
        action: ShimsAction,
    },
    /// Report whether protection is active on this PATH; exits non-zero when it is not.
    Doctor {
        /// The shims directory to check (default: the standard one).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// List every shim and the real program behind it.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Show the audit log: every shim decision and every hook refusal, newest last.
    Log {
        /// Only records since a time (RFC 3339, any offset: 2026-12-07T22:58:00+02:00) or a span
        /// back from now (90s, 30m, 2h30m, 7d, 1w).
        #[arg(long)]
        since: Option<String>,
        /// Only this decision.
        #[arg(long, value_parser = ["allow", "confirmed", "declined", "blocked", "denied", "approved"])]
        decision: Option<String>,
        /// Only this program.
        #[arg(long)]
        program: Option<String>,
        /// Only calls made under this agent (e.g. "Claude Code", "Cursor").
        #[arg(long)]
        agent: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Keep printing new records as they are written.
        #[arg(long, short)]
        follow: bool,
    },
    /// Answer an agent's pre-execution hook: the event on stdin, the answer on stdout.
    Hook {
        #[arg(value_parser = agent_value())]
        agent: crate::agent::Agent,
    },
    /// Register interlock's hook with an agent and put the shims first on its PATH.
    Setup {
        #[arg(value_parser = target_value())]
        agent: setup::Target,
        /// The project's settings (in the current directory) instead of the user's.
        #[arg(long)]
        project: bool,
        /// Print the change instead of writing it.
        #[arg(long)]
        dry_run: bool,
        /// Take interlock's registration out again.
        #[arg(long)]
        remove: bool,
    },
    /// Approve one run of a blocked command (a human, in their own terminal).
    Approve {
        /// The code from the block message.
        code: String,
    },
    /// List or test the rules in force.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

/// The agents whose hooks interlock answers, by their names (`Agent::ALL`).
fn agent_value() -> impl clap::builder::TypedValueParser<Value = crate::agent::Agent> {
    use crate::agent::Agent;
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Agent::ALL.map(Agent::name))
        .try_map(|name| Agent::from_name(&name).ok_or_else(|| format!("no agent is called {name}")))
}

/// What `setup` can wire, by name (`setup::Target::all`): the agents, and the integrated
/// terminal of VS Code/Cursor.
fn target_value() -> impl clap::builder::TypedValueParser<Value = setup::Target> {
    use clap::builder::TypedValueParser as _;
    let values = setup::Target::all().map(|t| match t.help() {
        Some(help) => clap::builder::PossibleValue::new(t.name()).help(help),
        None => clap::builder::PossibleValue::new(t.name()),
    });
    clap::builder::PossibleValuesParser::new(values)
        .try_map(|name| setup::Target::from_name(&name).ok_or_else(|| format!("setup knows no {name}")))
}

#[derive(Debug, Subcommand)]
enum ShimsAction {
    /// Create or refresh one symlink per guarded program.
    Install {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// List the shims and the real program each one would run.
    List {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Remove the shims this tool created (and the directory, when empty).
    Remove {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum RulesAction {
    /// List every rule with where it comes from and whether it is in force (accepted,
    /// disabled by which file, ignored), and the files waiting for `rules accept`.
    List {
        /// One JSON object (`schema`, `rules`, `pending`, `errors`).
        #[arg(long)]
        json: bool,
    },
    /// Check every rule's examples (or only those of FILE).
    Test { file: Option<PathBuf> },
    /// Put rule files that loosen protection in force (a human, in their own terminal).
    Accept,
}

/// `interlock man`: the manual page, from the same definitions as `--help`.
fn man() -> anyhow::Result<u8> {
    use anyhow::Context;
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
        .render(&mut out)
        .context("writing the manual page")?;
    Ok(exit::ALLOW)
}

/// `interlock hook AGENT`: never fails open, whatever arrives on stdin.
fn hook(agent: crate::hook::protocol::Agent) -> u8 {
    crate::hook::protocol::serve(agent, std::io::stdin(), crate::hook::protocol::BUDGET)
}

/// Run the CLI with `argv` (argv[0] included).
pub(crate) fn run(argv: Vec<OsString>) -> ExitCode {
    // Like any Unix tool: `interlock log | head` ends quietly when head exits.
    crate::shim::restore_signal_dispositions();
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::ERROR } else { exit::ALLOW });
        }
    };
    let result = match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "interlock",
                &mut std::io::stdout(),
            );
            Ok(exit::ALLOW)
        }
        Command::Man => man(),
        Command::Check { json, argv } => check::check(argv, json),
        Command::Explain { json, argv } => check::explain(argv, json),
        Command::Shims { action: ShimsAction::Install { dir } } => shims::install(dir),
        Command::Shims { action: ShimsAction::List { dir } } => shims::list(dir),
        Command::Shims { action: ShimsAction::Remove { dir } } => shims::remove(dir),
        Command::Doctor { dir, verbose } => doctor::doctor(dir, verbose),
        Command::Rules { action: RulesAction::List { json } } => rules_cmd::list(json),
        Command::Rules { action: RulesAction::Test { file } } => rules_cmd::test(file),
        Command::Rules { action: RulesAction::Accept } => approve::accept(),
        Command::Approve { code } => approve::approve(&code),
        Command::Hook { agent } => Ok(hook(agent)),
        Command::Setup { agent, project, dry_run, remove } => {
            setup::setup(agent, setup::Options { project, dry_run, remove })
        }
        Command::Log { since, decision, program, agent, json, follow } => {
            match since.as_deref().map(log::parse_since).transpose() {
                Ok(since) => log::log(log::Filter { since, decision, program, agent }, json, follow),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("interlock: {e:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}
