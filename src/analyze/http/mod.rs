//! HTTP clients: curl (`curl.rs`, its full option grammar), wget (`wget.rs`) and HTTPie/xh
//! (`httpie.rs`), each reading its command line through an option table (`analyze::options`),
//! and the request model they share here: a URL as curl parses it, curl's URL globs, and
//! `record`, which reads what one request carries — GraphQL documents, SQL for a
//! database-over-HTTP API — and adds it to the facts.

mod curl;
mod httpie;
mod reroute;
mod wget;

pub(crate) use curl::curl;
pub(crate) use httpie::httpie;
pub(crate) use wget::wget;

use super::graphql;
use crate::facts::{Facts, HttpRequest};
use crate::invocation::Invocation;
pub(crate) use reroute::Routing;

/// Add one request to `facts`, with what it carries: each GraphQL document in `docs` (with
/// whether the request says it is GraphQL — the path or a content type — so a document that
/// fails to parse but says `mutation` is "cannot see"), SQL in its JSON body, and its host as
/// a target. A local-looking host that something reroutes elsewhere (`reroute`) is remote.
/// The one way every client records a request.
fn record(facts: &mut Facts, mut req: HttpRequest, docs: &[(String, bool)], inv: &Invocation, routing: &Routing) {
    req.via = reroute::via(&req, inv, routing);
    if let Some(via) = &req.via {
        facts.notes.push(format!(
            "`{}` is not a local server here: the request goes to {via}",
            req.host.as_deref().unwrap_or("localhost")
        ));
        facts.add_target(via.clone());
    }
    // A rerouted request's GraphQL is judged as sent to a remote host (no local exemption).
    let graphql_host = if req.via.is_some() { None } else { req.host.as_deref() };
    for (doc, says_graphql) in docs {
        let parsed = graphql::from_body(doc, *says_graphql, graphql_host);
        facts.graphql.extend(parsed.fields);
        facts.unknown.extend(parsed.unknown);
    }
    if let Some(body) = &req.body {
        sql_in_body(body, &req, facts);
    }
    sql_in_query(&req, facts);
    if let Some(h) = &req.host {
        facts.add_target(h.clone());
    }
    facts.requests.push(req);
}

/// Keys under which database-over-HTTP APIs take SQL: Supabase (`query`), Cloudflare D1
/// (`sql`), Neon (`query`, `queries`), Turso/libSQL (`stmt.sql`, `statements`), PlanetScale
/// (`query`), Hasura `run_sql` (`args.sql`), Databricks and Snowflake (`statement`).
const SQL_KEYS: &[&str] = &["sql", "query", "queries", "statement", "statements", "stmt", "command"];

/// SQL statements carried in a request body, classified like a client's: what a database
/// over HTTP will run, whatever the method. A JSON body's SQL keys (Supabase, D1, Neon …),
/// a form's `query=`/`sql=` field, or a body that is itself SQL (ClickHouse's and
/// Elasticsearch SQL's HTTP interfaces: `--data-binary 'ALTER TABLE t DELETE WHERE 1'`).
/// Only text that reads as SQL counts (a GraphQL `query` does not).
pub(crate) fn sql_in_body(body: &str, req: &HttpRequest, facts: &mut Facts) {
    let trimmed = body.trim_start();
    let mut found = Vec::new();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(trimmed) {
            collect_sql(&json, false, &mut found);
        }
    } else if reads_as_sql(trimmed) {
        found.push(trimmed.to_string());
    } else if trimmed.contains('=') {
        found.extend(form_sql(trimmed));
    }
    add_sql(found, req, facts);
}

/// SQL in the URL's query string (`?query=DROP%20TABLE%20t`, ClickHouse's GET and POST).
fn sql_in_query(req: &HttpRequest, facts: &mut Facts) {
    if let Some(q) = &req.query {
        add_sql(form_sql(q), req, facts);
    }
}

/// The values of a form's SQL fields (`query`, `sql`, …) that read as SQL.
fn form_sql(form: &str) -> Vec<String> {
    url::form_urlencoded::parse(form.as_bytes())
        .filter(|(k, v)| SQL_KEYS.contains(&k.to_ascii_lowercase().as_str()) && reads_as_sql(v))
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn add_sql(found: Vec<String>, req: &HttpRequest, facts: &mut Facts) {
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

/// Whether a string starts like an SQL statement (after blanks), followed by a word.
fn reads_as_sql(s: &str) -> bool {
    let s = s.trim_start();
    if !s
        .split_whitespace()
        .nth(1)
        .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '*' || c == '"' || c == '`'))
    {
        return false;
    }
    let first: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase();
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
    if !form.contains("query=") || form.trim_start().starts_with("{") || form.trim_start().starts_with('[') {
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
pub(crate) fn parse_url(raw: &str) -> HttpRequest {
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
            via: None,
        },
        Err(_) => HttpRequest { url: raw.to_string(), path: String::new(), ..HttpRequest::default() },
    }
}

/// Expand curl's URL globs: `{a,b}` alternatives and `[1-3]` / `[a-c]` ranges (at most 64
/// URLs; beyond that only the first of each set is kept, which keeps every host pattern).
pub(crate) fn expand_globs(url: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::OperationKind;
    use crate::invocation::{Env, Invocation, Stdin};

    fn run(line: &str) -> Facts {
        run_in(line, std::path::Path::new("/nonexistent"), Stdin::Empty)
    }

    fn run_in(line: &str, cwd: &std::path::Path, stdin: Stdin) -> Facts {
        let argv: Vec<std::ffi::OsString> = shell_words::split(line).unwrap().into_iter().map(Into::into).collect();
        let inv = Invocation::new(argv, cwd.to_path_buf(), Env::default(), stdin);
        match inv.program.as_str() {
            "wget" => wget(&inv),
            "http" | "https" | "xh" => httpie(&inv),
            _ => curl(&inv),
        }
    }

    fn methods(f: &Facts) -> Vec<String> {
        f.requests.iter().map(|r| r.method.clone()).collect()
    }

    #[test]
    fn a_unix_socket_is_the_host() {
        let f = run("curl --unix-socket /var/run/docker.sock -X DELETE http://localhost/volumes/pgdata");
        assert_eq!(f.requests[0].host.as_deref(), Some("unix:/var/run/docker.sock"));
        assert_eq!(run("curl http://localhost/x").requests[0].host.as_deref(), Some("localhost"));
    }

    #[test]
    fn a_compressed_body_cannot_be_read() {
        let f = run("curl https://api.example.com/graphql -H 'Content-Encoding: gzip' -d x");
        assert!(f.unknown.iter().any(|u| u.contains("compressed (gzip)")), "{:?}", f.unknown);
        assert!(run("curl https://api.example.com/graphql -H 'Content-Encoding: identity' -d x").unknown.is_empty());
        assert!(run("curl http://localhost:8080/x -H 'Content-Encoding: gzip' -d x").unknown.is_empty());
        assert!(run("curl https://api.example.com/x -H 'Content-Encoding: gzip'").unknown.is_empty(), "no body");
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
            let inv = Invocation::new(argv, dir.path().to_path_buf(), env, Stdin::Empty);
            methods(&curl(&inv))
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
        let inv = Invocation::new(argv, "/".into(), Env::from_pairs([("VOL", "v9")]), Stdin::Empty);
        let f = curl(&inv);
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

    /// wget's table: short clusters (the value letter takes the rest), abbreviated long
    /// options, `-e` wgetrc commands, `--` before a URL.
    #[test]
    fn wget_options_through_its_table() {
        let f = run("wget -qO- --post-d='x=1' --meth=delete -- https://api.test/v1/x");
        assert_eq!(methods(&f), ["DELETE"]);
        assert_eq!(f.requests[0].body.as_deref(), Some("x=1"));
        let f = run("wget -qe method=DELETE https://api.test/v1/y");
        assert_eq!(methods(&f), ["DELETE"]);
        // A value option's value is not a URL.
        let f = run("wget -U agent -O out.json https://api.test/v1/z");
        assert_eq!(f.requests.len(), 1);
        assert_eq!(f.requests[0].host.as_deref(), Some("api.test"));
    }

    /// HTTPie's table: value options skip their value, `--raw=` is the body, `-f` a form.
    #[test]
    fn httpie_options_through_its_table() {
        let f = run("http -a user:pw --timeout 5 DELETE api.test/v1/items/3");
        assert_eq!(methods(&f), ["DELETE"]);
        assert_eq!(f.requests[0].host.as_deref(), Some("api.test"));
        let f = run("http --raw='{\"query\":\"mutation { volumeDelete(volumeId: 1) }\"}' POST api.test/graphql");
        assert_eq!(f.graphql[0].name, "volumeDelete");
    }

    /// Every client records its request the same way: SQL for a database-over-HTTP API is
    /// read from wget's and HTTPie's bodies as from curl's.
    #[test]
    fn every_client_reads_sql_in_the_body() {
        for line in [
            "curl -X POST https://db.example.com/v1/query -d '{\"query\":\"DROP TABLE users\"}'",
            "wget --post-data='{\"query\":\"DROP TABLE users\"}' https://db.example.com/v1/query",
            "http POST https://db.example.com/v1/query query='DROP TABLE users'",
        ] {
            let f = run(line);
            assert!(!f.statements.is_empty(), "{line}: {f:?}");
        }
    }
}
