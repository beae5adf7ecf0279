#!/usr/bin/env bash
# Whole-process benchmarks for interlock (hyperfine), with the budgets from issue 8:
#   1. pass-through overhead vs the floor (a minimal Rust exec program): ratio <= 3 (aim 1.5)
#   2. decision latency of `check` and `hook claude`: hook median <= 5 ms
#   3. psql fed a 1 GiB SQL dump: >= 500 MB/s classification, <= 64 MiB peak RSS, every byte delivered
#   4. 10,000 user rules over many programs: pass-through and check within 2x of built-in only
#   5. the exec guard (issue 14): 1,000 unguarded execs from bash within +10% of the same without it
#   6. interpreter scripts (issue 22): `python3 app.py` / `node app.mjs` through the shim, which
#      reads the script (a 400-line plain one, and one importing 10 local modules)
# Usage: bench/run.sh [--quick]   (--quick: fewer runs and a 256 MiB dump)
# Timed assertions do not belong in the test suite; this script reports, the README records.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
runs=300; dump_mib=1024
if [ "$quick" = "--quick" ]; then runs=60; dump_mib=256; fi

command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine; }
cargo build --release --quiet
cargo build --release --quiet --manifest-path guard/Cargo.toml --target-dir target
bin=$PWD/target/release/interlock
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/real" "$work/shims" "$work/home" "$work/home-many"
cp /bin/true "$work/real/curl"
printf '#!/bin/sh\nexec sha256sum\n' > "$work/real/psql"; chmod +x "$work/real/psql"
ln -s "$bin" "$work/shims/curl"; ln -s "$bin" "$work/shims/psql"
rustc -O -o "$work/floor" bench/floor.rs
export HOME=$work/home XDG_STATE_HOME=$work/home/state XDG_CONFIG_HOME=$work/home/config
export PATH=$work/shims:$work/real:/usr/bin:/bin

median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"]*1000)' "$@"; }

echo "== 1. pass-through: benign curl through the shim"
hyperfine -N --warmup 50 -r "$runs" --export-json "$work/pass.json" \
  -n direct "$work/real/curl https://example.com/x" \
  -n floor "$work/floor $work/real/curl https://example.com/x" \
  -n shim "$work/shims/curl https://example.com/x" >/dev/null
d=$(median "$work/pass.json" 0); f=$(median "$work/pass.json" 1); s=$(median "$work/pass.json" 2)
python3 -c "d,f,s=$d,$f,$s; print(f'direct {d:.3f} ms, floor {f:.3f} ms, shim {s:.3f} ms (medians); ratio (shim-direct)/(floor-direct) = {(s-d)/(f-d):.2f}  [budget <= 3, aim <= 1.5]')"

echo "== 2. decision latency"
printf '%s' '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && cargo test"},"cwd":"/tmp"}' > "$work/benign.json"
printf '%s' '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"curl -X POST https://backboard.railway.com/graphql/v2 -d '"'"'{\"query\":\"mutation { volumeDelete(volumeId: \\\"v1\\\") }\"}'"'"'"},"cwd":"/tmp"}' > "$work/incident.json"
# The hook reads its event on stdin: measured through a shell, whose own start-up hyperfine
# measures and subtracts.
hyperfine --warmup 20 -r "$runs" -i --export-json "$work/decide.json" \
  -n "check benign" "$bin check -- curl -fsSL https://example.com/install.sh" \
  -n "check destructive" "$bin check -- curl -X DELETE https://api.example.com/v1/projects/1" \
  -n "hook claude benign" "$bin hook claude < $work/benign.json" \
  -n "hook claude incident" "$bin hook claude < $work/incident.json" >/dev/null
python3 - "$work/decide.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = r["command"]
    print(f'{name[:22]:<22} median {r["median"]*1000:.2f} ms')
print('[budget: hook median <= 5 ms]')
PY

echo "== 3. psql fed a ${dump_mib} MiB SQL dump on stdin"
python3 - "$work/dump.sql" "$dump_mib" <<'PY'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
row = "INSERT INTO public.orders (id, customer, note, total, created_at) VALUES ({0}, 'customer {0}', 'it''s fine -- really', {0}.50, '2026-01-01 00:00:00');\n"
block = "".join(row.format(i) for i in range(10000)).encode()
with open(path, "wb") as f:
    f.write(b"BEGIN;\n")
    for _ in range(mib * 1024 * 1024 // len(block)):
        f.write(block)
    f.write(b"COMMIT;\n")
PY
python3 - "$work" "$bin" <<'PY'
import hashlib, os, resource, subprocess, sys, time
work, binary = sys.argv[1], sys.argv[2]
dump = os.path.join(work, "dump.sql")
size = os.path.getsize(dump)
def run(cmd, stdin):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - t, p
before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(dump, "rb") as f:
    secs, p = run([binary, "check", "--", "psql", "app"], f)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"check, regular file: {size/secs/1e6:.0f} MB/s ({secs:.2f} s, decision: {p.stdout.decode().strip()[:40]}), peak RSS {rss/1024:.1f} MiB  [budget >= 500 MB/s, <= 64 MiB]")
h = hashlib.sha256()
with open(dump, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
want = h.hexdigest()
with open(dump, "rb") as f:
    secs, p = run([os.path.join(work, "shims", "psql"), "app"], f)
got = p.stdout.decode().split()[0] if p.stdout else ""
print(f"shim, regular file (rewound): {secs:.2f} s end to end, the real program got {'every byte' if got == want else 'DIFFERENT BYTES'}")
def piped(program):
    cat = subprocess.Popen(["cat", dump], stdout=subprocess.PIPE)
    t = time.perf_counter()
    p = subprocess.run([program, "app"], stdin=cat.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.perf_counter() - t
    cat.wait()
    return secs, (p.stdout.decode().split() or [""])[0]
direct = min(piped(os.path.join(work, "real", "psql"))[0] for _ in range(3))
runs = [piped(os.path.join(work, "shims", "psql")) for _ in range(3)]
secs = min(r[0] for r in runs)
got = runs[0][1]
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
added = (secs - direct) * (1 << 30) / size
print(f"shim, pipe (read, spooled and scanned at once): {secs:.2f} s vs {direct:.2f} s straight into the real program: "
      f"+{added:.2f} s per GiB (best of 3), the real program got {'every byte' if got == want else 'DIFFERENT BYTES'}, "
      f"peak RSS so far {rss/1024:.1f} MiB  [budget <= +2 s per GiB, <= 64 MiB]")
PY

echo "== 4. 10,000 user rules over 500 programs"
mkdir -p "$work/home-many/config/interlock/rules"
python3 - "$work/home-many/config/interlock/rules" <<'PY'
import sys
d = sys.argv[1]
for f in range(20):
    with open(f"{d}/team-{f:02}.toml", "w") as out:
        for r in range(500):
            n = f * 500 + r
            prog = f"tool{n % 500}"
            out.write(f'''[[rule]]
id = "team.{prog}.rule{n}"
program = "{prog}"
command = ["purge{n}"]
action = "confirm"
severity = "medium"
reason = "purges things"
match = ["{prog} purge{n}"]
not_match = ["{prog} list"]

''')
PY
hyperfine -N --warmup 20 -r "$runs" --export-json "$work/scale.json" \
  -n "shim, built-in rules" "$work/shims/curl https://example.com/x" \
  -n "check, built-in rules" "$bin check -- curl https://example.com/x" >/dev/null
b1=$(median "$work/scale.json" 0); b2=$(median "$work/scale.json" 1)
XDG_CONFIG_HOME=$work/home-many/config hyperfine -N --warmup 20 -r "$runs" --export-json "$work/scale2.json" \
  -n "shim, +10k user rules" "$work/shims/curl https://example.com/x" \
  -n "check, +10k user rules" "$bin check -- curl https://example.com/x" >/dev/null
m1=$(median "$work/scale2.json" 0); m2=$(median "$work/scale2.json" 1)
python3 -c "b1,b2,m1,m2=$b1,$b2,$m1,$m2; print(f'shim {b1:.2f} -> {m1:.2f} ms ({m1/b1:.2f}x), check {b2:.2f} -> {m2:.2f} ms ({m2/b2:.2f}x)  [budget <= 2x]')"

echo "== 5. exec guard: 1,000 unguarded execs of /bin/true from bash"
# The guard as installed: the release library with the table `shims install` writes. For
# reference, an empty preloaded library: what any LD_PRELOAD costs the dynamic loader. Runs
# alternate (none, guard, empty, none, …) so that drift of the machine hits all alike.
guard_data=$work/home/.local/share/interlock
mkdir -p "$guard_data"
cp target/release/libinterlock_guard.so "$guard_data/"
"$bin" shims install >/dev/null   # writes the table, also into the library's slot
printf 'int interlock_bench_empty;\n' > "$work/empty.c"
cc -shared -fPIC -O2 -o "$work/empty.so" "$work/empty.c"
rounds=$(( runs / 5 > 20 ? runs / 5 : 20 ))
python3 - "$guard_data/libinterlock_guard.so" "$work/empty.so" "$rounds" <<'PY'
import os, statistics, subprocess, sys, time
guard, empty, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
loop = "for i in $(seq 1000); do /bin/true; done"
variants = {"without": "", "with the guard": guard, "empty preload": empty}
names = list(variants)
# On one CPU when there are several: a loop that migrates between CPUs varies by more than
# what is measured here. Each round runs every variant once, in a rotating order, and each
# variant is compared with the run without a preload of the same round.
pin = ["taskset", "-c", "1"] if len(os.sched_getaffinity(0)) > 1 and os.path.exists("/usr/bin/taskset") else []
times = {k: [] for k in variants}
for r in range(rounds):
    for k in range(len(names)):
        name = names[(k + r) % len(names)]
        env = dict(os.environ, LD_PRELOAD=variants[name])
        t = time.perf_counter()
        subprocess.run(pin + ["bash", "-c", loop], env=env, check=True)
        times[name].append(time.perf_counter() - t)
base = statistics.median(times["without"])
print(f"{rounds} rounds{', pinned to CPU 1' if pin else ''}; per round, each variant against the run without a preload")
for name, t in times.items():
    ratios = [a / b for a, b in zip(t, times["without"])]
    q = statistics.quantiles(ratios, n=4)
    m = statistics.median(t)
    print(f"{name:<15} median {m*1000:6.0f} ms  ({(statistics.median(ratios)-1)*100:+5.1f}%, middle half {(q[0]-1)*100:+.1f}..{(q[2]-1)*100:+.1f}%; {(m-base):+.3f} ms per exec)")
print("[budget: with the guard <= +10%]")
PY

echo "== 6. interpreter scripts through the shim (the script is read and scanned)"
mkdir -p "$work/proj/lib"
cp /bin/true "$work/real/python3"; cp /bin/true "$work/real/node"
ln -s "$bin" "$work/shims/python3"; ln -s "$bin" "$work/shims/node"
python3 - "$work/proj" <<'PY'
import sys
d = sys.argv[1]
body = "".join(f"def f{i}(x):\n    return {{'n': x, 'label': 'item {i}'}}\n\n" for i in range(130))
open(f"{d}/app.py", "w").write("import json, os, sys\n" + body + "print(json.dumps(f1(1)))\n")
for m in range(10):
    open(f"{d}/lib/m{m}.py", "w").write(body)
open(f"{d}/lib/__init__.py", "w").write("")
open(f"{d}/main.py", "w").write("".join(f"from lib import m{m}\n" for m in range(10)) + "print(m1.f1(2))\n")
open(f"{d}/app.mjs", "w").write("".join(f"export function f{i}(x) {{ return {{ n: x, label: `item {i}` }}; }}\n" for i in range(400)))
PY
( cd "$work/proj" && hyperfine -N --warmup 20 -r "$runs" --export-json "$work/interp.json" \
  -n "python3 direct" "$work/real/python3 app.py" \
  -n "python3 app.py shim" "$work/shims/python3 app.py" \
  -n "python3 main.py shim (10 modules)" "$work/shims/python3 main.py" \
  -n "node app.mjs shim" "$work/shims/node app.mjs" >/dev/null )
python3 - "$work/interp.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d = r[0]["median"] * 1000
for x in r[1:]:
    print(f'{x["command"][:40]:<40} median {x["median"]*1000:.2f} ms (+{x["median"]*1000-d:.2f} ms over the program alone)')
PY
