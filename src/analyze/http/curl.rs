//! curl, read the way curl reads itself: the default curlrc unless `-q` comes first, `-K`
//! config files in place, short clusters where the first value-taking letter eats the rest
//! (`-sXDELETE`), long options with a separate value or `=`, unambiguous abbreviations,
//! `--next` operations, several URLs and globs, and the method decided as curl decides it.
//! Bodies are read from every source (`-d @file`, `@-`, `--json`, `-F`, `-T`).

use std::collections::HashMap;

use super::{expand_globs, graphql_in_form, parse_url, record};
use crate::analyze::graphql;
use crate::analyze::input;
use crate::analyze::options::{OptTable, flag, val};
use crate::facts::Facts;
use crate::invocation::Invocation;

/// Every option of `curl --help all` (7.88 and later): the ones that change the request are
/// read by `Parser::option`; the rest are listed so that values are skipped and abbreviations
/// resolve as curl resolves them. `curl_table_matches_curl_help_all` checks the table against
/// the machine's curl.
pub(super) const CURL: OptTable = OptTable::new(&[
    val(None, "abstract-unix-socket").means("the request goes to this abstract socket's daemon"),
    val(None, "alt-svc"),
    val(None, "aws-sigv4"),
    val(None, "cacert"),
    val(None, "capath"),
    val(Some('E'), "cert"),
    val(None, "cert-type"),
    val(None, "ciphers"),
    val(Some('K'), "config").means("a config file of more options, read in place"),
    val(None, "connect-timeout"),
    val(None, "connect-to"),
    val(Some('C'), "continue-at"),
    val(Some('b'), "cookie"),
    val(Some('c'), "cookie-jar"),
    val(None, "create-file-mode"),
    val(None, "crlfile"),
    val(None, "curves"),
    val(Some('d'), "data").means("a body (POST), `@file` read, newlines stripped"),
    val(None, "data-ascii").means("the same as `--data`"),
    val(None, "data-binary").means("a body (POST), `@file` read as is"),
    val(None, "data-raw").means("a body (POST), `@` not special"),
    val(None, "data-urlencode").means("a body part, URL-encoded (POST)"),
    val(None, "delegation"),
    val(None, "dns-interface"),
    val(None, "dns-ipv4-addr"),
    val(None, "dns-ipv6-addr"),
    val(None, "dns-servers"),
    val(None, "doh-url"),
    val(Some('D'), "dump-header"),
    val(None, "ech"),
    val(None, "egd-file"),
    val(None, "engine"),
    val(None, "etag-compare"),
    val(None, "etag-save"),
    val(None, "expect100-timeout"),
    val(Some('F'), "form").means("a multipart form field (POST)"),
    val(None, "form-string").means("a multipart form field, `@`/`<` not special (POST)"),
    val(None, "ftp-account"),
    val(None, "ftp-alternative-to-user"),
    val(None, "ftp-method"),
    val(Some('P'), "ftp-port"),
    val(None, "ftp-ssl-ccc-mode"),
    val(None, "happy-eyeballs-timeout-ms"),
    val(None, "haproxy-clientip"),
    val(Some('H'), "header").means("a request header"),
    val(None, "hostpubmd5"),
    val(None, "hostpubsha256"),
    val(None, "hsts"),
    val(None, "interface"),
    val(None, "ip-tos"),
    val(None, "ipfs-gateway"),
    val(None, "json").means("a JSON body (POST) with JSON headers"),
    val(None, "keepalive-cnt"),
    val(None, "keepalive-time"),
    val(None, "key"),
    val(None, "key-type"),
    val(None, "krb"),
    val(None, "libcurl"),
    val(None, "limit-rate"),
    val(None, "local-port"),
    val(None, "login-options"),
    val(None, "mail-auth"),
    val(None, "mail-from"),
    val(None, "mail-rcpt"),
    val(None, "max-filesize"),
    val(None, "max-redirs"),
    val(Some('m'), "max-time"),
    val(None, "netrc-file"),
    val(None, "noproxy"),
    val(None, "oauth2-bearer"),
    val(Some('o'), "output"),
    val(None, "output-dir"),
    val(None, "parallel-max"),
    val(None, "pass"),
    val(None, "pinnedpubkey"),
    val(None, "preproxy"),
    val(None, "proto"),
    val(None, "proto-default"),
    val(None, "proto-redir"),
    val(Some('x'), "proxy"),
    val(None, "proxy-cacert"),
    val(None, "proxy-capath"),
    val(None, "proxy-cert"),
    val(None, "proxy-cert-type"),
    val(None, "proxy-ciphers"),
    val(None, "proxy-crlfile"),
    val(None, "proxy-header"),
    val(None, "proxy-key"),
    val(None, "proxy-key-type"),
    val(None, "proxy-pass"),
    val(None, "proxy-pinnedpubkey"),
    val(None, "proxy-service-name"),
    val(None, "proxy-tls13-ciphers"),
    val(None, "proxy-tlsauthtype"),
    val(None, "proxy-tlspassword"),
    val(None, "proxy-tlsuser"),
    val(Some('U'), "proxy-user"),
    val(None, "proxy1.0"),
    val(None, "pubkey"),
    val(Some('Q'), "quote"),
    val(None, "random-file"),
    val(Some('r'), "range"),
    val(None, "rate"),
    val(Some('e'), "referer"),
    val(Some('X'), "request").means("the request method"),
    val(None, "request-target"),
    val(None, "resolve"),
    val(None, "retry"),
    val(None, "retry-delay"),
    val(None, "retry-max-time"),
    val(None, "sasl-authzid"),
    val(None, "service-name"),
    val(None, "sigalgs"),
    val(None, "socks4"),
    val(None, "socks4a"),
    val(None, "socks5"),
    val(None, "socks5-gssapi-service"),
    val(None, "socks5-hostname"),
    val(Some('Y'), "speed-limit"),
    val(Some('y'), "speed-time"),
    val(None, "ssl-sessions"),
    val(None, "stderr"),
    val(Some('t'), "telnet-option"),
    val(None, "tftp-blksize"),
    val(Some('z'), "time-cond"),
    val(None, "tls-max"),
    val(None, "tls13-ciphers"),
    val(None, "tlsauthtype"),
    val(None, "tlspassword"),
    val(None, "tlsuser"),
    val(None, "trace"),
    val(None, "trace-ascii"),
    val(None, "trace-config"),
    val(None, "unix-socket").means("the request goes to the daemon on this socket"),
    val(Some('T'), "upload-file").means("a file sent as the body (PUT)"),
    val(None, "url").means("a URL, as if given as an operand"),
    val(None, "url-query").means("a query part added to the URL"),
    val(Some('u'), "user"),
    val(Some('A'), "user-agent"),
    val(None, "variable").means("a variable for `{{name}}` expansion"),
    val(None, "vlan-priority"),
    val(Some('w'), "write-out"),
    flag(Some('G'), "get").means("the body becomes the query string (GET)"),
    flag(Some('I'), "head").means("a HEAD request"),
    flag(Some('g'), "globoff").means("`{}` and `[]` in URLs are not globs"),
    flag(Some('q'), "disable"),
    flag(Some(':'), "next").means("the options after it make a new request"),
    flag(Some('L'), "location"),
    flag(Some('s'), "silent"),
    flag(Some('v'), "verbose"),
    flag(Some('i'), "include"),
    flag(Some('k'), "insecure"),
    flag(Some('f'), "fail"),
    flag(None, "fail-with-body"),
    flag(None, "compressed"),
    flag(Some('S'), "show-error"),
    flag(Some('O'), "remote-name"),
    flag(None, "remote-name-all"),
    flag(None, "http1.1"),
    flag(None, "http2"),
    flag(None, "http3"),
    flag(Some('#'), "progress-bar"),
    flag(Some('N'), "no-buffer"),
    flag(Some('4'), "ipv4"),
    flag(Some('6'), "ipv6"),
    flag(Some('l'), "list-only"),
    flag(Some('a'), "append"),
    flag(None, "anyauth"),
    flag(None, "basic"),
    flag(None, "digest"),
    flag(None, "ntlm"),
    flag(None, "negotiate"),
    flag(Some('n'), "netrc"),
    flag(None, "netrc-optional"),
    flag(None, "path-as-is"),
    flag(None, "raw"),
    flag(Some('J'), "remote-header-name"),
    flag(Some('R'), "remote-time"),
    flag(None, "ssl"),
    flag(None, "ssl-reqd"),
    flag(None, "tcp-nodelay"),
    flag(Some('Z'), "parallel"),
    flag(None, "create-dirs"),
    flag(None, "fail-early"),
    flag(None, "http0.9"),
    flag(Some('0'), "http1.0"),
    flag(None, "tr-encoding"),
    flag(None, "no-keepalive"),
    flag(None, "no-sessionid"),
    flag(None, "post301"),
    flag(None, "post302"),
    flag(None, "post303"),
    flag(None, "styled-output"),
    flag(None, "suppress-connect-headers"),
    flag(None, "xattr"),
    flag(Some('M'), "manual"),
    flag(Some('h'), "help"),
    flag(Some('V'), "version"),
    flag(None, "location-trusted"),
    flag(Some('j'), "junk-session-cookies"),
    flag(None, "crlf"),
    flag(Some('p'), "proxytunnel"),
    flag(None, "cert-status"),
    flag(None, "compressed-ssh"),
    flag(None, "disable-eprt"),
    flag(None, "disable-epsv"),
    flag(None, "disallow-username-in-url"),
    flag(None, "doh-cert-status"),
    flag(None, "doh-insecure"),
    flag(None, "false-start"),
    flag(None, "form-escape"),
    flag(None, "ftp-create-dirs"),
    flag(None, "ftp-pasv"),
    flag(None, "ftp-pret"),
    flag(None, "ftp-skip-pasv-ip"),
    flag(None, "ftp-ssl-ccc"),
    flag(None, "ftp-ssl-control"),
    flag(None, "haproxy-protocol"),
    flag(None, "http2-prior-knowledge"),
    flag(None, "http3-only"),
    flag(None, "ignore-content-length"),
    flag(None, "mail-rcpt-allowfails"),
    flag(None, "metalink"),
    flag(None, "no-alpn"),
    flag(None, "no-clobber"),
    flag(None, "no-npn"),
    flag(None, "no-progress-meter"),
    flag(None, "ntlm-wb"),
    flag(None, "parallel-immediate"),
    flag(None, "proxy-anyauth"),
    flag(None, "proxy-basic"),
    flag(None, "proxy-digest"),
    flag(None, "proxy-insecure"),
    flag(None, "proxy-negotiate"),
    flag(None, "proxy-ntlm"),
    flag(None, "proxy-ssl-allow-beast"),
    flag(None, "proxy-ssl-auto-client-cert"),
    flag(None, "proxy-tlsv1"),
    flag(None, "remove-on-error"),
    flag(None, "retry-all-errors"),
    flag(None, "retry-connrefused"),
    flag(None, "sasl-ir"),
    flag(None, "socks5-basic"),
    flag(None, "socks5-gssapi"),
    flag(None, "socks5-gssapi-nec"),
    flag(None, "ssl-allow-beast"),
    flag(None, "ssl-auto-client-cert"),
    flag(None, "ssl-no-revoke"),
    flag(None, "ssl-revoke-best-effort"),
    flag(Some('2'), "sslv2"),
    flag(Some('3'), "sslv3"),
    flag(None, "tcp-fastopen"),
    flag(None, "tftp-no-options"),
    flag(Some('1'), "tlsv1"),
    flag(None, "tlsv1.0"),
    flag(None, "tlsv1.1"),
    flag(None, "tlsv1.2"),
    flag(None, "tlsv1.3"),
    flag(None, "trace-time"),
    flag(Some('B'), "use-ascii"),
]);

/// Short option letter → long name.
fn short_name(c: char) -> Option<&'static str> {
    CURL.short(c).map(|o| o.long)
}

/// Whether `--long` takes a value (curl 8's `--expand-NAME` takes what `--NAME` takes).
fn takes_value(long: &str) -> bool {
    let value = |name: &str| CURL.long(name).is_some_and(|o| o.value);
    value(long) || long.strip_prefix("expand-").is_some_and(value)
}

/// The canonical long name for `name` as typed: exact, `no-` negation of a flag, or an
/// unambiguous abbreviation (curl accepts those).
fn long_name(name: &str) -> Option<String> {
    if takes_value(name) || CURL.long(name).is_some() {
        return Some(name.to_string());
    }
    if let Some(rest) = name.strip_prefix("no-")
        && CURL.long(rest).is_some_and(|o| !o.value)
    {
        return Some(name.to_string());
    }
    CURL.resolve(name).map(|o| o.long.to_string())
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
    /// `--unix-socket PATH`: the request goes to the daemon on that socket (Docker's
    /// `/var/run/docker.sock`), whatever host the URL names.
    unix_socket: Option<String>,
}

/// Parsed options, in the order curl sees them.
struct Parser<'a> {
    inv: &'a Invocation,
    ops: Vec<Operation>,
    globoff: bool,
    variables: HashMap<String, String>,
    unknown: Vec<String>,
    config_depth: usize,
    /// `--resolve`, `--connect-to`, `-x`, `--noproxy`: where requests really go.
    routing: super::Routing,
}

/// Analyze a curl invocation.
pub(crate) fn curl(inv: &Invocation) -> Facts {
    let args = inv.args_lossy();
    let mut p = Parser {
        inv,
        ops: vec![Operation::default()],
        globoff: false,
        variables: HashMap::new(),
        unknown: Vec::new(),
        config_depth: 0,
        routing: super::Routing::default(),
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
        if matches!(name, "data" | "data-ascii" | "data-binary" | "data-raw" | "data-urlencode" | "json" | "form")
            && self.inv.is_computed(&v)
        {
            self.unknown.push(format!("the body curl sends (--{name}) is computed when the command runs (`$(…)`)"));
        }
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
            "unix-socket" | "abstract-unix-socket" => self.op().unix_socket = Some(v),
            "resolve" => self.routing.resolve.push(v),
            "connect-to" => self.routing.connect_to.push(v),
            "proxy" | "preproxy" => self.routing.proxy = Some(v),
            "noproxy" => self.routing.noproxy = Some(v),
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

    /// The body one operation sends (`-d`, `--json`, `-T FILE`), and whether it has one.
    fn body(&mut self, op: &Operation) -> (String, bool) {
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
        (body, has_body)
    }

    /// The GraphQL documents in an operation's multipart form (`-F operations=…`, `-F query=…`).
    fn form_docs(&mut self, op: &Operation) -> Vec<String> {
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
        form_docs
    }

    /// The requests one operation sends.
    fn requests(&mut self, op: &Operation, facts: &mut Facts) {
        let (mut body, has_body) = self.body(op);
        let method = method(op, has_body);
        let mut query_extra: Vec<String> = op.url_query.clone();
        if op.get && has_body {
            query_extra.push(body.clone());
            body.clear();
        }
        let form_docs = self.form_docs(op);
        let headers: Vec<(String, String)> = op
            .headers
            .iter()
            .filter_map(|h| h.split_once(':').map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())))
            .collect();
        let urls: Vec<String> =
            op.urls.iter().flat_map(|u| if self.globoff { vec![u.clone()] } else { expand_globs(u) }).collect();
        for raw in urls {
            let mut req = parse_url(&raw);
            if let Some(socket) = &op.unix_socket {
                // Not the agent's own server on localhost: a daemon (Docker, Podman, …).
                req.host = Some(format!("unix:{socket}"));
            }
            if !query_extra.is_empty() {
                let extra = query_extra.join("&");
                req.query = Some(match req.query.take() {
                    Some(q) if !q.is_empty() => format!("{q}&{extra}"),
                    _ => extra,
                });
            }
            req.method = method.clone();
            req.headers = headers.clone();
            // A compressed body (`Content-Encoding: gzip`, `br`, …) is bytes the server
            // inflates: what it says cannot be read here.
            let encoded = headers.iter().any(|(n, v)| n == "content-encoding" && !v.eq_ignore_ascii_case("identity"));
            if encoded && has_body && !req.host.as_deref().is_some_and(crate::facts::is_local_host) {
                facts.unknown.push(format!(
                    "the request body is compressed ({}): what it says cannot be read in advance",
                    headers.iter().find(|(n, _)| n == "content-encoding").map_or("", |(_, v)| v.as_str())
                ));
            }
            req.body = (!body.is_empty()).then(|| body.clone());
            let path_says = req.path.to_ascii_lowercase().contains("graphql")
                || headers.iter().any(|(n, v)| n == "content-type" && v.contains("graphql"));
            let mut docs: Vec<(String, bool)> = form_docs.iter().map(|d| (d.clone(), path_says)).collect();
            if !body.is_empty() {
                docs.push((body.clone(), path_says));
            }
            if let Some(q) = &req.query
                && let Some(doc) = graphql_in_form(q)
            {
                docs.push((doc, path_says));
            }
            if let Some(doc) = graphql_in_form(&body) {
                docs.push((doc, path_says));
            }
            record(facts, req, &docs, self.inv, &self.routing);
        }
    }
}

/// The method an operation uses: `-X` wins, then `-I`, `-G`, a body or form (POST), an
/// upload (PUT), else GET.
fn method(op: &Operation, has_body: bool) -> String {
    if let Some(m) = &op.request {
        return m.to_ascii_uppercase();
    }
    if op.head {
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
    .to_string()
}

/// Split a curl config file into command-line tokens: `name = value`, `name: value`,
/// `name value`, `--name value`; `#` comments; quoted values with escapes.
pub(super) fn config_tokens(text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            if CURL.long(long).map(|o| o.value) != Some(takes) {
                wrong.push(format!("--{long}: curl says {}", if takes { "value" } else { "flag" }));
            }
            if let Some(c) = short
                && CURL.short(c).map(|o| o.long) != Some(long)
            {
                wrong.push(format!("-{c}: curl says --{long}, the table says {:?}", CURL.short(c).map(|o| o.long)));
            }
        }
        assert!(checked > 200, "curl --help all listed only {checked} options");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
