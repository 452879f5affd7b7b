//! The command line (SPEC §5): one Args struct per command. The help of
//! every command and flag comes from the catalogue (`cmd-<command>`,
//! `arg-<command>-<flag>` or `arg-<flag>`), set when the parser is made.

use std::path::PathBuf;

use bantin::messages::Messages;
use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "bantin", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    // Read before parsing (`main::chosen_lang`), since the help is in it.
    #[arg(long, global = true, value_parser = ["vi", "en"])]
    pub lang: Option<String>,
}

/// The parser with every help text in the language of `messages`, and
/// clap's own words ("Usage:", "Options:", "[default: …]") from the catalogue too.
pub fn command(messages: &Messages) -> clap::Command {
    let text = |id: &str| messages.get(id, &[]);
    let root = Cli::command()
        .subcommand_help_heading(text("help-commands"))
        .subcommand_value_name(text("help-usage-command"))
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(Arg::new("version").long("version").short('V').action(ArgAction::Version));
    let root = worded(root, messages, "bantin");
    let names: Vec<String> = root.get_subcommands().map(|c| c.get_name().to_string()).collect();
    let mut root =
        names.into_iter().fold(root, |root, name| root.mut_subcommand(&name, |c| worded(c, messages, &name)));
    // clap writes "[OPTIONS]" into the usage line itself: the line is made, then reworded.
    root.build();
    let options = format!("[{}]", text("help-usage-options"));
    let mut usage = |command: &mut clap::Command| {
        let line = command.render_usage().to_string();
        let line =
            line.split_once(": ").map_or(line.as_str(), |(_, usage)| usage).replace("[OPTIONS]", &options);
        *command = std::mem::take(command).override_usage(line);
    };
    root.get_subcommands_mut().for_each(&mut usage);
    usage(&mut root);
    root
}

/// One command's about (`cmd-<name>`), template and headings, and the help of
/// each argument: `arg-<name>-<flag>` where a command words a flag its own way,
/// else `arg-<flag>`; its `.value` attribute names the value (`<THƯ_MỤC>`).
fn worded(command: clap::Command, messages: &Messages, name: &str) -> clap::Command {
    let text = |id: &str| messages.get(id, &[]);
    let command = command
        .about(text(&format!("cmd-{name}")))
        .help_template(text("help-template"))
        .disable_help_flag(true)
        .arg(Arg::new("help").long("help").short('h').action(ArgAction::Help));
    let ids: Vec<String> = command.get_arguments().map(|a| a.get_id().to_string()).collect();
    ids.into_iter().fold(command, |command, id| {
        let key = id.replace('_', "-");
        let own = format!("arg-{name}-{key}");
        let message = if messages.has(&own) { own } else { format!("arg-{key}") };
        command.mut_arg(&id, |arg| {
            let mut help = text(&message);
            let defaults: Vec<String> =
                arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
            if !defaults.is_empty() {
                help = messages
                    .get("help-default", &[("help", help.into()), ("value", defaults.join(", ").into())]);
            }
            let heading = if arg.is_positional() { "help-arguments" } else { "help-options" };
            let arg = arg.help(help).help_heading(text(heading));
            match arg.get_action().takes_values() {
                true => arg
                    .value_name(messages.attribute(&message, "value", &[]))
                    .hide_default_value(true)
                    .hide_possible_values(true),
                false => arg,
            }
        })
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(BuildArgs),
    Check(CheckArgs),
    Serve(ServeArgs),
    Init(InitArgs),
    New(NewArgs),
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long, default_value = bantin::pipeline::DEFAULT_OUTPUT)]
    pub output: PathBuf,
    #[arg(long)]
    pub drafts: bool,
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long)]
    pub drafts: bool,
    #[arg(long, default_value_t = bantin::import::SUMMARY_MAX)]
    pub summary_max: usize,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    #[arg(long)]
    pub open: bool,
    #[arg(long)]
    pub drafts: bool,
    #[arg(long)]
    pub editor_on_network: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    pub title: String,
    #[arg(long)]
    pub organ: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, default_value = "content")]
    pub out: PathBuf,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}
