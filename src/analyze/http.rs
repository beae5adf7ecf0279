//! HTTP clients: curl (full option grammar), wget and HTTPie.
//!
//! curl is read the way curl reads itself: the default curlrc unless `-q` comes first, `-K`
//! config files in place, short clusters where the first value-taking letter eats the rest
//! (`-sXDELETE`), long options with a separate value or `=`, unambiguous abbreviations,
//! `--next` operations, several URLs and globs, and the method decided as curl decides it.
//! Bodies are read from every source (`-d @file`, `@-`, `--json`, `-F`, `-T`) and handed to
//! the GraphQL reader.

use std::collections::HashMap;

use super::graphql;
use super::input;
use crate::facts::{Facts, HttpRequest};
use crate::invocation::Invocation;

/// curl options that take a value, by long name.
const CURL_VALUE_OPTS: &[&str] = &[
    "abstract-unix-socket",
    "alt-svc",
    "aws-sigv4",
    "cacert",
    "capath",
    "cert",
    "cert-type",
    "ciphers",
    "config",
    "connect-timeout",
    "connect-to",
    "continue-at",
    "cookie",
    "cookie-jar",
    "create-file-mode",
    "crlfile",
    "curves",
    "data",
    "data-ascii",
    "data-binary",
    "data-raw",
    "data-urlencode",
    "delegation",
    "dns-interface",
    "dns-ipv4-addr",
    "dns-ipv6-addr",
    "dns-servers",
    "doh-url",
    "dump-header",
    "ech",
    "egd-file",
    "engine",
    "etag-compare",
    "etag-save",
    "expect100-timeout",
    "form",
    "form-string",
    "ftp-account",
    "ftp-alternative-to-user",
    "ftp-method",
    "ftp-port",
    "ftp-ssl-ccc-mode",
    "happy-eyeballs-timeout-ms",
    "haproxy-clientip",
    "header",
    "hostpubmd5",
    "hostpubsha256",
    "hsts",
    "interface",
    "ip-tos",
    "ipfs-gateway",
    "json",
    "keepalive-cnt",
    "keepalive-time",
    "key",
    "key-type",
    "krb",
    "libcurl",
    "limit-rate",
    "local-port",
    "login-options",
    "mail-auth",
    "mail-from",
    "mail-rcpt",
    "max-filesize",
    "max-redirs",
    "max-time",
    "netrc-file",
    "noproxy",
    "oauth2-bearer",
    "output",
    "output-dir",
    "parallel-max",
    "pass",
    "pinnedpubkey",
    "preproxy",
    "proto",
    "proto-default",
    "proto-redir",
    "proxy",
    "proxy-cacert",
    "proxy-capath",
    "proxy-cert",
    "proxy-cert-type",
    "proxy-ciphers",
    "proxy-crlfile",
    "proxy-header",
    "proxy-key",
    "proxy-key-type",
    "proxy-pass",
    "proxy-pinnedpubkey",
    "proxy-service-name",
    "proxy-tls13-ciphers",
    "proxy-tlsauthtype",
    "proxy-tlspassword",
    "proxy-tlsuser",
    "proxy-user",
    "proxy1.0",
    "pubkey",
    "quote",
    "random-file",
    "range",
    "rate",
    "referer",
    "request",
    "request-target",
    "resolve",
    "retry",
    "retry-delay",
    "retry-max-time",
    "sasl-authzid",
    "service-name",
    "sigalgs",
    "socks4",
    "socks4a",
    "socks5",
    "socks5-gssapi-service",
    "socks5-hostname",
    "speed-limit",
    "speed-time",
    "ssl-sessions",
    "stderr",
    "telnet-option",
    "tftp-blksize",
    "time-cond",
    "tls-max",
    "tls13-ciphers",
    "tlsauthtype",
    "tlspassword",
    "tlsuser",
    "trace",
    "trace-ascii",
    "trace-config",
    "unix-socket",
    "upload-file",
    "url",
    "url-query",
    "user",
    "user-agent",
    "variable",
    "vlan-priority",
    "write-out",
];

/// curl options without a value that matter here (the rest are skipped by name).
const CURL_FLAG_OPTS: &[&str] = &[
    "get",
    "head",
    "globoff",
    "disable",
    "next",
    "location",
    "silent",
    "verbose",
    "include",
    "insecure",
    "fail",
    "fail-with-body",
    "compressed",
    "show-error",
    "remote-name",
    "remote-name-all",
    "http1.1",
    "http2",
    "http3",
    "progress-bar",
    "no-buffer",
    "ipv4",
    "ipv6",
    "list-only",
    "append",
    "anyauth",
    "basic",
    "digest",
    "ntlm",
    "negotiate",
    "netrc",
    "netrc-optional",
    "path-as-is",
    "raw",
    "remote-header-name",
    "remote-time",
    "ssl",
    "ssl-reqd",
    "tcp-nodelay",
    "parallel",
    "create-dirs",
    "fail-early",
    "http0.9",
    "http1.0",
    "tr-encoding",
    "no-keepalive",
    "no-sessionid",
    "post301",
    "post302",
    "post303",
    "styled-output",
    "suppress-connect-headers",
    "xattr",
    "manual",
    "help",
    "version",
    "location-trusted",
    "junk-session-cookies",
    "crlf",
    "proxytunnel",
    // The rest of `curl --help all` (7.88): flags interlock has no use for, listed so
    // abbreviations resolve as curl resolves them.
    "cert-status",
    "compressed-ssh",
    "disable-eprt",
    "disable-epsv",
    "disallow-username-in-url",
    "doh-cert-status",
    "doh-insecure",
    "false-start",
    "form-escape",
    "ftp-create-dirs",
    "ftp-pasv",
    "ftp-pret",
    "ftp-skip-pasv-ip",
    "ftp-ssl-ccc",
    "ftp-ssl-control",
    "haproxy-protocol",
    "http2-prior-knowledge",
    "http3-only",
    "ignore-content-length",
    "mail-rcpt-allowfails",
    "metalink",
    "no-alpn",
    "no-clobber",
    "no-npn",
    "no-progress-meter",
    "ntlm-wb",
    "parallel-immediate",
    "proxy-anyauth",
    "proxy-basic",
    "proxy-digest",
    "proxy-insecure",
    "proxy-negotiate",
    "proxy-ntlm",
    "proxy-ssl-allow-beast",
    "proxy-ssl-auto-client-cert",
    "proxy-tlsv1",
    "remove-on-error",
    "retry-all-errors",
    "retry-connrefused",
    "sasl-ir",
    "socks5-basic",
    "socks5-gssapi",
    "socks5-gssapi-nec",
    "ssl-allow-beast",
    "ssl-auto-client-cert",
    "ssl-no-revoke",
    "ssl-revoke-best-effort",
    "sslv2",
    "sslv3",
    "tcp-fastopen",
    "tftp-no-options",
    "tlsv1",
    "tlsv1.0",
    "tlsv1.1",
    "tlsv1.2",
    "tlsv1.3",
    "trace-time",
    "use-ascii",
];

/// Short option letter → long name.
fn short_name(c: char) -> Option<&'static str> {
    Some(match c {
        'A' => "user-agent",
        'b' => "cookie",
        'c' => "cookie-jar",
        'C' => "continue-at",
        'd' => "data",
        'D' => "dump-header",
        'e' => "referer",
        'E' => "cert",
        'F' => "form",
        'H' => "header",
        'K' => "config",
        'm' => "max-time",
        'o' => "output",
        'P' => "ftp-port",
        'Q' => "quote",
        'r' => "range",
        't' => "telnet-option",
        'T' => "upload-file",
        'u' => "user",
        'U' => "proxy-user",
        'w' => "write-out",
        'x' => "proxy",
        'X' => "request",
        'y' => "speed-time",
        'Y' => "speed-limit",
        'z' => "time-cond",
        'G' => "get",
        'I' => "head",
        'g' => "globoff",
        'q' => "disable",
        'L' => "location",
        's' => "silent",
        'v' => "verbose",
        'i' => "include",
        'k' => "insecure",
        'f' => "fail",
        'S' => "show-error",
        'O' => "remote-name",
        'N' => "no-buffer",
        'J' => "remote-header-name",
        'R' => "remote-time",
        'Z' => "parallel",
        '4' => "ipv4",
        '6' => "ipv6",
        'h' => "help",
        'V' => "version",
        'a' => "append",
        'l' => "list-only",
        'n' => "netrc",
        'p' => "proxytunnel",
        'M' => "manual",
        '0' => "http1.0",
        '#' => "progress-bar",
        'j' => "junk-session-cookies",
        'B' => "use-ascii",
        ':' => "next",
        '1' => "tlsv1",
        '2' => "sslv2",
        '3' => "sslv3",
        _ => return None,
    })
}

fn takes_value(long: &str) -> bool {
    CURL_VALUE_OPTS.contains(&long) || long.strip_prefix("expand-").is_some_and(|o| CURL_VALUE_OPTS.contains(&o))
}

/// The canonical long name for `name` as typed: exact, `no-` negation, or an unambiguous
/// abbreviation (curl accepts those).
fn long_name(name: &str) -> Option<String> {
    if takes_value(name) || CURL_FLAG_OPTS.contains(&name) {
        return Some(name.to_string());
    }
    if let Some(rest) = name.strip_prefix("no-")
        && CURL_FLAG_OPTS.contains(&rest)
    {
        return Some(name.to_string());
    }
    let mut hits = CURL_VALUE_OPTS.iter().chain(CURL_FLAG_OPTS).filter(|o| o.starts_with(name));
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some((*one).to_string()),
        _ => None,
    }
}

/// One part of the request body, in order.
#[derive(Debug, Clone)]
enum Data {
    /// `-d`, `--data-ascii`: `@file` strips newlines.
    Ascii(String),
    Binary(String),
    Raw(String),
    UrlEncode(String),
}

/// One `--next`-separated operation.
#[derive(Debug, Default)]
struct Operation {
    urls: Vec<String>,
    request: Option<String>,
    data: Vec<Data>,
    json: Vec<String>,
    forms: Vec<String>,
    upload: Option<String>,
    get: bool,
    head: bool,
    headers: Vec<String>,
    url_query: Vec<String>,
}

/// Parsed options, in the order curl sees them.
struct Parser<'a> {
    inv: &'a mut Invocation,
    ops: Vec<Operation>,
    globoff: bool,
    variables: HashMap<String, String>,
    unknown: Vec<String>,
    config_depth: usize,
}

/// Analyze a curl invocation.
pub fn curl(inv: &mut Invocation) -> Facts {
    let args = inv.args_lossy();
    let mut p = Parser {
        inv,
        ops: vec![Operation::default()],
        globoff: false,
        variables: HashMap::new(),
        unknown: Vec::new(),
        config_depth: 0,
    };
    let disabled = args.first().is_some_and(|a| {
        a == "-q" || a == "--disable" || (a.starts_with('-') && !a.starts_with("--") && a[1..].starts_with('q'))
    });
    if !disabled && let Some(tokens) = p.default_curlrc() {
        p.options(&tokens, true);
    }
    p.options(&args, false);
    let mut facts = Facts::default();
    let ops = std::mem::take(&mut p.ops);
    for op in &ops {
        p.requests(op, &mut facts);
    }
    facts.unknown.append(&mut p.unknown);
    facts
}

impl Parser<'_> {
    fn op(&mut self) -> &mut Operation {
        if self.ops.is_empty() {
            self.ops.push(Operation::default());
        }
        let last = self.ops.len() - 1;
        &mut self.ops[last]
    }

    /// The default config file, as curl finds it.
    fn default_curlrc(&mut self) -> Option<Vec<String>> {
        let env = &self.inv.env;
        let candidates = [
            env.get("CURL_HOME").map(|h| format!("{h}/.curlrc")),
            env.get("XDG_CONFIG_HOME").map(|h| format!("{h}/curlrc")),
            env.get("HOME").map(|h| format!("{h}/.curlrc")),
        ];
        let path = candidates.into_iter().flatten().find(|p| std::path::Path::new(p).is_file())?;
        match input::file(self.inv, &path) {
            Ok(t) => Some(config_tokens(&t.text)),
            Err(e) => {
                self.unknown.push(format!("curl's default config: {e}"));
                None
            }
        }
    }

    /// Process a list of command-line (or config) tokens. `in_config`: URLs without an
    /// option are still URLs (curl accepts bare URLs in config files too).
    fn options(&mut self, args: &[String], _in_config: bool) {
        let mut i = 0;
        let mut no_more_options = false;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if no_more_options || !arg.starts_with('-') || arg == "-" {
                self.op().urls.push(arg.clone());
                continue;
            }
            if arg == "--" {
                no_more_options = true;
                continue;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) if long_name(n).is_some_and(|n| takes_value(&n)) => (n, Some(v.to_string())),
                    _ => (long, None),
                };
                let Some(name) = long_name(name) else {
                    continue;
                };
                if takes_value(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            args.get(i - 1).cloned().unwrap_or_default()
                        }
                    };
                    self.option(&name, Some(value));
                } else {
                    self.option(&name, None);
                }
                continue;
            }
            // A short cluster.
            let letters: Vec<char> = arg[1..].chars().collect();
            for (pos, c) in letters.iter().enumerate() {
                let Some(name) = short_name(*c) else { continue };
                if takes_value(name) {
                    let rest: String = letters[pos + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned().unwrap_or_default()
                    } else {
                        rest
                    };
                    self.option(name, Some(value));
                    break;
                }
                self.option(name, None);
            }
        }
    }

    fn option(&mut self, name: &str, value: Option<String>) {
        let (name, value) = match name.strip_prefix("expand-") {
            Some(base) => (base, value.map(|v| self.expand(&v))),
            None => (name, value),
        };
        let v = value.unwrap_or_default();
        match name {
            "url" => self.op().urls.push(v),
            "request" => self.op().request = Some(v),
            "data" | "data-ascii" => self.op().data.push(Data::Ascii(v)),
            "data-binary" => self.op().data.push(Data::Binary(v)),
            "data-raw" => self.op().data.push(Data::Raw(v)),
            "data-urlencode" => self.op().data.push(Data::UrlEncode(v)),
            "json" => self.op().json.push(v),
            "form" | "form-string" => self.op().forms.push(v),
            "upload-file" => self.op().upload = Some(v),
            "get" => self.op().get = true,
            "head" => self.op().head = true,
            "no-get" => self.op().get = false,
            "no-head" => self.op().head = false,
            "header" => self.op().headers.push(v),
            "url-query" => self.op().url_query.push(v),
            "globoff" => self.globoff = true,
            "next" => self.ops.push(Operation::default()),
            "variable" => self.variable(&v),
            "config" => self.config(&v),
            _ => {}
        }
    }

    /// `-K FILE`: its options take effect where `-K` stands.
    fn config(&mut self, path: &str) {
        if self.config_depth > 4 {
            self.unknown.push("curl config files include each other too deeply".into());
            return;
        }
        let text = if path == "-" { input::stdin_text(self.inv) } else { input::file(self.inv, path) };
        match text {
            Ok(t) => {
                self.config_depth += 1;
                let tokens = config_tokens(&t.text);
                self.options(&tokens, true);
                self.config_depth -= 1;
            }
            Err(e) => self.unknown.push(format!("curl config {path}: {e}")),
        }
    }

    /// `--variable name=value | name@file | %ENV[=default]`.
    fn variable(&mut self, spec: &str) {
        if let Some(env_spec) = spec.strip_prefix('%') {
            let (name, default) = match env_spec.split_once('=') {
                Some((n, d)) => (n, Some(d.to_string())),
                None => (env_spec, None),
            };
            match self.inv.env.get(name).or(default) {
                Some(v) => {
                    self.variables.insert(name.to_string(), v);
                }
                None => self.unknown.push(format!("curl variable %{name} is not set")),
            }
            return;
        }
        let eq = spec.find('=');
        let at = spec.find('@');
        match (eq, at) {
            (Some(e), a) if a.is_none_or(|a| e < a) => {
                self.variables.insert(spec[..e].to_string(), spec[e + 1..].to_string());
            }
            (_, Some(a)) => {
                let (name, file) = (&spec[..a], &spec[a + 1..]);
                let text = if file == "-" { input::stdin_text(self.inv) } else { input::file(self.inv, file) };
                match text {
                    Ok(t) => {
                        self.variables.insert(name.to_string(), t.text);
                    }
                    Err(e) => self.unknown.push(format!("curl variable {name}: {e}")),
                }
            }
            _ => {}
        }
    }

    /// Replace `{{name}}` and `{{name:function…}}` with the variable's value.
    fn expand(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let mut parts = after[..end].split(':');
            let name = parts.next().unwrap_or_default();
            match self.variables.get(name) {
                Some(v) => {
                    let mut v = v.clone();
                    for f in parts {
                        v = match f {
                            "trim" => v.trim().to_string(),
                            "json" => serde_json::to_string(&v).map(|s| s[1..s.len() - 1].to_string()).unwrap_or(v),
                            "url" => url::form_urlencoded::byte_serialize(v.as_bytes()).collect(),
                            _ => {
                                self.unknown.push(format!("curl variable function `{f}` is not understood"));
                                v
                            }
                        };
                    }
                    out.push_str(&v);
                }
                None => self.unknown.push(format!("curl variable `{name}` is not defined")),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// One data part's bytes as curl sends them.
    fn data_text(&mut self, d: &Data) -> String {
        match d {
            Data::Raw(v) => v.clone(),
            Data::Ascii(v) | Data::Binary(v) => match v.strip_prefix('@') {
                Some(file) => {
                    let text = self.read(file);
                    if matches!(d, Data::Ascii(_)) { text.replace(['\r', '\n'], "") } else { text }
                }
                None => v.clone(),
            },
            Data::UrlEncode(v) => {
                let (name, content) = match (v.find('='), v.find('@')) {
                    (Some(e), a) if a.is_none_or(|a| e < a) => (&v[..e], v[e + 1..].to_string()),
                    (_, Some(a)) => (&v[..a], self.read(&v[a + 1..])),
                    _ => ("", v.clone()),
                };
                let enc: String = url::form_urlencoded::byte_serialize(content.as_bytes()).collect();
                if name.is_empty() { enc } else { format!("{name}={enc}") }
            }
        }
    }

    /// A body file (`-` is stdin); unreadable means unknown.
    fn read(&mut self, file: &str) -> String {
        let text = if file == "-" { input::stdin_text(self.inv) } else { input::file(self.inv, file) };
        match text {
            Ok(t) => {
                if t.truncated && graphql::mentions_mutation(&t.text) {
                    self.unknown.push(format!("the body in {file} is too large to read whole"));
                }
                t.text
            }
            Err(e) => {
                self.unknown.push(format!("the request body could not be read: {e}"));
                String::new()
            }
        }
    }

    /// The requests one operation sends.
    fn requests(&mut self, op: &Operation, facts: &mut Facts) {
        let data: Vec<String> = op.data.iter().map(|d| self.data_text(d)).collect();
        let mut body = data.join("&");
        if !op.json.is_empty() {
            let json: Vec<String> = op
                .json
                .iter()
                .map(|j| match j.strip_prefix('@') {
                    Some(f) => self.read(f),
                    None => j.clone(),
                })
                .collect();
            body.push_str(&json.concat());
        }
        let has_body = !op.data.is_empty() || !op.json.is_empty();
        if !has_body && let Some(file) = &op.upload {
            // `-T FILE` / `-T -` (or `.`, stdin without blocking) sends the file as the body.
            // A file that does not exist is not sent at all: curl fails before any request.
            let missing = file != "-" && file != "." && !self.inv.resolve_path(file).exists();
            if !missing {
                body = self.read(if file == "." { "-" } else { file });
            }
        }
        let mut method = if op.head {
            "HEAD"
        } else if op.get {
            "GET"
        } else if has_body || !op.forms.is_empty() {
            "POST"
        } else if op.upload.is_some() {
            "PUT"
        } else {
            "GET"
        }
        .to_string();
        if let Some(m) = &op.request {
            method = m.to_ascii_uppercase();
        }
        let mut query_extra: Vec<String> = op.url_query.clone();
        if op.get && has_body {
            query_extra.push(body.clone());
            body.clear();
        }
        let mut form_docs: Vec<String> = Vec::new();
        for part in &op.forms {
            let Some((name, value)) = part.split_once('=') else {
                continue;
            };
            let content = match value.strip_prefix('<') {
                Some(file) => self.read(file.split(';').next().unwrap_or(file)),
                None if value.starts_with('@') => String::new(),
                None => value.to_string(),
            };
            if name == "operations" || name == "query" {
                form_docs.push(if name == "query" {
                    serde_json::json!({ "query": content }).to_string()
                } else {
                    content
                });
            }
        }
        let headers: Vec<(String, String)> = op
            .headers
            .iter()
            .filter_map(|h| h.split_once(':').map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())))
            .collect();
        let urls: Vec<String> =
            op.urls.iter().flat_map(|u| if self.globoff { vec![u.clone()] } else { expand_globs(u) }).collect();
        for raw in urls {
            let mut req = parse_url(&raw);
            if !query_extra.is_empty() {
                let extra = query_extra.join("&");
                req.query = Some(match req.query.take() {
                    Some(q) if !q.is_empty() => format!("{q}&{extra}"),
                    _ => extra,
                });
            }
            req.method = method.clone();
            req.headers = headers.clone();
            req.body = (!body.is_empty()).then(|| body.clone());
            let path_says = req.path.to_ascii_lowercase().contains("graphql")
                || headers.iter().any(|(n, v)| n == "content-type" && v.contains("graphql"));
            let mut docs: Vec<String> = form_docs.clone();
            if !body.is_empty() {
                docs.push(body.clone());
            }
            if let Some(q) = &req.query
                && let Some(doc) = graphql_in_form(q)
            {
                docs.push(doc);
            }
            if let Some(doc) = graphql_in_form(&body) {
                docs.push(doc);
            }
            for doc in docs {
                let parsed = graphql::from_body(&doc, path_says, req.host.as_deref());
                facts.graphql.extend(parsed.fields);
                facts.unknown.extend(parsed.unknown);
            }
            sql_in_body(&body, &req, facts);
            if let Some(h) = &req.host {
                facts.add_target(h.clone());
            }
            facts.requests.push(req);
        }
    }
}

/// Keys under which database-over-HTTP APIs take SQL: Supabase (`query`), Cloudflare D1
/// (`sql`), Neon (`query`, `queries`), Turso/libSQL (`stmt.sql`, `statements`), PlanetScale
/// (`query`), Hasura `run_sql` (`args.sql`), Databricks and Snowflake (`statement`).
const SQL_KEYS: &[&str] = &["sql", "query", "queries", "statement", "statements", "stmt", "command"];

/// SQL statements carried in a JSON request body, classified like a client's: what a
/// database-as-a-service query endpoint will run. Only strings that read as SQL count (a
/// GraphQL `query` does not).
pub fn sql_in_body(body: &str, req: &HttpRequest, facts: &mut Facts) {
    let trimmed = body.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return;
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(trimmed) else { return };
    let mut found = Vec::new();
    collect_sql(&json, false, &mut found);
    if found.is_empty() {
        return;
    }
    let host = req.host.as_deref().unwrap_or("");
    let path = req.path.to_ascii_lowercase();
    let dialect = if path.contains("/d1/")
        || host.contains("turso")
        || host.ends_with(".turso.io")
        || path.contains("pipeline")
    {
        super::sql::Dialect::Sqlite
    } else if host.contains("planetscale") || host.contains("psdb.cloud") {
        super::sql::Dialect::MySql
    } else {
        super::sql::Dialect::Postgres
    };
    for text in found {
        let script = super::sql::Scanner::scan(dialect, &text);
        facts.statements.extend(script.statements);
        facts.unknown.extend(script.unknown);
    }
}

fn collect_sql(v: &serde_json::Value, under_key: bool, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                collect_sql(v, SQL_KEYS.contains(&k.to_ascii_lowercase().as_str()), out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_sql(i, under_key, out)),
        serde_json::Value::String(s) if under_key && reads_as_sql(s) => out.push(s.clone()),
        _ => {}
    }
}

/// Whether a string starts like an SQL statement (after comments and blanks).
fn reads_as_sql(s: &str) -> bool {
    let first: String =
        s.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase();
    matches!(
        first.as_str(),
        "DROP"
            | "DELETE"
            | "TRUNCATE"
            | "UPDATE"
            | "ALTER"
            | "INSERT"
            | "CREATE"
            | "SELECT"
            | "WITH"
            | "MERGE"
            | "EXPLAIN"
            | "DO"
            | "COPY"
            | "GRANT"
            | "REVOKE"
            | "BEGIN"
            | "CALL"
            | "REPLACE"
            | "PRAGMA"
            | "VACUUM"
    )
}

/// A `query=` parameter in a form-encoded string, as a JSON request object.
fn graphql_in_form(form: &str) -> Option<String> {
    if !form.contains("query=") || form.trim_start().starts_with('{') || form.trim_start().starts_with('[') {
        return None;
    }
    let mut query = None;
    let mut variables = None;
    for (k, v) in url::form_urlencoded::parse(form.as_bytes()) {
        match k.as_ref() {
            "query" => query = Some(v.into_owned()),
            "variables" => variables = serde_json::from_str::<serde_json::Value>(&v).ok(),
            _ => {}
        }
    }
    let query = query?;
    Some(serde_json::json!({ "query": query, "variables": variables }).to_string())
}

/// Parse a URL as curl would accept it (a missing scheme means http).
pub fn parse_url(raw: &str) -> HttpRequest {
    let with_scheme = if raw.contains("://") { raw.to_string() } else { format!("http://{raw}") };
    match url::Url::parse(&with_scheme) {
        Ok(u) => HttpRequest {
            method: String::new(),
            url: raw.to_string(),
            host: u.host_str().map(|h| h.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase()),
            port: u.port_or_known_default(),
            path: u.path().to_string(),
            query: u.query().map(String::from),
            headers: Vec::new(),
            body: None,
        },
        Err(_) => HttpRequest { url: raw.to_string(), path: String::new(), ..HttpRequest::default() },
    }
}

/// Expand curl's URL globs: `{a,b}` alternatives and `[1-3]` / `[a-c]` ranges (at most 64
/// URLs; beyond that only the first of each set is kept, which keeps every host pattern).
pub fn expand_globs(url: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = url.char_indices().peekable();
    let bytes = url;
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '{' => '}',
            '[' => ']',
            _ => {
                out.iter_mut().for_each(|o| o.push(c));
                continue;
            }
        };
        let Some(end) = bytes[i + 1..].find(close).map(|e| e + i + 1) else {
            out.iter_mut().for_each(|o| o.push(c));
            continue;
        };
        let inner = &bytes[i + 1..end];
        let alts: Vec<String> = if c == '{' { inner.split(',').map(String::from).collect() } else { range(inner) };
        if alts.is_empty() || (c == '[' && inner.contains(':') && inner.contains('/')) {
            // an IPv6 literal such as http://[::1]/, not a range
            out.iter_mut().for_each(|o| o.push_str(&bytes[i..=end]));
        } else {
            let keep: Vec<String> = if out.len() * alts.len() > 64 { alts.into_iter().take(1).collect() } else { alts };
            out = out.iter().flat_map(|o| keep.iter().map(move |a| format!("{o}{a}"))).collect();
        }
        while chars.peek().is_some_and(|(j, _)| *j <= end) {
            chars.next();
        }
    }
    out
}

fn range(inner: &str) -> Vec<String> {
    let (span, step) = match inner.split_once(':') {
        Some((s, st)) => (s, st.parse::<usize>().unwrap_or(1).max(1)),
        None => (inner, 1),
    };
    let Some((a, b)) = span.split_once('-') else {
        return Vec::new();
    };
    if let (Ok(x), Ok(y)) = (a.parse::<u64>(), b.parse::<u64>()) {
        let width = if a.starts_with('0') { a.len() } else { 0 };
        return (x..=y).step_by(step).take(65).map(|n| format!("{n:0width$}")).collect();
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            (x..=y).step_by(step).take(65).map(String::from).collect()
        }
        _ => Vec::new(),
    }
}

/// Split a curl config file into command-line tokens: `name = value`, `name: value`,
/// `name value`, `--name value`; `#` comments; quoted values with escapes.
pub fn config_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name_end = line.find(|c: char| c.is_whitespace() || c == '=' || c == ':').unwrap_or(line.len());
        let name = &line[..name_end];
        let mut rest = line[name_end..].trim_start();
        if let Some(r) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) {
            rest = r.trim_start();
        }
        let opt = if name.starts_with('-') { name.to_string() } else { format!("--{name}") };
        tokens.push(opt);
        if rest.is_empty() {
            continue;
        }
        if let Some(q) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut it = q.chars();
            while let Some(c) = it.next() {
                match c {
                    '"' => break,
                    '\\' => match it.next() {
                        Some('t') => v.push('\t'),
                        Some('n') => v.push('\n'),
                        Some('r') => v.push('\r'),
                        Some('v') => v.push('\u{b}'),
                        Some(o) => v.push(o),
                        None => {}
                    },
                    o => v.push(o),
                }
            }
            tokens.push(v);
        } else {
            tokens.push(rest.split_whitespace().next().unwrap_or_default().to_string());
        }
    }
    tokens
}

/// Analyze a wget invocation: `--method`, `--post-data/--post-file`, `--body-data/--body-file`.
pub fn wget(inv: &mut Invocation) -> Facts {
    let args = inv.args_lossy();
    let mut facts = Facts::default();
    let (mut method, mut body): (Option<String>, Option<String>) = (None, None);
    let mut urls = Vec::new();
    let value_short = "OoaAPeUYlDIXRQTtwBih";
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let wants = matches!(
                name,
                "method"
                    | "post-data"
                    | "post-file"
                    | "body-data"
                    | "body-file"
                    | "header"
                    | "output-document"
                    | "user"
                    | "password"
                    | "http-user"
                    | "http-password"
                    | "user-agent"
                    | "input-file"
                    | "directory-prefix"
                    | "tries"
                    | "timeout"
                    | "level"
                    | "referer"
                    | "load-cookies"
                    | "save-cookies"
                    | "base"
                    | "execute"
                    | "output-file"
                    | "append-output"
                    | "wait"
                    | "quota"
                    | "limit-rate"
                    | "ca-certificate"
                    | "certificate"
                    | "private-key"
                    | "bind-address"
            );
            let value = if wants {
                inline.or_else(|| {
                    i += 1;
                    args.get(i - 1).cloned()
                })
            } else {
                None
            };
            let v = value.unwrap_or_default();
            let (name, v) = match name {
                "execute" => wgetrc_command(&v),
                other => (other.to_string(), v),
            };
            let name = name.as_str();
            match name {
                "method" => method = Some(v.to_ascii_uppercase()),
                "post-data" | "body-data" => body = Some(v),
                "post-file" | "body-file" => {
                    body = Some(input::file(inv, &v).map(|t| t.text).unwrap_or_else(|e| {
                        facts.unknown.push(format!("the request body could not be read: {e}"));
                        String::new()
                    }))
                }
                _ => {}
            }
            if matches!(name, "post-data" | "post-file") && method.is_none() {
                method = Some("POST".into());
            }
        } else if a.starts_with('-') && a.len() > 1 {
            // `-e COMMAND` / `-eCOMMAND`: a wgetrc command, as `--execute`.
            if let Some(attached) = a.strip_prefix("-e") {
                let command = if attached.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned().unwrap_or_default()
                } else {
                    attached.to_string()
                };
                let (name, v) = wgetrc_command(&command);
                match name.as_str() {
                    "method" => method = Some(v.to_ascii_uppercase()),
                    "post-data" | "body-data" => body = Some(v),
                    "post-file" | "body-file" => body = input::file(inv, &v).map(|t| t.text).ok(),
                    _ => {}
                }
                if matches!(name.as_str(), "post-data" | "post-file") && method.is_none() {
                    method = Some("POST".into());
                }
            } else if a.chars().skip(1).any(|c| value_short.contains(c)) && a.len() == 2 {
                i += 1;
            }
        } else {
            urls.push(a.clone());
        }
    }
    for u in urls {
        let mut req = parse_url(&u);
        req.method = method.clone().unwrap_or_else(|| "GET".into());
        if let Some(b) = &body {
            let parsed = graphql::from_body(b, req.path.contains("graphql"), req.host.as_deref());
            facts.graphql.extend(parsed.fields);
            facts.unknown.extend(parsed.unknown);
            req.body = Some(b.clone());
        }
        if let Some(h) = &req.host {
            facts.add_target(h.clone());
        }
        facts.requests.push(req);
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

/// Analyze an HTTPie (`http`, `https`) or xh invocation: `[METHOD] URL [ITEM…]`, where
/// `key=value` / `key:=json` items build a JSON body (and make the default method POST).
pub fn httpie(inv: &mut Invocation) -> Facts {
    let args = inv.args_lossy();
    let program = inv.program.clone();
    let mut facts = Facts::default();
    let value_flags = [
        "--auth",
        "-a",
        "--session",
        "--output",
        "-o",
        "--verify",
        "--cert",
        "--cert-key",
        "--proxy",
        "--timeout",
        "--pretty",
        "--style",
        "-s",
        "--print",
        "-p",
        "--auth-type",
        "-A",
        "--format-options",
        "--max-redirects",
        "--raw",
    ];
    let mut positional = Vec::new();
    let mut raw_body: Option<String> = None;
    let mut form = false;
    let mut offline = false;
    let mut ignore_stdin = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a.starts_with('-') && a.len() > 1 {
            if a == "--form" || a == "-f" || a == "--multipart" {
                form = true;
            }
            // `--offline` builds and prints the request without sending it.
            offline |= a == "--offline";
            ignore_stdin |= a == "--ignore-stdin" || a == "-I";
            if let Some(v) = a.strip_prefix("--raw=") {
                raw_body = Some(v.to_string());
            } else if value_flags.contains(&a.as_str()) && !a.contains('=') {
                if a == "--raw" {
                    raw_body = args.get(i).cloned();
                }
                i += 1;
            }
            continue;
        }
        positional.push(a.clone());
    }
    // METHOD is optional and case-insensitive (`http delete URL`); a word of letters is the
    // method when a URL, not a request item, follows it.
    let is_method = |s: &str, next: &str| {
        let known = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        let letters = !s.is_empty() && s.len() <= 10 && s.chars().all(|c| c.is_ascii_alphabetic());
        let item = next.contains(['=', '@']) || (next.contains(':') && !next.contains("://") && !next.starts_with(':'));
        letters && !item && (known.contains(&s.to_ascii_uppercase().as_str()) || s == s.to_ascii_uppercase())
    };
    let (method, rest) = match positional.first() {
        Some(m) if positional.len() > 1 && is_method(m, &positional[1]) => {
            (Some(m.to_ascii_uppercase()), &positional[1..])
        }
        _ => (None, &positional[..]),
    };
    if offline {
        return facts;
    }
    let Some((url, items)) = rest.split_first() else {
        return facts;
    };
    let mut body = serde_json::Map::new();
    let mut form_fields: Vec<String> = Vec::new();
    for item in items {
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
    // Without request items the body is whatever is piped in (`echo '{…}' | http POST url`).
    if body.is_empty() && form_fields.is_empty() && raw_body.is_none() && !ignore_stdin {
        match inv.stdin {
            crate::invocation::Stdin::Empty | crate::invocation::Stdin::Terminal => {}
            _ => match input::stdin_text(inv) {
                Ok(t) if !t.text.is_empty() => raw_body = Some(t.text),
                Ok(_) => {}
                Err(e) => facts.unknown.push(format!("the request body could not be read: {e}")),
            },
        }
    }
    let has_body = !body.is_empty() || raw_body.is_some() || !form_fields.is_empty();
    let url = if url.starts_with(':') { format!("localhost{url}") } else { url.clone() };
    let url = if url.contains("://") {
        url
    } else if program == "https" {
        format!("https://{url}")
    } else {
        url
    };
    let mut req = parse_url(&url);
    req.method = method.unwrap_or_else(|| if has_body { "POST".into() } else { "GET".into() });
    let text = raw_body
        .unwrap_or_else(|| if body.is_empty() { String::new() } else { serde_json::Value::Object(body).to_string() });
    if !text.is_empty() && !form {
        let parsed = graphql::from_body(&text, req.path.contains("graphql"), req.host.as_deref());
        facts.graphql.extend(parsed.fields);
        facts.unknown.extend(parsed.unknown);
        req.body = Some(text);
    } else if !form_fields.is_empty() {
        let encoded = form_fields.join("&");
        if let Some(doc) = graphql_in_form(&encoded) {
            let parsed = graphql::from_body(&doc, true, req.host.as_deref());
            facts.graphql.extend(parsed.fields);
            facts.unknown.extend(parsed.unknown);
        }
        req.body = Some(encoded);
    }
    if let Some(h) = &req.host {
        facts.add_target(h.clone());
    }
    facts.requests.push(req);
    facts
}

#[cfg(test)]
mod tests {

    /// Every option the machine's curl lists in `curl --help all` is in interlock's table,
    /// as a value option when curl shows `<arg>` after it and as a flag otherwise, and
    /// every short letter maps to the long name curl gives it. (Skipped where curl is
    /// missing; .ci/run has it.)
    #[test]
    fn curl_table_matches_curl_help_all() {
        let Ok(out) = std::process::Command::new("curl").arg("--help").arg("all").output() else { return };
        let help = String::from_utf8_lossy(&out.stdout);
        let mut checked = 0;
        let mut wrong = Vec::new();
        for line in help.lines() {
            let line = line.trim_start();
            let (short, rest) = match line.strip_prefix('-').and_then(|l| l.split_once(", ")) {
                Some((s, rest)) if s.len() == 1 => (s.chars().next(), rest),
                _ => (None, line),
            };
            let Some(rest) = rest.strip_prefix("--") else { continue };
            let mut words = rest.split_whitespace();
            let Some(long) = words.next() else { continue };
            // `<file>`, or an optional/odd form such as `[protocol://]host[:port]`.
            let takes = words.next().is_some_and(|w| w.starts_with('<') || w.starts_with('['));
            if long == "help" {
                continue; // `--help [category]`: an optional argument, read as a flag here
            }
            checked += 1;
            if takes != takes_value(long) || (!takes && !CURL_FLAG_OPTS.contains(&long)) {
                wrong.push(format!("--{long}: curl says {}", if takes { "value" } else { "flag" }));
            }
            if let Some(c) = short
                && short_name(c) != Some(long)
            {
                wrong.push(format!("-{c}: curl says --{long}, the table says {:?}", short_name(c)));
            }
        }
        assert!(checked > 200, "curl --help all listed only {checked} options");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    use super::*;
    use crate::facts::OperationKind;
    use crate::invocation::{Env, Stdin};

    fn run(line: &str) -> Facts {
        run_in(line, std::path::Path::new("/nonexistent"), Stdin::Empty)
    }

    fn run_in(line: &str, cwd: &std::path::Path, stdin: Stdin) -> Facts {
        let argv: Vec<std::ffi::OsString> = shell_words::split(line).unwrap().into_iter().map(Into::into).collect();
        let mut inv = Invocation::new(argv, cwd.to_path_buf(), Env::default(), stdin);
        match inv.program.as_str() {
            "wget" => wget(&mut inv),
            "http" | "https" | "xh" => httpie(&mut inv),
            _ => curl(&mut inv),
        }
    }

    fn methods(f: &Facts) -> Vec<String> {
        f.requests.iter().map(|r| r.method.clone()).collect()
    }

    #[test]
    fn the_incident() {
        let f = run(
            r#"curl -X POST https://backboard.railway.com/graphql/v2 -H "Authorization: Bearer t" -H "Content-Type: application/json" -d '{"query":"mutation { volumeDelete(volumeId: \"3d2c\") }"}'"#,
        );
        assert_eq!(methods(&f), ["POST"]);
        assert_eq!(f.requests[0].host.as_deref(), Some("backboard.railway.com"));
        assert_eq!(f.graphql[0].name, "volumeDelete");
        assert_eq!(f.graphql[0].operation, OperationKind::Mutation);
        assert_eq!(f.graphql[0].host.as_deref(), Some("backboard.railway.com"));
    }

    #[test]
    fn method_resolution() {
        for (line, want) in [
            ("curl https://x.test", "GET"),
            ("curl -d a=1 https://x.test", "POST"),
            ("curl --json {} https://x.test", "POST"),
            ("curl -F f=1 https://x.test", "POST"),
            ("curl -T file https://x.test", "PUT"),
            ("curl -I https://x.test", "HEAD"),
            ("curl -G -d a=1 https://x.test", "GET"),
            ("curl -XDELETE https://x.test", "DELETE"),
            ("curl -sXDELETE https://x.test", "DELETE"),
            ("curl -X POST -X delete https://x.test", "DELETE"),
            ("curl --request=DELETE https://x.test", "DELETE"),
            ("curl --request DELETE https://x.test", "DELETE"),
            ("curl --upload-f f https://x.test", "PUT"),
            ("curl -sSfL -X DELETE https://x.test", "DELETE"),
        ] {
            assert_eq!(methods(&run(line)), [want], "{line}");
        }
    }

    #[test]
    fn short_clusters_eat_the_rest() {
        let f = run(r#"curl -sd'{"query":"mutation{projectDelete(id:\"p\")}"}' https://x.test/graphql"#);
        assert_eq!(f.graphql[0].name, "projectDelete");
        let f = run("curl -sH 'X-A: b' -o /dev/null https://x.test");
        assert_eq!(f.requests.len(), 1, "{:?}", f.requests);
    }

    #[test]
    fn next_operations_and_several_urls() {
        let f = run("curl https://a.test https://b.test --next -X DELETE https://c.test/v1/items/1");
        assert_eq!(methods(&f), ["GET", "GET", "DELETE"]);
        assert_eq!(f.requests[2].path, "/v1/items/1");
        let f = run("curl --url https://d.test -X DELETE");
        assert_eq!(f.requests[0].host.as_deref(), Some("d.test"));
    }

    #[test]
    fn globs() {
        assert_eq!(
            expand_globs("https://{a,b}.test/[1-2]"),
            ["https://a.test/1", "https://a.test/2", "https://b.test/1", "https://b.test/2"]
        );
        assert_eq!(expand_globs("http://[::1]:8080/x"), ["http://[::1]:8080/x"]);
        let f = run("curl -g 'https://x.test/{a,b}'");
        assert_eq!(f.requests.len(), 1);
    }

    #[test]
    fn bodies_from_files_stdin_and_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("body.json"), "{\"query\":\"mutation {\\n serviceDelete(id: \\\"s\\\") }\"}\n")
            .unwrap();
        let f = run_in("curl -d @body.json https://api.test/graphql", dir.path(), Stdin::Empty);
        assert_eq!(f.graphql[0].name, "serviceDelete");

        let f = run_in(
            "curl --data-binary @- https://api.test/graphql",
            dir.path(),
            Stdin::Bytes(br#"{"query":"mutation{environmentDelete(id:\"e\")}"}"#.to_vec()),
        );
        assert_eq!(f.graphql[0].name, "environmentDelete");

        std::fs::write(
            dir.path().join("cfg"),
            "# config\nurl = \"https://cfg.test/graphql\"\nrequest = DELETE\n--silent\n",
        )
        .unwrap();
        let f = run_in("curl -K cfg", dir.path(), Stdin::Empty);
        assert_eq!(methods(&f), ["DELETE"]);
        assert_eq!(f.requests[0].host.as_deref(), Some("cfg.test"));

        let f = run_in("curl -d @missing.json https://api.test/graphql", dir.path(), Stdin::Empty);
        assert!(!f.unknown.is_empty());
        let f = run_in("curl -d @- https://api.test/graphql", dir.path(), Stdin::Unseen);
        assert!(!f.unknown.is_empty());
    }

    #[test]
    fn default_curlrc_unless_q_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".curlrc"), "request = DELETE\n").unwrap();
        let run_home = |line: &str| {
            let argv: Vec<std::ffi::OsString> = shell_words::split(line).unwrap().into_iter().map(Into::into).collect();
            let env = Env::from_pairs([("HOME", dir.path().to_str().unwrap())]);
            let mut inv = Invocation::new(argv, dir.path().to_path_buf(), env, Stdin::Empty);
            methods(&curl(&mut inv))
        };
        assert_eq!(run_home("curl https://x.test"), ["DELETE"]);
        assert_eq!(run_home("curl -q https://x.test"), ["GET"]);
    }

    #[test]
    fn variables_expand() {
        let argv: Vec<std::ffi::OsString> = [
            "curl",
            "--variable",
            "%VOL",
            "--expand-data",
            r#"{"query":"mutation{volumeDelete(volumeId:\"{{VOL}}\")}"}"#,
            "https://x.test/graphql",
        ]
        .iter()
        .map(Into::into)
        .collect();
        let mut inv = Invocation::new(argv, "/".into(), Env::from_pairs([("VOL", "v9")]), Stdin::Empty);
        let f = curl(&mut inv);
        assert_eq!(f.graphql[0].object(), "v9");
        let f = run("curl --expand-url 'https://{{host}}/x' -X DELETE");
        assert!(!f.unknown.is_empty());
    }

    #[test]
    fn graphql_in_forms_and_queries() {
        let f = run("curl --data-urlencode 'query=mutation { tcpProxyDelete(id: \"t\") }' https://x.test/graphql");
        assert_eq!(f.graphql[0].name, "tcpProxyDelete");
        let f = run("curl -G --data-urlencode 'query={ me { id } }' https://x.test/graphql");
        assert_eq!(f.graphql[0].operation, OperationKind::Query);
    }

    #[test]
    fn wget_and_httpie() {
        let f = run("wget --method=DELETE https://api.test/v1/x");
        assert_eq!(methods(&f), ["DELETE"]);
        let f = run("wget -q -O- --post-data='{\"query\":\"mutation{projectDelete(id:1)}\"}' https://api.test/graphql");
        assert_eq!(f.graphql[0].name, "projectDelete");
        let f = run("http DELETE https://api.test/v1/items/3 Authorization:'Bearer x'");
        assert_eq!(methods(&f), ["DELETE"]);
        let f = run("http POST api.test/graphql query='mutation { serviceDelete(id: \"s\") }'");
        assert_eq!(f.graphql[0].name, "serviceDelete");
        let f = run("http api.test/users");
        assert_eq!(methods(&f), ["GET"]);
    }
}
