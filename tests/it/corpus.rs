//! A table of realistic invocations — destructive ones in the spellings agents and people
//! use, and benign look-alikes — classified in-process exactly as `interlock check` does.

use interlock as engine;
use interlock::Decision;

use crate::common::*;

/// Destructive calls, each with the rule that must fire for it (the first of the matches).
const DESTRUCTIVE: &[(&str, &str)] = &[
    // the incident, and its disguises
    (
        "railway.api.volume-delete",
        r#"curl -X POST https://backboard.railway.com/graphql/v2 -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"query":"mutation { volumeDelete(volumeId: \"3d2c4a1e-8a0b-4d5e-9f00-112233445566\") }"}'"#,
    ),
    (
        "railway.api.volume-delete",
        r#"curl https://backboard.railway.app/graphql/v2 -H 'Content-Type: application/json' --data-raw '{"query":"mutation volumeDelete($id: String!) { volumeDelete(volumeId: $id) }","variables":{"id":"abc"}}'"#,
    ),
    (
        "railway.api.volume-delete",
        r#"curl -sS -XPOST https://backboard.railway.com/graphql/v2 -d '{"query":"mutation{v:volume\u0044elete(volumeId:\"x\")}"}'"#,
    ),
    (
        "railway.api.destructive-mutation",
        r#"curl -s --json '{"query":"mutation { serviceDelete(id: \"s1\") }"}' https://backboard.railway.com/graphql/v2"#,
    ),
    (
        "railway.api.destructive-mutation",
        r#"curl -X POST -H 'Project-Access-Token: t' https://backboard.railway.com/graphql/v2 -d '{"query":"mutation { environmentDelete(id: \"e1\") }"}'"#,
    ),
    (
        "railway.api.replace-variables",
        r#"curl https://backboard.railway.com/graphql/v2 -d '{"query":"mutation { variableCollectionUpsert(input: { projectId: \"p\", environmentId: \"e\", serviceId: \"s\", variables: {}, replace: true }) }"}'"#,
    ),
    ("http.delete.remote", r#"curl -X DELETE https://api.github.com/repos/acme/shop -H "Authorization: token x""#),
    ("http.delete.remote", r#"curl -X DELETE "https://api.cloudflare.com/client/v4/zones/z/dns_records/r""#),
    ("http.delete.remote", r#"curl --request DELETE --url https://api.heroku.com/apps/shop"#),
    ("http.delete.remote", r#"curl -XDELETE localhost.example.com:9200/logs-*"#),
    ("http.delete.remote", r#"curl -X DELETE http://es.internal:9200/orders"#),
    ("http.delete.remote", r#"wget --method=DELETE -O- https://api.example.com/v1/projects/1"#),
    ("http.delete.remote", r#"http DELETE api.example.com/v1/users/42 "Authorization: Bearer x""#),
    (
        "graphql.destructive-mutation",
        r#"curl -X POST https://api.linear.app/graphql -d '{"query":"mutation { issueDelete(id: \"i\") { success } }"}'"#,
    ),
    // railway CLI
    ("railway.volume.delete", "railway volume delete --volume pgdata --yes"),
    ("railway.volume.delete", "railway volume rm -v pgdata -y"),
    ("railway.volume.delete", "railway -e production volume delete --volume pg"),
    ("railway.cli.destructive", "railway down --yes"),
    ("railway.cli.destructive", "railway delete -y"),
    ("railway.cli.environment-or-service-delete", "railway environment delete staging -y"),
    ("railway.cli.environment-or-service-delete", "railway service delete --service api --yes"),
    ("railway.cli.variable-delete", "railway variables delete DATABASE_URL"),
    ("railway.api.volume-delete", "railway api 'mutation { volumeDelete(volumeId: \"v\") }'"),
    // regression: an unlisted credential option shifted the subcommand path
    ("railway.volume.delete", "railway --token abc volume delete --volume pg -y"),
    // SQL
    ("sql.drop", "psql -c 'DROP TABLE users'"),
    ("sql.drop", "psql \"$DATABASE_URL\" -c 'drop table users cascade;'"),
    ("sql.truncate", "psql postgres://app:pw@db.example.com:5432/shop -c 'TRUNCATE orders'"),
    ("sql.delete-all", "psql -h localhost -U postgres -d shop -c 'DELETE FROM orders'"),
    ("sql.drop", "psql -c 'drop schema public cascade; create schema public;'"),
    ("sql.drop-database", "psql -d shop -v ON_ERROR_STOP=1 -c 'DROP DATABASE shop_test'"),
    ("sql.update-all", "psql -X -q -c 'UPDATE users SET password_hash = NULL'"),
    ("sql.alter-drop", "psql -c 'ALTER TABLE orders DROP COLUMN total'"),
    ("sql.drop-database", "mysql -uroot -e 'DROP DATABASE shop'"),
    ("sql.truncate", "mysql -h db -u app shop -e 'truncate table sessions'"),
    ("sql.delete-all", "mariadb -e 'DELETE FROM logs'"),
    ("sql.drop", "sqlite3 db.sqlite3 'DROP TABLE django_migrations'"),
    ("sql.delete-all", "sqlite3 app.db 'delete from users;'"),
    ("redis.flush", "redis-cli FLUSHALL"),
    ("redis.flush", "redis-cli -h cache.internal -p 6380 -n 3 FLUSHDB"),
    ("redis.flush", "redis-cli -u redis://default:pw@cache.example.com:6379 flushall async"),
    ("sql.drop-database", "mongosh mongodb://localhost/shop --eval 'db.dropDatabase()'"),
    ("sql.delete-all", "mongosh --quiet --eval 'db.orders.deleteMany({})' shop"),
    ("postgres.dropdb", "dropdb shop"),
    ("postgres.dropdb", "dropdb -h db.example.com -U postgres --if-exists shop_prod"),
    ("postgres.pg-restore-clean", "pg_restore --clean --if-exists -d shop latest.dump"),
    ("mysqladmin.drop", "mysqladmin -u root -f drop shop"),
    ("mongorestore.drop", "mongorestore --drop --uri mongodb://db.internal/shop dump/"),
    ("prisma.reset", "prisma migrate reset --force"),
    ("rails.db-drop", "rails db:reset"),
    // git
    ("git.push.force", "git push --force"),
    ("git.push.force", "git push -f origin main"),
    ("git.push.plus-refspec", "git push origin +main"),
    ("git.push.force", "git push --force-with-lease origin HEAD"),
    ("git.push.delete", "git push origin --delete feature/x"),
    ("git.push.delete-refspec", "git push origin :feature/x"),
    ("git.reset.hard", "git reset --hard origin/main"),
    ("git.clean.force", "git clean -fdx"),
    ("git.clean.force", "git clean -ffd"),
    ("git.branch.force-delete", "git branch -D feature/x"),
    ("git.discard-all-changes", "git checkout -- ."),
    ("git.reset.hard", "git -C /srv/app reset --hard"),
    ("gh.repo.delete", "gh repo delete acme/shop --yes"),
    ("gh.api.delete", "gh api -X DELETE repos/acme/shop/releases/1"),
    // files
    ("rm.recursive", "rm -rf src"),
    ("rm.recursive", "rm -rf ~/"),
    ("rm.recursive", "rm -rf /"),
    ("rm.recursive", "rm -rf ."),
    ("rm.recursive", "rm -r docs"),
    ("rm.recursive", "rm -rf ./data"),
    ("rm.recursive", "rm --recursive --force migrations"),
    // containers & clusters
    ("docker.volume.remove", "docker volume rm shop_pgdata"),
    ("docker.volume.remove", "docker volume prune -af"),
    ("docker.system-prune.volumes", "docker system prune -a --volumes -f"),
    ("docker.compose.down-volumes", "docker compose down -v"),
    ("docker.compose.down-volumes", "docker-compose down --volumes"),
    ("docker.compose.down-volumes", "docker compose -f prod.yml -p shop down -v"),
    ("docker.rm.volumes", "docker rm -vf web"),
    ("http.destructive-endpoint", "curl -XPOST https://api.heroku.com/apps/shop/actions/destroy"),
    ("git.checkout.force", "git checkout -f"),
    ("az.delete", "az group delete --name rg-prod --yes"),
    ("kubectl.delete.storage-or-namespace", "kubectl delete namespace production"),
    ("kubectl.delete.storage-or-namespace", "kubectl delete ns staging"),
    ("kubectl.delete.storage-or-namespace", "kubectl -n db delete pvc data-postgres-0"),
    ("kubectl.delete.storage-or-namespace", "kubectl delete pvc --all -n db"),
    ("kubectl.delete.workloads", "kubectl delete deployment api -n prod"),
    ("kubectl.delete.manifest", "kubectl delete -f k8s/"),
    ("kubectl.drain", "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data"),
    ("helm.uninstall", "helm uninstall shop -n prod"),
    ("terraform.destroy", "terraform destroy -auto-approve"),
    ("terraform.apply-destroy", "terraform apply -destroy -auto-approve"),
    ("terraform.destroy", "tofu destroy"),
    // hosting & cloud
    ("fly.destroy", "fly apps destroy shop -y"),
    ("fly.destroy", "flyctl volumes destroy vol_abc -y"),
    ("fly.destroy", "fly postgres destroy shop-db"),
    ("heroku.destroy", "heroku apps:destroy shop --confirm shop"),
    ("heroku.destroy", "heroku pg:reset DATABASE_URL --confirm shop"),
    ("heroku.destroy", "heroku addons:destroy heroku-redis -a shop"),
    ("vercel.remove", "vercel remove shop --yes"),
    ("vercel.project-or-domain-remove", "vercel project rm shop"),
    ("supabase.db-reset-remote", "supabase db reset --linked"),
    ("supabase.delete", "supabase projects delete abcdefghij"),
    ("neon.delete", "neonctl branches delete dev"),
    ("neon.delete", "neonctl projects delete shop"),
    ("pscale.delete", "pscale database delete shop --force"),
    ("pscale.delete", "pscale branch delete shop dev --force"),
    ("aws.s3.remove-bucket-or-recursive", "aws s3 rb s3://shop --force"),
    ("aws.s3.remove-bucket-or-recursive", "aws s3 rm s3://shop/ --recursive"),
    ("aws.delete-data-store", "aws rds delete-db-instance --db-instance-identifier shop --skip-final-snapshot"),
    ("aws.delete-data-store", "aws dynamodb delete-table --table-name orders"),
    ("aws.ec2.terminate", "aws ec2 terminate-instances --instance-ids i-0abc"),
    ("gcloud.delete", "gcloud sql instances delete shop-db --quiet"),
    ("gcloud.delete", "gcloud projects delete shop-prod"),
    ("gcloud.delete", "gcloud compute instances delete vm-1 --zone us-central1-a"),
];

const BENIGN: &[&str] = &[
    "curl https://backboard.railway.com/graphql/v2 -d '{\"query\":\"query { me { id email } }\"}'",
    "curl -s https://api.github.com/repos/acme/shop",
    "curl -fsSL https://sh.rustup.rs",
    "curl -o /tmp/x.tar.gz https://example.com/x.tar.gz",
    "curl -X POST https://api.example.com/v1/items -d '{\"name\":\"delete me\"}'",
    "curl -X PUT https://api.example.com/v1/items/1 -d '{\"deleted\":false}'",
    "curl -X DELETE http://localhost:3000/api/items/1",
    "curl -X DELETE http://127.0.0.1:8080/cache",
    "curl https://example.com/graphql -d '{\"query\":\"mutation { createUser(name: \\\"x\\\") { id } }\"}'",
    "curl https://example.com/graphql -d '{\"query\":\"query { deletedUsers { id } }\"}'",
    "curl -I https://example.com",
    "wget https://example.com/file.zip",
    "http GET api.example.com/users",
    "railway status",
    "railway logs --deployment",
    "railway up --detach",
    "railway variables",
    "railway link -p shop",
    "railway run npm start",
    "railway volume list",
    "railway api 'query { me { name } }'",
    "psql -c 'SELECT count(*) FROM users'",
    "psql -c 'SELECT drop_reason, truncate_at FROM orders'",
    "psql -c 'DELETE FROM sessions WHERE expires_at < now()'",
    "psql -c \"UPDATE users SET name = 'x' WHERE id = 1\"",
    "psql -c 'CREATE TABLE deleted_items (id int)'",
    "psql -c 'DROP INDEX IF EXISTS idx_users_email'",
    "psql -l",
    "psql --version",
    "psql -c \"INSERT INTO audit (action) VALUES ('DROP TABLE users')\"",
    "mysql -e 'SHOW DATABASES'",
    "sqlite3 app.db '.tables'",
    "sqlite3 app.db 'SELECT * FROM users LIMIT 5'",
    "redis-cli PING",
    "redis-cli GET session:1",
    "redis-cli DEL session:1",
    "redis-cli INFO keyspace",
    "mongosh --eval 'db.users.find().limit(5)'",
    "mongosh --eval 'db.users.deleteOne({ _id: 1 })'",
    "pg_restore -d shop latest.dump",
    "pg_dump shop",
    "git push",
    "git push origin main",
    "git push -u origin feature/x",
    "git pull --rebase",
    "git reset HEAD~1",
    "git reset --soft HEAD~1",
    "git clean -n",
    "git branch -d merged-branch",
    "git checkout main",
    "git checkout -b feature/delete-button",
    "git commit -m 'drop table support; delete old code'",
    "git log --oneline",
    "git stash pop",
    "gh pr create --fill",
    "gh api repos/acme/shop",
    "rm file.txt",
    "rm -f build.log",
    "rm -rf node_modules",
    "rm -rf target",
    "rm -rf dist build .next",
    "rm -rf /tmp/test-123",
    "docker ps",
    "docker compose down",
    "docker compose up -d",
    "docker volume ls",
    "docker rm -f web",
    "docker system prune -f",
    "kubectl get pods -A",
    "kubectl delete pod web-7d9f-abc",
    "kubectl apply -f k8s/",
    "kubectl rollout restart deployment/api",
    "kubectl logs -f deploy/api",
    "helm upgrade --install shop ./chart",
    "terraform plan",
    "terraform apply -auto-approve",
    "terraform plan -destroy",
    "fly deploy",
    "fly status -a shop",
    "fly volumes list",
    "heroku logs --tail -a shop",
    "heroku pg:info",
    "vercel deploy --prod",
    "vercel env ls",
    "supabase db reset",
    "supabase db push",
    "supabase start",
    "neonctl branches list",
    "pscale branch list shop",
    "aws s3 ls s3://shop",
    "aws s3 cp backup.sql s3://shop/backups/",
    "aws s3 sync ./dist s3://site --delete",
    "aws rds describe-db-instances",
    "gcloud sql instances list",
    "gcloud compute instances list",
];

fn decide(line: &str) -> (Decision, String) {
    let cwd = std::env::temp_dir();
    let inv = engine::example_invocation(line, None, &cwd).expect("example splits");
    let j = interlock::check(inv);
    let why = j.verdict.matches.iter().map(|m| m.rule.clone()).collect::<Vec<_>>().join(", ");
    (j.verdict.decision, why)
}

/// `interlock check` and the shim are two ways into one loop: on every row of the corpus the
/// real binary's `check` answer (exit 0 allow, 1 needs a human) is what the shim does with
/// the same argv and no terminal (the real program runs, or `interlock: blocked`, exit 77).
#[test]
fn check_and_the_shim_agree_on_the_corpus() {
    let s = Sandbox::new();
    let mut disagree = Vec::new();
    let rows = DESTRUCTIVE.iter().map(|(_, l)| *l).chain(BENIGN.iter().copied());
    for line in rows {
        let words = shell_words::split(line).expect("corpus rows split");
        let program = words[0].clone();
        if !s.path("shims").join(&program).exists() {
            s.shim(&program);
            s.recorder("real", &program);
        }
        let check = s.cmd(BIN, &["shims", "real"]).arg("check").arg("--").args(&words).output().expect("check");
        let before = s.runs();
        let shim = s.cmd(s.path("shims").join(&program), &["shims", "real"]).args(&words[1..]).output().expect("shim");
        let ran = s.runs() > before;
        let agree = match check.status.code() {
            Some(0) => ran && shim.status.code() == Some(0),
            Some(1) => !ran && shim.status.code() == Some(77) && stderr(&shim).starts_with("interlock: blocked"),
            _ => false,
        };
        if !agree {
            disagree.push(format!(
                "{line}\n  check: {:?} {}  shim: {:?} ran={ran} {}",
                check.status.code(),
                stdout(&check).trim(),
                shim.status.code(),
                stderr(&shim).lines().next().unwrap_or("")
            ));
        }
    }
    assert!(disagree.is_empty(), "check and the shim disagree on {} rows:\n{}", disagree.len(), disagree.join("\n"));
}

#[test]
fn destructive_calls_need_a_human() {
    let mut wrong = Vec::new();
    for (rule, line) in DESTRUCTIVE {
        let (decision, why) = decide(line);
        if decision == Decision::Allow {
            wrong.push(format!("allowed: {line}"));
        } else if !why.split(", ").any(|r| r == *rule) {
            wrong.push(format!("{line}\n  expected {rule}, matched {why}"));
        }
    }
    assert!(wrong.is_empty(), "{} destructive calls judged wrongly:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn benign_calls_pass() {
    let alarms: Vec<String> = BENIGN
        .iter()
        .filter_map(|l| {
            let (d, why) = decide(l);
            (d != Decision::Allow).then(|| format!("{l}   <- {why}"))
        })
        .collect();
    assert!(alarms.is_empty(), "{} false alarms:\n{}", alarms.len(), alarms.join("\n"));
}

fn hook_decision(command: &str) -> (Decision, String) {
    let j = interlock::check_command(command, &std::env::temp_dir());
    let why = j.verdict.matches.iter().map(|m| m.rule.clone()).collect::<Vec<_>>().join(", ");
    (j.verdict.decision, why)
}

#[test]
fn hooks_agree_with_check_on_the_corpus() {
    let missed: Vec<String> = DESTRUCTIVE
        .iter()
        .filter_map(|(rule, line)| {
            let (decision, why) = hook_decision(line);
            (decision == Decision::Allow || !why.split(", ").any(|r| r == *rule))
                .then(|| format!("{line}\n  expected {rule}, matched {why:?}"))
        })
        .collect();
    assert!(missed.is_empty(), "the hook judged {} destructive calls wrongly:\n{}", missed.len(), missed.join("\n"));
    let alarms: Vec<String> = BENIGN
        .iter()
        .filter_map(|l| {
            let (d, why) = hook_decision(l);
            (d != Decision::Allow).then(|| format!("{l}   <- {why}"))
        })
        .collect();
    assert!(alarms.is_empty(), "{} hook false alarms:\n{}", alarms.len(), alarms.join("\n"));
}

/// Whole command lines in the shapes agents send.
const SHAPES: &[(&str, bool)] = &[
    ("cd /srv/app && git status && git push --force origin main", true),
    ("set -e; npm ci; npm test", false),
    ("/usr/bin/curl -X DELETE https://api.example.com/v1/projects/9", true),
    ("command -p curl -X DELETE https://api.example.com/v1/projects/9", true),
    ("env -i PATH=/usr/bin curl -X DELETE https://api.example.com/v1/x", true),
    ("sudo -u postgres psql -c 'DROP DATABASE shop'", true),
    ("PGHOST=prod-db.internal psql -c 'TRUNCATE orders'", true),
    ("psql -h db <<'SQL'\nBEGIN;\nDELETE FROM users;\nCOMMIT;\nSQL", true),
    ("psql -h db <<'SQL'\nSELECT count(*) FROM users;\nSQL", false),
    ("psql <<< 'DROP TABLE sessions'", true),
    ("cat <<EOF | psql\nDROP TABLE x;\nEOF", true),
    ("bash -c \"redis-cli FLUSHALL\"", true),
    ("sh -c 'for id in 1 2 3; do curl -X DELETE https://api.example.com/items/$id; done'", true),
    ("for ns in a b; do kubectl delete ns $ns; done", true),
    ("echo $(railway volume delete --volume pg --yes)", true),
    ("result=`terraform destroy -auto-approve`", true),
    ("timeout 30 nice -n 10 nohup rm -rf src &", true),
    ("xargs -n1 git branch -D < branches.txt", true),
    ("watch -n 5 'redis-cli FLUSHDB'", true),
    ("eval 'docker volume rm pgdata'", true),
    ("npx -y prisma migrate reset --force", true),
    ("bundle exec rake db:drop", true),
    ("npx prisma migrate dev --name init", false),
    ("eval \"$CMD\"", true),
    ("$TOOL delete --all", true),
    ("$(which psql) -c 'SELECT 1'", true),
    // What a literal echo prints is known: the command is psql, judged as psql.
    ("$(echo psql) -c 'DROP TABLE users'", true),
    ("$(echo psql) -c 'SELECT 1'", false),
    ("railway run psql -c 'DROP TABLE users'", true),
    ("railway run npm run migrate", false),
    ("curl -s https://api.example.com/health | jq .status", false),
    ("ls -la && cat README.md | head -20", false),
    ("git log --oneline | grep 'drop table'", false),
    ("echo 'rm -rf /' > notes.txt", false),
    ("grep -r 'DROP TABLE' migrations/", false),
    ("f() { git reset --hard; }; f", true),
    ("if [ -d build ]; then rm -rf build; fi", false),
    ("psql -c \"DELETE FROM sessions WHERE expires < now()\" && echo done", false),
    (
        "curl -X POST https://backboard.railway.com/graphql/v2 -H \"Authorization: Bearer $RAILWAY_TOKEN\" -d \"{\\\"query\\\":\\\"mutation { volumeDelete(volumeId: \\\\\\\"$VOL\\\\\\\") }\\\"}\"",
        true,
    ),
    ("unterminated 'quote", true),
];

#[test]
fn shell_shapes() {
    let wrong: Vec<String> = SHAPES
        .iter()
        .filter_map(|(line, destructive)| {
            let (d, why) = hook_decision(line);
            ((d != Decision::Allow) != *destructive).then(|| format!("{line:?}: got {d:?} ({why})"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
