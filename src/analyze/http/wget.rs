//! wget: `--method`, `--post-data/--post-file`, `--body-data/--body-file`, and the same as
//! wgetrc commands (`-e post_data=…`).

use super::{parse_url, record};
use crate::analyze::input;
use crate::analyze::options::{OptTable, flag, val};
use crate::facts::Facts;
use crate::invocation::Invocation;

/// wget's options that take a value (`wget --help`); any other option is a flag. Options
/// that change the request are read by `wget`'s match below.
const WGET: OptTable = OptTable::new(&[
    val(Some('e'), "execute").means("a wgetrc command (`post_data=…`, `method=…`)"),
    val(Some('o'), "output-file"),
    val(Some('a'), "append-output"),
    val(Some('i'), "input-file").means("a file of URLs to fetch"),
    val(Some('B'), "base"),
    val(None, "config"),
    val(None, "bind-address"),
    val(Some('t'), "tries"),
    val(Some('O'), "output-document"),
    val(Some('T'), "timeout"),
    val(None, "dns-timeout"),
    val(None, "connect-timeout"),
    val(None, "read-timeout"),
    val(Some('w'), "wait"),
    val(None, "waitretry"),
    val(None, "limit-rate"),
    val(Some('Q'), "quota"),
    val(None, "user"),
    val(None, "password"),
    val(Some('P'), "directory-prefix"),
    val(None, "cut-dirs"),
    val(None, "http-user"),
    val(None, "http-password"),
    val(None, "header"),
    val(None, "max-redirect"),
    val(None, "proxy-user"),
    val(None, "proxy-password"),
    val(None, "referer"),
    val(Some('U'), "user-agent"),
    val(None, "load-cookies"),
    val(None, "save-cookies"),
    val(None, "post-data").means("a body (POST)"),
    val(None, "post-file").means("a file sent as the body (POST)"),
    val(None, "method").means("the request method"),
    val(None, "body-data").means("a body, sent with `--method`"),
    val(None, "body-file").means("a file sent as the body, with `--method`"),
    val(None, "certificate"),
    val(None, "certificate-type"),
    val(None, "private-key"),
    val(None, "private-key-type"),
    val(None, "ca-certificate"),
    val(None, "ca-directory"),
    val(None, "secure-protocol"),
    val(None, "ftp-user"),
    val(None, "ftp-password"),
    val(Some('l'), "level"),
    val(Some('A'), "accept"),
    val(Some('R'), "reject"),
    val(Some('D'), "domains"),
    val(None, "exclude-domains"),
    val(Some('I'), "include-directories"),
    val(Some('X'), "exclude-directories"),
    val(Some('Y'), "proxy"),
    flag(Some('q'), "quiet"),
    flag(Some('v'), "verbose"),
    flag(Some('S'), "server-response"),
    flag(Some('c'), "continue"),
    flag(Some('N'), "timestamping"),
    flag(Some('r'), "recursive"),
    flag(Some('m'), "mirror"),
    flag(Some('k'), "convert-links"),
    flag(Some('p'), "page-requisites"),
    flag(Some('b'), "background"),
    flag(Some('h'), "help"),
    flag(Some('V'), "version"),
]);

/// Analyze a wget invocation: `--method`, `--post-data/--post-file`, `--body-data/--body-file`,
/// and the same given as wgetrc commands (`-e post_data=…`, `--execute method=DELETE`).
pub(crate) fn wget(inv: &Invocation) -> Facts {
    let args = inv.args_lossy();
    let mut facts = Facts::default();
    let (mut method, mut body): (Option<String>, Option<String>) = (None, None);
    let mut urls = Vec::new();
    // Options as (long name, value), in order: `--name[=v]`, abbreviations, short clusters.
    let mut opts: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            urls.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (typed, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = WGET.resolve(typed) else { continue };
            let value = spec.take_value(inline, &args, &mut i);
            opts.push((spec.long.to_string(), value.unwrap_or_default()));
        } else if a.starts_with('-') && a.len() > 1 {
            // A short cluster: the first value-taking letter takes the rest, or the next word.
            let letters: Vec<char> = a[1..].chars().collect();
            for (pos, c) in letters.iter().enumerate() {
                let Some(spec) = WGET.short(*c) else { continue };
                if spec.value {
                    let rest: String = letters[pos + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned().unwrap_or_default()
                    } else {
                        rest
                    };
                    opts.push((spec.long.to_string(), value));
                    break;
                }
            }
        } else {
            urls.push(a.clone());
        }
    }
    for (name, v) in opts {
        if matches!(name.as_str(), "post-data" | "body-data" | "execute") && inv.is_computed(&v) {
            facts.unknown.push(format!("the body wget sends (--{name}) is computed when the command runs (`$(…)`)"));
        }
        let (name, v) = if name == "execute" { wgetrc_command(&v) } else { (name, v) };
        match name.as_str() {
            "method" => method = Some(v.to_ascii_uppercase()),
            // One URL per line; `-` is standard input.
            "input-file" => match if v == "-" { input::stdin_text(inv) } else { input::file(inv, &v) } {
                Ok(t) => urls.extend(
                    t.text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from),
                ),
                Err(e) => facts.unknown.push(format!("the URLs wget reads from {v} could not be read: {e}")),
            },
            "post-data" | "body-data" => body = Some(v),
            "post-file" | "body-file" => {
                body = Some(input::file(inv, &v).map(|t| t.text).unwrap_or_else(|e| {
                    facts.unknown.push(format!("the request body could not be read: {e}"));
                    String::new()
                }))
            }
            _ => {}
        }
        if matches!(name.as_str(), "post-data" | "post-file") && method.is_none() {
            method = Some("POST".into());
        }
    }
    for u in urls {
        let mut req = parse_url(&u);
        req.method = method.clone().unwrap_or_else(|| "GET".into());
        let docs: Vec<(String, bool)> = body.iter().map(|b| (b.clone(), req.path.contains("graphql"))).collect();
        req.body = body.clone();
        record(&mut facts, req, &docs, inv, &super::Routing::default());
    }
    facts
}

/// A wgetrc command (`post_data = x`, `postdata=x`, `method=DELETE`) as the long option it
/// stands for (`post-data`): wgetrc names ignore case, `_` and `-`.
fn wgetrc_command(command: &str) -> (String, String) {
    let (name, value) = command.split_once('=').unwrap_or((command, ""));
    let key: String = name.trim().chars().filter(|c| *c != '_' && *c != '-').collect::<String>().to_ascii_lowercase();
    let long = match key.as_str() {
        "postdata" => "post-data",
        "postfile" => "post-file",
        "bodydata" => "body-data",
        "bodyfile" => "body-file",
        "method" => "method",
        _ => "",
    };
    (long.to_string(), value.trim().to_string())
}
