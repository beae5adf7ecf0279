//! In-process costs of the decision path (`cargo bench`). Whole-process figures — what an
//! agent actually pays per command — come from `bench/run.sh`.

// Tests fail by panicking; their helpers are the test crate's own.
#![allow(clippy::expect_used, clippy::unwrap_used, unreachable_pub)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interlock as engine;
use interlock::RuleSet;
use interlock::{Env, Invocation, Stdin};
use interlock::{SqlDialect as Dialect, SqlScanner as Scanner};

const INCIDENT: &str = r#"{"query":"mutation { volumeDelete(volumeId: \"3d2c4a1e-8a0b-4d5e-9f00-112233445566\") }"}"#;

fn invocation(args: &[&str]) -> Invocation {
    Invocation::new(args.iter().map(Into::into).collect(), "/tmp".into(), Env::default(), Stdin::Empty)
}

fn rules(c: &mut Criterion) {
    c.bench_function("load rules for curl", |b| b.iter(|| RuleSet::for_program(black_box("curl"))));
    c.bench_function("load rules for psql", |b| b.iter(|| RuleSet::for_program(black_box("psql"))));
}

fn decisions(c: &mut Criterion) {
    let curl = RuleSet::for_program("curl");
    c.bench_function("evaluate benign curl", |b| {
        b.iter(|| engine::evaluate(&invocation(&["curl", "-fsSL", "https://example.com/install.sh"]), &curl))
    });
    c.bench_function("evaluate the incident", |b| {
        b.iter(|| {
            engine::evaluate(
                &invocation(&["curl", "-X", "POST", "https://backboard.railway.com/graphql/v2", "-d", INCIDENT]),
                &curl,
            )
        })
    });
    let git = RuleSet::for_program("git");
    c.bench_function("evaluate git push --force", |b| {
        b.iter(|| engine::evaluate(&invocation(&["git", "push", "--force", "origin", "main"]), &git))
    });
    c.bench_function("hook: judge a compound command", |b| {
        b.iter(|| {
            interlock::check_command(
                black_box("cd /srv && git pull && psql -c 'SELECT 1' && curl -s https://example.com | jq ."),
                std::path::Path::new("/tmp"),
            )
        })
    });
}

fn sql(c: &mut Criterion) {
    let mut dump = String::new();
    let mut i = 0;
    while dump.len() < 16 << 20 {
        dump.push_str(&format!(
            "INSERT INTO orders VALUES ({i}, 'item {i}', 'it''s -- not a comment; DROP TABLE x', $${i}$$);\n"
        ));
        i += 1;
    }
    let mut g = c.benchmark_group("sql scanner");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    g.sample_size(10);
    g.bench_function("16 MiB of INSERTs", |b| {
        b.iter(|| {
            let mut s = Scanner::new(Dialect::Postgres);
            for chunk in dump.as_bytes().chunks(256 << 10) {
                s.feed(chunk);
            }
            s.finish()
        })
    });
    g.finish();
}

criterion_group!(benches, rules, decisions, sql);
criterion_main!(benches);
