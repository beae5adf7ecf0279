//! What a command string runs beyond its first word — wrappers, remote and container exec,
//! user switches, runners, variables, files it writes, project tasks, interpreter
//! one-liners — judged through `interlock hook claude`, and, wherever the command is one
//! argv, through `interlock check` and a shim too: all three must agree.

use std::process::Stdio;

use crate::common::*;

/// A project directory the commands run in: a Makefile, package.json, justfile, migrations
/// and scripts, with benign and destructive tasks side by side.
fn project(s: &Sandbox) -> std::path::PathBuf {
    let dir = s.path("project");
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    std::fs::write(dir.join("migrations/001_init.sql"), "CREATE TABLE users (id int);\n").unwrap();
    std::fs::write(dir.join("migrations/002_index.sql"), "CREATE INDEX ON users (id);\n").unwrap();
    std::fs::write(dir.join("seed.sql"), "INSERT INTO users VALUES (1);\n").unwrap();
    std::fs::write(
        dir.join("Makefile"),
        "PSQL := psql\n.PHONY: test reset drop\ntest:\n\tcargo test\nreset: drop\n\t$(PSQL) -f seed.sql\ndrop:\n\t@$(PSQL) -c 'DROP DATABASE shop'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("package.json"),
        r#"{"scripts":{"build":"tsc","db:reset":"prisma migrate reset --force","predeploy":"railway volume delete --volume pgdata --yes","deploy":"echo deploying"}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("justfile"), "default:\n    cargo build\n\nwipe:\n    redis-cli FLUSHALL\n").unwrap();
    std::fs::write(dir.join("env.sh"), "export DB=shop\npsql -c 'TRUNCATE users'\n").unwrap();
    std::fs::write(dir.join("prod.db"), "SQLite format 3\0…").unwrap();
    std::fs::write(dir.join("orders.csv"), "id,total\n1,9.50\n").unwrap();
    dir
}

/// The hook's decision for `command` run in `cwd`: `allow` (silence), `ask` or `deny`.
fn hook_decision(s: &Sandbox, cwd: &std::path::Path, command: &str) -> String {
    let out = hook(s, "claude", &claude_event_in(command, cwd));
    assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
    match claude_decision(&out).as_str() {
        "none" => "allow".into(),
        other => other.into(),
    }
}

/// `interlock check -- ARGV` in `cwd`: `allow` or `ask` (the hook's word for confirm).
fn check_decision(s: &Sandbox, cwd: &std::path::Path, argv: &[String]) -> String {
    let out =
        s.cmd(BIN, &[]).current_dir(cwd).arg("check").arg("--").args(argv).stdin(Stdio::null()).output().expect("run");
    match out.status.code() {
        Some(0) => "allow".into(),
        Some(1) => "ask".into(),
        other => panic!("check {argv:?}: {other:?} {}", stderr(&out)),
    }
}

/// Strings that must ask, and look-alikes that must not. Commands without shell syntax are
/// also run through `check`, which must agree.
const CASES: &[(&str, &str)] = &[
    // 1. Remote and container exec.
    ("ask", "kubectl exec -it postgres-0 -- psql -c 'DROP DATABASE shop'"),
    ("ask", "kubectl --context prod exec deploy/api -c app -- sh -c \"rm -rf /data\""),
    ("ask", "docker exec -i db psql -U postgres -c 'DROP DATABASE shop'"),
    ("ask", "docker compose exec -T db psql -c 'TRUNCATE users'"),
    ("ask", "podman exec db redis-cli FLUSHALL"),
    ("ask", "ssh prod-db \"psql -c 'DROP DATABASE shop'\""),
    ("ask", "ssh -p 2222 deploy@db.internal -- dropdb shop"),
    ("ask", "fly ssh console -a shop -C \"psql -c 'DROP DATABASE shop'\""),
    ("ask", "heroku run -a shop -- rails db:drop"),
    ("ask", "railway ssh -s db -- psql -c \"'DROP DATABASE shop'\""),
    ("ask", "gcloud compute ssh db-1 --zone us-east1-b --command \"psql -c 'DROP DATABASE shop'\""),
    (
        "ask",
        "aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters '{\"commands\":[\"dropdb shop\"]}'",
    ),
    ("ask", "echo 'DROP DATABASE shop;' | ssh prod-db psql"),
    ("ask", "ssh prod 'bash -s' < env.sh"),
    ("allow", "echo hi | ssh prod cat"),
    ("allow", "kubectl exec -it web-0 -- ls /app"),
    ("allow", "docker exec db psql -c 'SELECT 1'"),
    ("allow", "ssh prod-db uptime"),
    ("allow", "fly ssh console -C 'df -h'"),
    // 2. User switches.
    ("ask", "sudo -iu postgres psql -c 'DROP DATABASE shop'"),
    ("ask", "sudo -u postgres -i psql -c 'DROP DATABASE shop'"),
    ("ask", "sudo -E -- psql -c 'DROP DATABASE shop'"),
    ("ask", "su postgres -c \"psql -c 'DROP DATABASE shop'\""),
    ("ask", "su - postgres -c \"psql -c 'DROP DATABASE shop'\""),
    ("ask", "sudo su - postgres -c \"psql -c 'DROP DATABASE shop'\""),
    ("ask", "runuser -u postgres -- psql -c 'DROP DATABASE shop'"),
    ("ask", "doas -u postgres psql -c 'DROP DATABASE shop'"),
    ("ask", "pkexec --user postgres psql -c 'DROP DATABASE shop'"),
    ("allow", "sudo -u postgres psql -c 'SELECT 1'"),
    ("allow", "sudo apt-get install -y jq"),
    // 3. Runners and wrappers.
    ("ask", "npm exec -- prisma migrate reset --force"),
    ("ask", "npm x prisma migrate reset --force"),
    ("ask", "bun x prisma migrate reset --force"),
    ("ask", "yarn dlx prisma migrate reset --force"),
    ("ask", "pnpm exec prisma migrate reset --force"),
    ("ask", "uv run --env-file .env prisma migrate reset --force"),
    ("ask", "poetry run railway volume delete --volume pgdata --yes"),
    ("ask", "dotenv -e .env.production -- prisma migrate reset --force"),
    ("ask", "env -S\"psql -c 'DROP TABLE users'\""),
    ("ask", "ionice -c3 nice -n 19 psql -c 'DROP TABLE users'"),
    ("ask", "setsid -f flock /tmp/lock psql -c 'DROP TABLE users'"),
    ("ask", "script -qc \"psql -c 'DROP TABLE users'\" /dev/null"),
    ("ask", "find . -name '*.bak' -exec git push --force origin main \\;"),
    ("ask", "parallel psql -c {} ::: 'DROP TABLE a' 'DROP TABLE b'"),
    ("ask", "watch -n 60 \"redis-cli FLUSHALL\""),
    ("ask", "chronic caffeinate -i time psql -c 'DROP TABLE users'"),
    ("allow", "npx prisma migrate dev"),
    ("ask", "ls -d */ | xargs rm -rf"),
    ("ask", "cat tables.txt | xargs -I{} psql -c 'DROP TABLE {}'"),
    ("allow", "find . -name '*.pyc' | xargs rm -f"),
    ("allow", "git branch --merged | xargs git branch -d"),
    ("allow", "find . -name __pycache__ -type d -exec rm -rf {} +"),
    ("allow", "timeout 30 psql -c 'SELECT 1'"),
    // 4. What the string defines or writes.
    ("ask", "Q='DROP TABLE users'; psql -c \"$Q\""),
    (
        "ask",
        "export BODY='{\"query\":\"mutation { volumeDelete(volumeId: \\\"v1\\\") }\"}'; curl -X POST https://backboard.railway.com/graphql/v2 -d \"$BODY\"",
    ),
    ("ask", "PSQL=psql; $PSQL -c 'DROP TABLE users'"),
    ("ask", "alias nuke=\"psql -c 'DROP TABLE users'\"; nuke"),
    ("ask", "wipe() { redis-cli FLUSHALL; }; wipe"),
    ("ask", "psql -c $'\\x44ROP TABLE users'"),
    ("ask", "psql -c $'\\u0044ROP TABLE users'"),
    ("ask", "psql -c $'\\104ROP TABLE users'"),
    (
        "ask",
        "cat > q.json <<'EOF'\n{\"query\":\"mutation { volumeDelete(volumeId: \\\"v1\\\") }\"}\nEOF\ncurl -X POST https://backboard.railway.com/graphql/v2 -d @q.json",
    ),
    ("ask", "echo 'DROP TABLE users;' > seed.sql && psql -f seed.sql"),
    ("ask", "echo 'psql -c \"DROP TABLE users\"' > wipe.sh && bash wipe.sh"),
    ("ask", "pg_dump other > seed.sql; psql -f seed.sql"),
    ("allow", "Q='SELECT 1'; psql -c \"$Q\""),
    ("allow", "echo 'SELECT 1;' > q.sql && psql -f q.sql"),
    // 5. Scripts the string runs.
    ("ask", "source env.sh"),
    ("ask", ". ./env.sh"),
    ("ask", "make reset"),
    ("ask", "make -C . drop"),
    ("ask", "npm run db:reset"),
    ("ask", "npm run deploy"),
    ("ask", "yarn db:reset"),
    ("ask", "pnpm db:reset"),
    ("ask", "bun run db:reset"),
    ("ask", "just wipe"),
    ("allow", "make test"),
    ("allow", "make -n reset"),
    ("allow", "npm run build"),
    ("allow", "just"),
    // 6. Interpreter one-liners and heredocs.
    (
        "ask",
        "python3 -c \"import requests; requests.post('https://backboard.railway.com/graphql/v2', json={'query': 'mutation { volumeDelete(volumeId: \\\"v1\\\") }'})\"",
    ),
    ("ask", "python3 - <<'EOF'\nimport psycopg\npsycopg.connect('dbname=shop').execute('DROP TABLE users')\nEOF"),
    ("ask", "node -e \"fetch('https://api.example.com/v1/databases/prod', {method: 'DELETE'})\""),
    ("ask", "python3 -c \"import subprocess; subprocess.run(['psql', '-c', 'DROP DATABASE shop'])\""),
    ("ask", "ruby -e 'system(\"kubectl delete namespace production\")'"),
    ("ask", "perl -e 'system(\"redis-cli FLUSHALL\")'"),
    ("ask", "php -r 'shell_exec(\"dropdb shop\");'"),
    ("ask", "deno eval \"await fetch('https://api.example.com/v1/items/1', {method: 'DELETE'})\""),
    ("ask", "python3 -c \"import shutil; shutil.rmtree('/srv/uploads')\""),
    ("ask", "node -e \"require('fs').rmSync('/srv/data', {recursive: true, force: true})\""),
    ("allow", "python3 -c \"import shutil; shutil.rmtree('dist')\""),
    ("allow", "python3 -c \"print('delete me')\""),
    ("allow", "node -e \"console.log(require('./package.json').version)\""),
    ("allow", "python3 -c \"import requests; print(requests.get('https://api.example.com/v1/items').json())\""),
    // 7. Everyday strings that must not ask.
    ("allow", "echo 'SELECT count(*) FROM users' | psql"),
    ("allow", "cat migrations/001_init.sql | psql"),
    ("allow", "psql < migrations/001_init.sql"),
    ("allow", "for f in migrations/*.sql; do psql -f \"$f\"; done"),
    ("allow", "kubectl delete namespace staging --dry-run=client"),
    ("allow", "kubectl delete pvc data --dry-run=server -o yaml"),
    ("allow", "git push --force --dry-run origin main"),
    ("allow", "terraform plan -destroy"),
    ("allow", "terraform plan -out=tfplan && terraform apply tfplan"),
    ("ask", "terraform plan -destroy -out=destroy.tfplan && terraform apply destroy.tfplan"),
    ("allow", "rm -rf node_modules dist .next build target __pycache__"),
    ("allow", "rm -f package-lock.json yarn.lock Cargo.lock"),
    (
        "allow",
        "curl -X POST https://api.example.com/graphql -d '{\"query\":\"mutation { requestPasswordReset(email: \\\"a@b.c\\\") { ok } }\"}'",
    ),
    (
        "allow",
        "curl -X POST https://api.example.com/graphql -d '{\"query\":\"mutation { enableDeleteProtection(id: 1) { ok } }\"}'",
    ),
    ("allow", "curl -X DELETE http://localhost:8080/items/1"),
    ("allow", "curl -X DELETE http://127.0.0.1:8080/items/1"),
    ("allow", "curl -X DELETE 'http://[::1]:8080/items/1'"),
    ("allow", "curl -X DELETE http://host.docker.internal:8080/items/1"),
    ("allow", "curl -X DELETE http://api.localhost/items/1"),
    ("allow", "curl http://localhost:4000/graphql -d '{\"query\":\"mutation { deleteUser(id: 1) }\"}'"),
    ("ask", "for f in migrations/*.sql; do psql -f \"$f\"; done; psql -c 'DROP TABLE users'"),
    ("ask", "kubectl delete namespace staging --dry-run=none"),
    ("ask", "psql -c \"$(cat q.sql)\""),
    ("ask", "curl -X POST https://api.example.com/graphql -d \"$(cat body.json)\""),
    ("allow", "git push origin $(git branch --show-current)"),
    ("allow", "curl -H \"Authorization: Bearer $(cat ~/.token)\" https://api.example.com/v1/items"),
    // Switching off the exec guard for what runs next (in a shell that is not itself guarded,
    // `LD_PRELOAD= …` would let a subprocess' /usr/bin/curl run unchecked).
    ("ask", "LD_PRELOAD= python3 deploy.py"),
    ("ask", "unset LD_PRELOAD; node scripts/sync.js"),
    ("ask", "export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2; ./server"),
    ("ask", "INTERLOCK_GUARD_PASS=4242 make deploy"),
    ("allow", "LD_PRELOAD=/home/me/.local/share/interlock/libinterlock_guard.so ls"),
    ("allow", "env -u LD_PRELOAD ls"),
    // What a pipeline feeds xargs is made at run time: keys a scan found, statements.
    ("ask", "redis-cli --scan --pattern 'session:*' | xargs redis-cli del"),
    ("ask", "redis-cli KEYS 'cache:*' | xargs -n 100 redis-cli UNLINK"),
    ("ask", "cat tables.txt | xargs -I{} psql -c 'DROP TABLE {}'"),
    ("allow", "git ls-files '*.rs' | xargs wc -l"),
    // Emptying a file that holds data, by redirection or by copying /dev/null over it, is
    // judged as `truncate -s 0`; creating a new empty file is not. (cp and mv have no shims:
    // only the hook sees these, so they are written as the shell strings agents send.)
    ("ask", "> prod.db"),
    ("ask", ": > orders.csv"),
    ("ask", "cp /dev/null orders.csv && echo emptied"),
    ("ask", "mv prod.db /dev/null; ls"),
    ("allow", "> new-file.txt"),
    ("allow", "echo id,total > orders.csv.tmp"),
    // Replacing a file that holds data (a database: `rm.data-file`) is removing what it held;
    // replacing other files, or writing new ones, is everyday work.
    ("ask", "cp backup.db prod.db"),
    ("ask", "mv /tmp/fresh.db prod.db && echo swapped"),
    ("ask", "echo '' > prod.db"),
    ("ask", "sqlite3 seed.db .dump | tee prod.db"),
    ("allow", "cp prod.db prod.db.bak"),
    ("allow", "cp -n backup.db prod.db"),
    ("allow", "echo 'id,total' > orders.csv"),
    ("allow", "cp orders.csv orders.csv.bak"),
    // A crontab installed from the string: its jobs run later, judged now.
    ("ask", "echo '*/5 * * * * rm -rf /srv/data' | crontab -"),
    ("ask", "printf '@daily psql -c \"TRUNCATE sessions\"\\n' | crontab -"),
    ("ask", "(crontab -l; echo '0 3 * * * /srv/backup.sh') | crontab -"),
    ("allow", "echo '0 3 * * * echo ok' | crontab -"),
    ("allow", "crontab -l"),
    // An alias the string defines runs its words where it is used.
    ("ask", "alias k=kubectl; k delete ns prod"),
    ("allow", "alias ll='ls -la'; ll /srv"),
    ("allow", "alias ls='ls --color'; ls /srv"),
];

#[test]
fn hook_and_check_see_through_command_strings() {
    let s = Sandbox::new();
    let dir = project(&s);
    let wrong = misjudged(&s, &dir, CASES);
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// The cases the hook decides otherwise than wanted, and — for one argv without shell
/// syntax — those `check` decides otherwise.
fn misjudged(s: &Sandbox, dir: &std::path::Path, cases: &[(&str, &str)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (want, command) in cases {
        let got = hook_decision(s, dir, command);
        if got != *want {
            wrong.push(format!("hook: {command}: want {want}, got {got}"));
        }
        let plain = !command.contains(['|', ';', '&', '>', '<', '$', '\n', '(', '`', '*'])
            && !command.split_whitespace().next().is_some_and(|w| w.contains('='));
        if plain && let Ok(argv) = shell_words::split(command) {
            let got = check_decision(s, dir, &argv);
            if got != *want {
                wrong.push(format!("check: {command}: want {want}, got {got}"));
            }
        }
    }
    wrong
}

/// A shim in front of `ssh`: what it would run on the far side needs a human; with no
/// terminal to ask on, the real ssh never runs.
#[test]
fn ssh_shim_judges_the_remote_command() {
    let s = Sandbox::new();
    s.shim("ssh");
    s.recorder("real", "ssh");
    let out = s.cmd("ssh", &["shims", "real"]).args(["prod-db", "psql -c 'DROP DATABASE shop'"]).output().expect("run");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(stderr(&out).contains("interlock: blocked") && stderr(&out).contains("prod-db"), "{}", stderr(&out));
    assert_eq!(s.runs(), 0);
    let out = s.cmd("ssh", &["shims", "real"]).args(["prod-db", "uptime"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
}

/// A wrapper's own rules match once: what it runs is added to its verdict, not the wrapper
/// judged a second time (regression: `check -- fly apps destroy` listed its rule twice).
#[test]
fn a_wrapper_is_judged_once() {
    let s = Sandbox::new();
    for argv in [
        &["fly", "apps", "destroy", "shop", "-y"][..],
        &["flyctl", "apps", "destroy", "shop"],
        &["docker", "volume", "rm", "pgdata"],
    ] {
        let out = s.cmd(BIN, &[]).arg("check").arg("--").args(argv).output().expect("run");
        let text = stdout(&out);
        let rule = text.split(['(', ':']).nth(1).unwrap_or("").trim().to_string();
        assert!(!rule.is_empty(), "{argv:?}: {text}");
        assert_eq!(text.matches(&format!("{rule} (")).count(), 1, "{argv:?}: {text}");
    }
}

/// A project where the destructive part is in what the command points at: script files,
/// migrations, batch and SQL files, a Taskfile, git aliases. Each destructive file has a
/// benign twin.
fn pointed_at(s: &Sandbox) -> std::path::PathBuf {
    let dir = s.path("pointed");
    let write = |path: &str, text: &str| {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let railway = "https://backboard.railway.com/graphql/v2";
    write(
        "cleanup.py",
        &format!(
            "import requests\nrequests.post('{railway}', json={{'query': 'mutation {{ volumeDelete(volumeId: \"v1\") }}'}})\n"
        ),
    );
    write(
        "whoami.py",
        &format!(
            "import requests\nprint(requests.post('{railway}', json={{'query': 'query {{ me {{ id }} }}'}}).json())\n"
        ),
    );
    write("wipe.mjs", "import pg from 'pg'\nconst c = new pg.Client()\nawait c.query(`DROP TABLE users`)\n");
    write(
        "count.mjs",
        "import pg from 'pg'\nconst c = new pg.Client()\nconsole.log(await c.query(`SELECT count(*) FROM users`))\n",
    );
    write("purge.rb", "require 'fileutils'\nFileUtils.rm_rf('/srv/uploads')\n");
    write("list.rb", "puts Dir.glob('/srv/uploads/*')\n");
    write("drop.pl", "use DBI;\n$dbh->do(q{DROP TABLE orders});\n");
    write("s3.py", "import boto3\nboto3.resource('s3').Bucket('prod-assets').objects.all().delete()\n");
    write("s3list.py", "import boto3\nprint(boto3.client('s3').list_buckets())\n");
    write("q.graphql", "mutation { volumeDelete(volumeId: \"v1\") }\n");
    write("tools/wipe.py", "#!/usr/bin/env python3\nimport shutil\nshutil.rmtree('/srv/data')\n");
    write("tools/hello.py", "#!/usr/bin/env python3\nprint('hello')\n");
    write("mongo.py", "from pymongo import MongoClient\ndb = MongoClient().shop\ndb.orders.delete_many({})\n");
    write("k8s/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n");
    write(
        "batch.json",
        r#"{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"api.example.com","Type":"A"}}]}"#,
    );
    write(
        "upsert.json",
        r#"{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com","Type":"A"}}]}"#,
    );
    write("drop.sql", "DROP TABLE users;\n");
    write("select.sql", "SELECT count(*) FROM users;\n");
    write("prisma/migrations/20240101_init/migration.sql", "CREATE TABLE users (id int);\n");
    write("prisma/migrations/20240301_drop/migration.sql", "-- DropTable\nDROP TABLE \"users\";\n");
    write(
        "alembic/versions/0001_add.py",
        "from alembic import op\ndef upgrade():\n    op.add_column('users', sa.Column('email', sa.Text))\ndef downgrade():\n    op.drop_column('users', 'email')\n",
    );
    write(
        "Taskfile.yml",
        "version: '3'\ntasks:\n  build: go build ./...\n  db:wipe:\n    cmds:\n      - psql -c 'DROP DATABASE shop'\n",
    );
    write(
        ".git/config",
        "[alias]\n  nuke = reset --hard origin/main\n  lg = log --oneline\n  wipe = !psql -c 'TRUNCATE orders'\n",
    );
    dir
}

/// What the command points at, on both layers (issue 22).
const POINTED: &[(&str, &str)] = &[
    // Interpreter script files, and code read from files.
    ("ask", "python3 cleanup.py"),
    ("allow", "python3 whoami.py"),
    ("ask", "python3 < cleanup.py"),
    ("ask", "cat cleanup.py | python3 -"),
    ("ask", "python3 -c \"exec(open('cleanup.py').read())\""),
    (
        "ask",
        "python3 -c \"import requests; requests.post('https://backboard.railway.com/graphql/v2', data=open('q.graphql').read())\"",
    ),
    ("ask", "cat > wipe2.py <<'EOF'\nimport shutil\nshutil.rmtree('/srv/data')\nEOF\npython3 wipe2.py"),
    ("ask", "node wipe.mjs"),
    ("allow", "node count.mjs"),
    ("ask", "node -e \"import('./wipe.mjs')\""),
    ("ask", "ruby purge.rb"),
    ("allow", "ruby list.rb"),
    ("ask", "perl drop.pl"),
    ("ask", "python3 s3.py"),
    ("allow", "python3 s3list.py"),
    ("ask", "./tools/wipe.py"),
    ("allow", "./tools/hello.py"),
    ("ask", "uv run tools/wipe.py"),
    ("ask", "python3 mongo.py"),
    // Pending migrations: the untracked drop (no repository here: the newest one).
    ("ask", "npx prisma migrate deploy"),
    ("allow", "prisma migrate status"),
    ("allow", "alembic upgrade head"),
    // Batch and SQL files named by the call.
    ("ask", "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://batch.json"),
    ("allow", "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://upsert.json"),
    ("ask", "wrangler d1 execute shop --file drop.sql --remote"),
    ("ask", "kubectl delete -f k8s/"),
    ("allow", "kubectl logs -f deploy/api"),
    ("allow", "wrangler d1 execute shop --file select.sql --remote"),
    // Task files and git aliases.
    ("ask", "task db:wipe"),
    ("allow", "task build"),
    ("ask", "git nuke"),
    ("ask", "git wipe"),
    ("allow", "git lg"),
    // One-shot client containers.
    ("ask", "docker run --rm curlimages/curl -X DELETE https://api.example.com/v1/projects/9"),
    ("allow", "docker run --rm curlimages/curl -sS https://api.example.com/v1/projects/9"),
    ("ask", "docker run --rm --entrypoint psql postgres:16 -h db.internal -c 'DROP TABLE users'"),
    // Tunnels and rerouting.
    ("ask", "kubectl port-forward svc/api 8080:80 & curl -X DELETE localhost:8080/v1/users/1"),
    ("allow", "curl -X DELETE localhost:8080/v1/users/1"),
    ("ask", "curl --resolve localhost:443:10.0.0.5 -X DELETE https://localhost/v1/users/1"),
    ("ask", "kubectl delete --raw /api/v1/namespaces/prod"),
    // HTTP semantics.
    ("ask", "curl -X POST https://abc.supabase.co/storage/v1/bucket/avatars/empty"),
    ("ask", "curl https://ch.example.com:8443/ --data-binary 'ALTER TABLE events DELETE WHERE 1'"),
    // What must stay quiet.
    ("allow", "gh repo delete shop -h"),
    ("allow", "aws s3 rm s3://prod --recursive help"),
    ("allow", "rm -rf ~/Library/Developer/Xcode/DerivedData"),
    ("allow", "d=$(mktemp -d) && git clone https://example.com/x.git \"$d\" && rm -rf \"$d\""),
    ("allow", "sqlite3 :memory: 'DROP TABLE t'"),
    ("allow", "python3 manage.py sqlflush"),
];

#[test]
fn what_the_command_points_at_is_judged_on_both_layers() {
    let s = Sandbox::new();
    let dir = pointed_at(&s);
    let wrong = misjudged(&s, &dir, POINTED);
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// What a peer stops (issue 28), with look-alikes that must pass, on both layers.
const PEERS: &[(&str, &str)] = &[
    // System files and devices.
    ("ask", "echo x > /etc/passwd"),
    ("ask", "echo 'alias ls=rm' >> ~/.zshrc"),
    ("ask", "rm -f ~/.ssh/id_rsa"),
    ("ask", "tee /etc/profile"),
    ("ask", "dd if=/dev/zero of=/etc/sudoers"),
    ("ask", "sed -i 's/x/y/' /etc/hosts"),
    ("ask", "cp my.pub ~/.ssh/authorized_keys"),
    ("ask", "cat image.img > /dev/sda"),
    ("ask", "cryptsetup luksErase /dev/sda2"),
    ("ask", "fdisk /dev/sda"),
    ("ask", "chmod -R 777 /"),
    ("ask", "scp passwd root@server:/etc/passwd"),
    ("allow", "echo hi > out.txt"),
    ("allow", "tee -a notes.txt"),
    ("allow", "fdisk -l /dev/sda"),
    ("allow", "chmod -R 755 ./dist"),
    ("allow", "scp user@host:/etc/hosts ./hosts"),
    // git beyond the porcelain.
    ("ask", "git reset --har"),
    ("ask", "git read-tree --reset -u HEAD"),
    ("ask", "git>/dev/null reset --hard"),
    ("ask", "X='git reset --hard'; $X"),
    ("ask", "git update-ref --delete refs/heads/main"),
    ("allow", "git reset --soft HEAD~1"),
    ("allow", "git read-tree HEAD"),
    // Commands carried by options, variables and words.
    ("ask", "tar -xf x.tar --to-command='rm -rf /srv/data'"),
    ("ask", "GIT_SSH_COMMAND='rm -rf /srv/data' git fetch"),
    ("ask", "rsync -e 'rm -rf /srv/data' a host:b"),
    ("ask", "rm${IFS}-rf${IFS}/srv/data"),
    ("ask", "repeat 2 rm -rf /srv/data"),
    ("ask", "k delete ns prod"),
    ("ask", "kubectl get pods -o name | xargs kubectl delete"),
    ("ask", "DROP TABLE users"),
    ("allow", "tar -xzf backup.tar.gz"),
    ("allow", "GIT_SSH_COMMAND='ssh -i ~/.ssh/deploy' git fetch"),
    ("allow", "alias gpf='git push -f'"),
    // Platforms.
    ("ask", "heroku pg:psql -a shop -c 'DROP TABLE users'"),
    ("ask", "restic forget --prune --keep-last 1"),
    ("ask", "velero backup delete prod-nightly"),
    ("ask", "kubeadm reset -f"),
    ("ask", "aws apigateway delete-stage --rest-api-id a --stage-name prod"),
    ("ask", "curl -X DELETE localhost:9200/logs-2024"),
    ("ask", "java -jar jenkins-cli.jar -s https://ci.example.com delete-job deploy"),
    ("allow", "restic snapshots"),
    ("allow", "curl localhost:9200/_cat/indices"),
    // Dry runs and the everyday.
    ("allow", "npm unpublish pkg@1.0.0 --dry-run"),
    ("allow", "zfs destroy -n tank/data"),
    ("allow", "wipefs /dev/sdb"),
    ("allow", "rm -rf node_modules bun.lockb"),
    ("allow", "rm -rf /private/tmp/build-1"),
];

#[test]
fn what_a_peer_stops_is_judged_on_both_layers() {
    let s = Sandbox::new();
    let dir = s.path("work");
    let wrong = misjudged(&s, &dir, PEERS);
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
