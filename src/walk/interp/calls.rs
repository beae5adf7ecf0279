//! What interpreter code does, from its literals and its calls: a URL sent a DELETE, a
//! GraphQL body, an SQL statement, a guarded program's command line, a delete through the
//! language's library, an ORM or a cloud SDK — and the calls whose target only exists at
//! run time ("cannot see").

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::Found;
use super::lexer::Tok;

/// What single string literals stand for: a URL sent a DELETE, a GraphQL body, an SQL
/// statement, a command line of a guarded program.
pub(super) fn literals(code: &str, literals: &[&str], guarded: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let urls: Vec<&str> =
        literals.iter().copied().filter(|l| l.starts_with("http://") || l.starts_with("https://")).collect();
    let url = urls.first().copied().unwrap_or("https://unknown.invalid/");
    let lower = code.to_ascii_lowercase();
    // `requests.delete(`, `axios.delete(`, `method: "DELETE"`, `Net::HTTP::Delete`, `-X DELETE`.
    let deletes = lower.contains(".delete(")
        || lower.contains("http::delete")
        || literals.iter().any(|l| l.eq_ignore_ascii_case("delete"));
    if deletes {
        for u in &urls {
            out.push(Found::Argv(vec!["curl".into(), "-X".into(), "DELETE".into(), (*u).to_string()]));
        }
    }
    for lit in literals {
        let t = lit.trim();
        if let Some(body) = graphql_body(t) {
            out.push(Found::Argv(vec![
                "curl".into(),
                "-X".into(),
                "POST".into(),
                url.to_string(),
                "--data-raw".into(),
                body,
            ]));
        } else if looks_like_sql(t) {
            out.push(Found::Argv(vec!["psql".into(), "-c".into(), t.to_string()]));
        } else if let Some(first) = t.split_whitespace().next()
            && t.contains(char::is_whitespace)
            && guarded(crate::invocation::program_name(std::ffi::OsStr::new(first)).as_str())
        {
            out.push(Found::Shell(t.to_string()));
        }
    }
    out
}

/// Deletes through the language's own library or an ORM, of a literal path or a model.
pub(super) fn library_deletes(code: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Recursive deletes through the language's own library, of a literal path:
    // `shutil.rmtree('/srv/data')`, `fs.rmSync('/srv', {recursive: true})`, `FileUtils.rm_rf`,
    // Perl's `rmtree`/`remove_tree`, `rimraf(…)`: judged as `rm -rf PATH` (build outputs pass).
    static RECURSIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"(?:shutil\s*\.\s*rmtree|\brmtree|\bremove_tree|\brm_rf|\brm_r|\brimraf(?:\.sync)?|\bfs\s*\.\s*(?:rmSync|rm|rmdirSync|rmdir)|\brmSync)\s*\(\s*['"`]([^'"`]+)['"`]"#,
        )
    });
    let recursive = if mentions(code, TREE_DELETES) { RECURSIVE.captures_iter(code).collect() } else { Vec::new() };
    for cap in recursive {
        let call = cap.get(0).map_or("", |m| m.as_str());
        // Node's rm/rmSync/rmdir delete a tree only with `recursive`.
        let node = call.contains("rm(") || call.contains("rmSync") || call.contains("rmdir");
        if node && !code.contains("recursive") {
            continue;
        }
        out.push(Found::Argv(vec!["rm".into(), "-rf".into(), cap[1].to_string()]));
    }
    // Deletes of one file through the language's library, of a literal path: `os.remove`,
    // `os.unlink`, `Path('x').unlink()`, `fs.unlinkSync`, `File.delete`, `FileUtils.rm`,
    // PHP's and Perl's `unlink`, `Deno.remove`: judged as `rm PATH` (a database file asks).
    static ONE_FILE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"(?:\bos\s*\.\s*(?:remove|unlink)|\bunlinkSync|\bunlink|\bFile\s*\.\s*(?:delete|unlink)|\bFileUtils\s*\.\s*rm(?:_f)?|\bDeno\s*\.\s*remove(?:Sync)?|\bPath\s*\(\s*['"]([^'"]+)['"]\s*\)\s*\.\s*unlink)\s*\(?\s*(?:glob\s*\(\s*)?(?:['"`]([^'"`]+)['"`])?"#,
        )
    });
    let one_file = if mentions(code, &["remove", "unlink", "File.delete", "FileUtils.rm", "Deno.remove"]) {
        ONE_FILE.captures_iter(code).collect()
    } else {
        Vec::new()
    };
    for cap in one_file {
        if let Some(path) = cap.get(1).or_else(|| cap.get(2)) {
            let call = cap.get(0).map_or("", |m| m.as_str());
            let recursive = call.contains("Deno") && code.contains("recursive");
            let flags = if recursive { "-rf" } else { "-f" };
            out.push(Found::Argv(vec!["rm".into(), flags.into(), path.as_str().to_string()]));
        }
    }
    // Every row of a model deleted through an ORM: Rails `User.delete_all` /
    // `User.destroy_all`, Django `User.objects.all().delete()`, SQLAlchemy
    // `session.query(User).delete()`, Laravel `User::truncate()` / `User::query()->delete()` /
    // `DB::table('users')->delete()`, Prisma `prisma.user.deleteMany()`, Mongoose
    // `User.deleteMany({})`: judged as the SQL it sends (`DELETE FROM users`, `TRUNCATE`).
    static ORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"\b([A-Z]\w*)(?:\.all|\.unscoped)?\.(delete_all|destroy_all)\b|\b([A-Z]\w*)\.objects\.all\(\)\.(delete)\(\)|\bquery\(\s*([A-Z]\w*)\s*\)\.(delete)\(\s*\)|\b([A-Z]\w*)::(truncate)\(\)|\b([A-Z]\w*)::query\(\)->(delete)\(\)|\bDB::table\(\s*['"](\w+)['"]\s*\)->(delete|truncate)\(\)|\.(\w+)\.(deleteMany)\(\s*(?:\{\s*\})?\s*\)|\b([A-Z]\w*)\.(deleteMany)\(\s*(?:\{\s*\})?\s*\)"#,
        )
    });
    let orm = if mentions(code, &["delete_all", "destroy_all", "delete()", "truncate()", "deleteMany("]) {
        ORM.captures_iter(code).collect()
    } else {
        Vec::new()
    };
    for cap in orm {
        let mut groups = cap.iter().skip(1).flatten().map(|m| m.as_str());
        let (Some(model), Some(how)) = (groups.next(), groups.next()) else { continue };
        let sql = if how == "truncate" { format!("TRUNCATE {model}") } else { format!("DELETE FROM {model}") };
        out.push(Found::Argv(vec!["psql".into(), "-c".into(), sql]));
    }
    out
}

/// `["psql", "-c", "DROP …"]`, `('kubectl', 'delete', 'ns', 'prod')`: argv lists of a
/// guarded program.
pub(super) fn argv_lists(tokens: &[Tok], guarded: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], Tok::Open) {
            let mut words = Vec::new();
            let mut j = i + 1;
            while let Some(Tok::Str(s)) = tokens.get(j) {
                words.push(s.clone());
                j += 1;
                if matches!(tokens.get(j), Some(Tok::Comma)) {
                    j += 1;
                }
            }
            if words.len() > 1
                && matches!(tokens.get(j), Some(Tok::Close))
                && guarded(crate::invocation::program_name(std::ffi::OsStr::new(&words[0])).as_str())
            {
                out.push(Found::Argv(words));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// A GraphQL request body for a literal: a JSON object with a `query`, or a document with an
/// operation keyword.
pub(super) fn graphql_body(lit: &str) -> Option<String> {
    if lit.starts_with("{") && lit.contains("\"query\"") && serde_json::from_str::<serde_json::Value>(lit).is_ok() {
        return Some(lit.to_string());
    }
    let mut words = lit.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty());
    let first = words.next()?;
    if matches!(first, "mutation" | "subscription") || (first == "query" && lit.contains("{")) {
        return Some(serde_json::json!({ "query": lit }).to_string());
    }
    None
}

/// Whether a literal is SQL worth judging: a statement of it (comments aside) starts with a
/// verb that changes data or schema.
pub(super) fn looks_like_sql(lit: &str) -> bool {
    lit.split(';').any(|s| statement_like_sql(strip_sql_comments(s)))
}

/// A statement without its leading `--` and `/* */` comments.
fn strip_sql_comments(mut s: &str) -> &str {
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return s;
        }
    }
}

fn statement_like_sql(lit: &str) -> bool {
    let first = lit.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_uppercase();
    let second = lit.split_whitespace().nth(1).unwrap_or("").to_ascii_uppercase();
    match first.as_str() {
        "DROP" | "TRUNCATE" | "ALTER" | "MERGE" | "GRANT" | "REVOKE" | "VACUUM" | "COPY" => !second.is_empty(),
        "DELETE" => second == "FROM" || lit.to_ascii_uppercase().contains(" FROM "),
        "UPDATE" => lit.to_ascii_uppercase().contains(" SET "),
        "WITH" | "EXPLAIN" => lit.contains(' ') && lit.len() > 8,
        _ => false,
    }
}

fn regex(pattern: &str) -> Regex {
    crate::static_regex(pattern)
}

/// Whether `code` holds one of `words`: the cheap test before a regex is compiled and run
/// (a shim reads every script an interpreter runs; most say none of these words).
pub(super) fn mentions(code: &str, words: &[&str]) -> bool {
    words.iter().any(|w| code.contains(w))
}

/// The words without which no recursive delete of the languages' libraries is there.
const TREE_DELETES: &[&str] = &["rmtree", "remove_tree", "rm_r", "rimraf", "rmSync", "rm(", "rmdir", "Deno.remove"];

/// Deletes through a cloud or data-store SDK, judged as the CLI call that does the same:
/// boto3 (`s3.delete_bucket(…)`, `rds.delete_db_instance(…)`, `bucket.objects.all().delete()`),
/// the AWS SDK for JavaScript (v3 `new DeleteBucketCommand(…)`, v2 `s3.deleteBucket(…)`),
/// Redis `flushall`/`flushdb`, MongoDB `dropDatabase()`.
pub(super) fn sdk_deletes(code: &str) -> Vec<Found> {
    static BOTO3_SERVICE: LazyLock<Regex> =
        LazyLock::new(|| regex(r#"boto3\s*\.\s*(?:client|resource)\(\s*(?:service_name\s*=\s*)?['"]([\w-]+)['"]"#));
    static SNAKE_DELETE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\.((?:delete|terminate|purge|schedule_key|batch_delete|empty)_\w+)\s*\("));
    static BUCKET_EMPTIED: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"(?:Bucket\(\s*['"]([^'"]+)['"]\s*\)|\w+)\s*\.\s*(?:objects|object_versions)(?:\s*\.\s*all\(\s*\))?\s*\.\s*delete\(\s*\)"#,
        )
    });
    static JS_SERVICE: LazyLock<Regex> =
        LazyLock::new(|| regex(r#"@aws-sdk/client-([\w-]+)|new\s+AWS\s*\.\s*(\w+)\s*\("#));
    static JS_COMMAND: LazyLock<Regex> =
        LazyLock::new(|| regex(r"new\s+((?:Delete|Terminate|Purge|ScheduleKey|BatchDelete)\w*?)Command\s*\("));
    static JS_V2_CALL: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\.((?:delete|terminate|purge|batchDelete)[A-Z]\w*)\s*\(\s*\{"));
    static FLUSH: LazyLock<Regex> = LazyLock::new(|| regex(r"\.\s*(flushall|flushdb|flushAll|flushDb)\s*\("));
    static DROP_DATABASE: LazyLock<Regex> = LazyLock::new(|| regex(r"\.\s*(?:dropDatabase|drop_database)\s*\("));

    let mut out = Vec::new();
    let aws = |service: &str, op: String| {
        let service = match service.to_ascii_lowercase().as_str() {
            "s3" => "s3api".to_string(),
            s => s.to_string(),
        };
        Found::Argv(vec!["aws".into(), service, op])
    };
    if code.contains("boto3") {
        let services: Vec<&str> =
            BOTO3_SERVICE.captures_iter(code).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
        for cap in SNAKE_DELETE.captures_iter(code) {
            for s in &services {
                out.push(aws(s, cap[1].replace('_', "-")));
            }
        }
        for cap in BUCKET_EMPTIED.captures_iter(code) {
            let bucket = cap.get(1).map_or("(a bucket)", |m| m.as_str());
            out.push(Found::Argv(vec![
                "aws".into(),
                "s3".into(),
                "rm".into(),
                format!("s3://{bucket}"),
                "--recursive".into(),
            ]));
        }
    }
    if code.contains("@aws-sdk/") || code.contains("aws-sdk") {
        let services: Vec<String> = JS_SERVICE
            .captures_iter(code)
            .filter_map(|c| c.get(1).or(c.get(2)))
            .map(|m| m.as_str().to_string())
            .collect();
        let ops = JS_COMMAND.captures_iter(code).chain(JS_V2_CALL.captures_iter(code)).map(|c| kebab(&c[1]));
        for op in ops {
            for s in &services {
                out.push(aws(s, op.clone()));
            }
        }
    }
    static GCS_BUCKET: LazyLock<Regex> =
        LazyLock::new(|| regex(r#"(?:\.bucket|get_bucket|lookup_bucket)\(\s*['"`]([^'"`]+)['"`]\s*\)"#));
    static GCS_DELETE: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"\.\s*(?:delete\(\s*(?:force\s*=\s*True|\{\s*force:\s*true\s*\})?\s*\)|deleteFiles\(|delete_blobs\()")
    });
    if (code.contains("google.cloud") || code.contains("@google-cloud/storage")) && GCS_DELETE.is_match(code) {
        for cap in GCS_BUCKET.captures_iter(code) {
            out.push(Found::Argv(vec![
                "gcloud".into(),
                "storage".into(),
                "rm".into(),
                "--recursive".into(),
                format!("gs://{}", &cap[1]),
            ]));
        }
    }
    static MONGO_DELETE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])\s*\.\s*(delete_many\(\s*\{\s*\}\s*\)|deleteMany\(\s*\{\s*\}\s*\)|drop\(\s*\))"#,
        )
    });
    if ["pymongo", "motor", "mongodb", "mongoose", "MongoClient"].iter().any(|m| code.contains(m)) {
        for cap in MONGO_DELETE.captures_iter(code) {
            let collection = cap.get(1).or(cap.get(2)).map_or("", |m| m.as_str());
            let eval = if cap[3].starts_with("drop") {
                format!("db.{collection}.drop()")
            } else {
                format!("db.{collection}.deleteMany({{}})")
            };
            out.push(Found::Argv(vec!["mongosh".into(), "--eval".into(), eval]));
        }
    }
    if mentions(code, &["flush", "Flush"]) {
        for cap in FLUSH.captures_iter(code) {
            out.push(Found::Argv(vec!["redis-cli".into(), cap[1].to_ascii_lowercase()]));
        }
    }
    static ALGOLIA: LazyLock<Regex> = LazyLock::new(|| {
        regex(r#"\.\s*(deleteIndex|delete_index|clearObjects|clear_objects)\s*\(\s*(?:['"`]([^'"`]+)['"`])?"#)
    });
    if mentions(code, &["algolia", "Algolia"]) {
        for cap in ALGOLIA.captures_iter(code) {
            let how = if cap[1].starts_with("clear") { "clear" } else { "delete" };
            let index = cap.get(2).map_or("(an index)", |m| m.as_str());
            out.push(Found::Argv(vec!["algolia".into(), "indices".into(), how.into(), index.into()]));
        }
    }
    if mentions(code, &["dropDatabase", "drop_database"]) && DROP_DATABASE.is_match(code) {
        out.push(Found::Argv(vec!["mongosh".into(), "--eval".into(), "db.dropDatabase()".into()]));
    }
    out
}

/// `DeleteBucket` → `delete-bucket`.
fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// What the code reaches with a target only known at run time, each said once: HTTP calls
/// that change data with no address in the code, a GraphQL request whose document is
/// built at run time, SQL built at run time through a database driver, a tree deleted
/// under a name built at run time. Plain code (no network, database or delete API) has none.
pub(super) fn unseen(code: &str, literals: &[&str]) -> Vec<&'static str> {
    static HTTP_CLIENT: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"\bimport\s+(?:requests|httpx|aiohttp|urllib3?|http\.client)|\bfrom\s+(?:requests|httpx|aiohttp|urllib|http\.client)\b|require\(\s*['"](?:axios|node-fetch|got|undici|superagent|https?)['"]|from\s+['"](?:axios|node-fetch|got|undici|ky|superagent)['"]|\bfetch\s*\(|Net::HTTP|HTTParty|Faraday|RestClient|curl_init|GuzzleHttp|LWP::UserAgent|HTTP::Tiny|Mojo::UserAgent|socket\.http"#,
        )
    });
    static HTTP_WRITE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"(?i)\.(?:post|put|patch|delete|request)\s*\(|method\s*[:=]>?\s*['"](?:post|put|patch|delete)['"]|Net::HTTP::(?:Post|Put|Patch|Delete)|CURLOPT_CUSTOMREQUEST|CURLOPT_POST|\burlopen\s*\([^)]*data"#,
        )
    });
    static DB_DRIVER: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"\bimport\s+(?:psycopg2?|pg8000|asyncpg|pymysql|MySQLdb|mysql\.connector|sqlite3|duckdb|sqlalchemy|clickhouse_connect|snowflake|oracledb|pyodbc)\b|\bfrom\s+(?:psycopg2?|pg8000|asyncpg|sqlalchemy|clickhouse_connect|pymysql)\b|require\(\s*['"](?:pg|postgres|mysql2?|better-sqlite3|sqlite3|mssql|knex|@neondatabase/serverless|@vercel/postgres|@planetscale/database|oracledb|@prisma/client)['"]|from\s+['"](?:pg|postgres|mysql2(?:/promise)?|better-sqlite3|sqlite3|mssql|knex|@neondatabase/serverless|@vercel/postgres|@planetscale/database|@prisma/client|drizzle-orm[\w/-]*)['"]|PG\.connect|PG::Connection|Mysql2::Client|SQLite3::Database|Sequel\.connect|new\s+PDO|mysqli|pg_connect|DBI->connect"#,
        )
    });
    static DB_EXEC: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?:\.\s*(?:execute|executemany|executescript|exec_driver_sql|exec|query|run|do|unsafe|exec_query|exec_params|\$executeRawUnsafe|\$queryRawUnsafe)|\bpg_query|\bmysqli_query)\s*\(",
        )
    });
    static TREE_DELETE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?:shutil\s*\.\s*rmtree|\brmtree|\bremove_tree|\brm_rf|\brm_r|\brimraf(?:\.sync)?|\bfs\s*\.\s*(?:rmSync|rm)|\brmSync|Deno\s*\.\s*remove)\s*\(",
        )
    });
    const HTTP_WORDS: &[&str] = &[
        "requests",
        "httpx",
        "aiohttp",
        "urllib",
        "http.client",
        "axios",
        "fetch",
        "got",
        "undici",
        "superagent",
        "Net::HTTP",
        "HTTParty",
        "Faraday",
        "RestClient",
        "curl_init",
        "Guzzle",
        "LWP",
        "HTTP::Tiny",
        "Mojo",
        "socket.http",
    ];
    const DB_WORDS: &[&str] = &[
        "psycopg",
        "pg8000",
        "asyncpg",
        "pymysql",
        "MySQLdb",
        "mysql",
        "sqlite3",
        "duckdb",
        "sqlalchemy",
        "clickhouse",
        "snowflake",
        "oracledb",
        "pyodbc",
        "pg",
        "postgres",
        "mssql",
        "knex",
        "neondatabase",
        "planetscale",
        "prisma",
        "drizzle",
        "PG",
        "Mysql2",
        "SQLite3",
        "Sequel",
        "PDO",
        "mysqli",
        "DBI",
    ];
    let bound = LazyLock::new(|| Bound::of(code));
    let mut out = Vec::new();
    let has_url = literals.iter().any(|l| l.contains("http://") || l.contains("https://"));
    if mentions(code, HTTP_WORDS) && HTTP_CLIENT.is_match(code) && HTTP_WRITE.is_match(code) {
        if !has_url {
            out.push("sends HTTP requests that can change data, to an address built at run time");
        } else if literals.iter().any(|l| l.contains("graphql"))
            && !literals.iter().any(|l| graphql_body(l.trim()).is_some())
        {
            out.push("sends a GraphQL request whose document is built at run time");
        }
    }
    if mentions(code, DB_WORDS)
        && DB_DRIVER.is_match(code)
        && DB_EXEC.find_iter(code).any(|m| !bound.visible(first_argument(&code[m.end()..])))
    {
        out.push("runs SQL built at run time through a database driver");
    }
    if mentions(code, TREE_DELETES)
        && TREE_DELETE.find_iter(code).any(|m| {
            let arg = first_argument(&code[m.end()..]);
            !bound.visible(arg) && !bound.temporary(arg)
        })
        && (!code.contains("rmSync") && !code.contains("fs.rm") || code.contains("recursive"))
    {
        out.push("deletes a directory tree whose name is built at run time");
    }
    out
}

/// The text of a call's first argument: up to the first `,` or `)` outside brackets.
fn first_argument(after_paren: &str) -> &str {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in after_paren.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth == 0 => return after_paren[..i].trim(),
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => return after_paren[..i].trim(),
            _ => {}
        }
    }
    after_paren.trim()
}

/// Names the code binds to a string literal (`SQL = "…"`, `const q = \`…\``), and to a
/// temporary directory (`d = tempfile.mkdtemp()`, `with TemporaryDirectory() as d`).
struct Bound {
    literal: HashSet<String>,
    temporary: HashSet<String>,
}

impl Bound {
    fn of(code: &str) -> Bound {
        static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
            regex(r#"\$?([A-Za-z_]\w*)\s*(?::\s*[\w\[\]]+\s*)?=\s*(?:[rRbBuUfF]{1,2})?(?:['"`]|%[qQ]?[{(\[]|<<)"#)
        });
        static TEMPORARY: LazyLock<Regex> = LazyLock::new(|| {
            regex(
                r"\$?([A-Za-z_]\w*)\s*=\s*[^\n;]*(?:mkdtemp|TemporaryDirectory|mktmpdir|tmpdir\(|tempdir\()|(?:TemporaryDirectory|mkdtemp|mktmpdir)\([^)]*\)\s*(?:as\s+|do\s*\|)(\w+)",
            )
        });
        let names = |re: &Regex| {
            re.captures_iter(code).filter_map(|c| c.get(1).or(c.get(2))).map(|m| m.as_str().to_string()).collect()
        };
        Bound { literal: names(&LITERAL), temporary: names(&TEMPORARY) }
    }

    /// Whether an argument's value is in the code: a literal, a name bound to one, or a
    /// wrapper call of one (`text("…")`, `sql.SQL(q)`); no argument at all is nothing to see.
    fn visible(&self, arg: &str) -> bool {
        let arg = arg.trim();
        let name = arg.trim_start_matches('$');
        if arg.is_empty() || self.literal.contains(name) {
            return true;
        }
        let unprefixed = arg.trim_start_matches(['r', 'R', 'b', 'B', 'u', 'U', 'f', 'F']);
        if unprefixed.starts_with(['\'', '"', '`']) || arg.starts_with("%q") || arg.starts_with("<<") {
            return true;
        }
        // `text("…")`, `sql.SQL(q)`, `Prisma.raw(q)`: the wrapper's own first argument.
        match arg.split_once('(') {
            Some((callee, inner)) if callee.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_') => {
                self.visible(first_argument(inner))
            }
            _ => false,
        }
    }

    /// Whether an argument names a temporary directory the code made (or a path under one).
    fn temporary(&self, arg: &str) -> bool {
        let arg = arg.trim().trim_start_matches('$');
        if self.temporary.contains(arg) {
            return true;
        }
        match arg.split_once('(') {
            Some((_, inner)) => self.temporary(first_argument(inner)),
            None => false,
        }
    }
}
