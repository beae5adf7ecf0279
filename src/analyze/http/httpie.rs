//! HTTPie (`http`, `https`) and xh (`xh`, `xhs`): `[METHOD] URL [ITEM…]`.

use super::{graphql_in_form, parse_url, record};
use crate::analyze::input;
use crate::analyze::options::{OptTable, flag, val};
use crate::facts::Facts;
use crate::invocation::Invocation;

/// HTTPie's and xh's options (`http --help`): the ones that change the request are read by
/// `httpie`'s match; the value-taking rest are listed so their values are skipped.
const HTTPIE: OptTable = OptTable::new(&[
    flag(Some('f'), "form").means("items make a form body instead of JSON"),
    flag(None, "multipart").means("items make a multipart body"),
    flag(None, "offline").means("print the request, send nothing"),
    flag(Some('I'), "ignore-stdin").means("standard input is not the body"),
    flag(Some('j'), "json"),
    val(None, "raw").means("the body as given"),
    val(Some('a'), "auth"),
    val(Some('A'), "auth-type"),
    val(None, "session"),
    val(None, "session-read-only"),
    val(Some('o'), "output"),
    val(None, "verify"),
    val(None, "cert"),
    val(None, "cert-key"),
    val(None, "cert-key-pass"),
    val(None, "proxy"),
    val(None, "timeout"),
    val(None, "pretty"),
    val(Some('s'), "style"),
    val(Some('p'), "print"),
    val(None, "format-options"),
    val(None, "max-redirects"),
    val(None, "boundary"),
    val(None, "ssl"),
    val(None, "ciphers"),
    val(None, "response-charset"),
    val(None, "response-mime"),
    val(None, "default-scheme"),
    flag(None, "chunked"),
]);

/// Analyze an HTTPie (`http`, `https`) or xh invocation: `[METHOD] URL [ITEM…]`, where
/// `key=value` / `key:=json` items build a JSON body (and make the default method POST).
pub(crate) fn httpie(inv: &Invocation) -> Facts {
    let args = inv.args_lossy();
    let mut facts = Facts::default();
    let mut line = read_options(inv, &args, &mut facts);
    let (method, rest) = split_method(&line.positional);
    // `--offline` builds and prints the request without sending it.
    if line.offline {
        return facts;
    }
    let Some((url, items)) = rest.split_first() else {
        return facts;
    };
    let (body, form_fields) = read_items(inv, items, line.form, &mut facts);
    // Without request items the body is whatever is piped in (`echo '{…}' | http POST url`).
    if body.is_empty() && form_fields.is_empty() && line.raw_body.is_none() && !line.ignore_stdin {
        match inv.stdin {
            crate::invocation::Stdin::Empty | crate::invocation::Stdin::Terminal => {}
            _ => match input::stdin_text(inv) {
                Ok(t) if !t.text.is_empty() => line.raw_body = Some(t.text),
                Ok(_) => {}
                Err(e) => facts.unknown.push(format!("the request body could not be read: {e}")),
            },
        }
    }
    let has_body = !body.is_empty() || line.raw_body.is_some() || !form_fields.is_empty();
    let url = if url.starts_with(':') { format!("localhost{url}") } else { url.clone() };
    // `https` is HTTPie's name for the same client with https:// as the default scheme.
    let url = if !url.contains("://") && inv.program == "https" { format!("https://{url}") } else { url };
    let mut req = parse_url(&url);
    req.method = method.unwrap_or_else(|| if has_body { "POST".into() } else { "GET".into() });
    let text = line
        .raw_body
        .unwrap_or_else(|| if body.is_empty() { String::new() } else { serde_json::Value::Object(body).to_string() });
    let mut docs: Vec<(String, bool)> = Vec::new();
    if !text.is_empty() && !line.form {
        docs.push((text.clone(), req.path.contains("graphql")));
        req.body = Some(text);
    } else if !form_fields.is_empty() {
        let encoded = form_fields.join("&");
        if let Some(doc) = graphql_in_form(&encoded) {
            docs.push((doc, true));
        }
        req.body = Some(encoded);
    }
    record(&mut facts, req, &docs, inv, &super::Routing::default());
    facts
}

/// An HTTPie command line with its options read.
struct Line {
    /// METHOD, URL and the request items, in order.
    positional: Vec<String>,
    raw_body: Option<String>,
    form: bool,
    offline: bool,
    ignore_stdin: bool,
}

/// Read the options (anywhere on the line, as HTTPie does) and keep the other words.
fn read_options(inv: &Invocation, args: &[String], facts: &mut Facts) -> Line {
    let mut line = Line { positional: Vec::new(), raw_body: None, form: false, offline: false, ignore_stdin: false };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if !(a.starts_with('-') && a.len() > 1) {
            line.positional.push(a.clone());
            continue;
        }
        let (spec, inline) = match a.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (HTTPIE.resolve(n), Some(v.to_string())),
                None => (HTTPIE.resolve(long), None),
            },
            None => {
                let mut chars = a[1..].chars();
                let c = chars.next().unwrap_or('-');
                let rest: String = chars.collect();
                (HTTPIE.short(c), (!rest.is_empty()).then_some(rest))
            }
        };
        let Some(spec) = spec else { continue };
        let value = spec.take_value(inline, args, &mut i);
        match spec.long {
            "form" | "multipart" => line.form = true,
            "offline" => line.offline = true,
            "ignore-stdin" => line.ignore_stdin = true,
            "raw" => {
                if value.as_deref().is_some_and(|v| inv.is_computed(v)) {
                    facts.unknown.push("the body (--raw) is computed when the command runs (`$(…)`)".into());
                }
                line.raw_body = value
            }
            _ => {}
        }
    }
    line
}

/// METHOD is optional and case-insensitive (`http delete URL`); a word of letters is the
/// method when a URL, not a request item, follows it.
fn split_method(positional: &[String]) -> (Option<String>, &[String]) {
    let is_method = |s: &str, next: &str| {
        let known = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        let letters = !s.is_empty() && s.len() <= 10 && s.chars().all(|c| c.is_ascii_alphabetic());
        let item = next.contains(['=', '@']) || (next.contains(':') && !next.contains("://") && !next.starts_with(':'));
        letters && !item && (known.contains(&s.to_ascii_uppercase().as_str()) || s == s.to_ascii_uppercase())
    };
    match positional.first() {
        Some(m) if positional.len() > 1 && is_method(m, &positional[1]) => {
            (Some(m.to_ascii_uppercase()), &positional[1..])
        }
        _ => (None, positional),
    }
}

/// The request items: a JSON body (`k=v`, `k:=json`, `k=@file`, `k:=@file.json`), or with
/// `--form` the form fields; headers (`k:v`) and query items (`k==v`) are not the body.
fn read_items(
    inv: &Invocation,
    items: &[String],
    form: bool,
    facts: &mut Facts,
) -> (serde_json::Map<String, serde_json::Value>, Vec<String>) {
    let mut body = serde_json::Map::new();
    let mut form_fields: Vec<String> = Vec::new();
    for item in items {
        if inv.is_computed(item) && (item.contains('=') || item.contains(":=")) {
            facts.unknown.push(format!("a body item (`{item}`) is computed when the command runs (`$(…)`)"));
        }
        if form
            && !item.contains(":=")
            && let Some((k, v)) = item.split_once('=')
        {
            let v = match v.strip_prefix('@') {
                Some(f) => input::file(inv, f).map(|t| t.text).unwrap_or_default(),
                None => v.to_string(),
            };
            form_fields.push(format!("{k}={v}"));
            continue;
        }
        if let Some((k, v)) = item.split_once(":=") {
            let value = match v.strip_prefix('@') {
                Some(f) => input::file(inv, f).map(|t| t.text).unwrap_or_default(),
                None => v.to_string(),
            };
            body.insert(k.to_string(), serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value)));
        } else if item.contains("==") {
        } else if let Some((k, v)) = item.split_once("=@") {
            let text = input::file(inv, v).map(|t| t.text).unwrap_or_else(|e| {
                facts.unknown.push(format!("the request body could not be read: {e}"));
                String::new()
            });
            body.insert(k.to_string(), serde_json::Value::String(text));
        } else if let Some((k, v)) = item.split_once('=') {
            body.insert(k.to_string(), serde_json::Value::String(v.to_string()));
        }
    }
    (body, form_fields)
}
