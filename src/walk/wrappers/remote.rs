//! Remote hosts and containers: `ssh`, `ansible`, `kubectl exec`, `docker exec|run`,
//! `compose exec|run`, `fly ssh console`, `heroku run`, `railway run|ssh`, `gcloud … ssh`, `aws ssm`.
//! No shim runs on the far side: what these run is seen only here.

use super::*;

/// ssh(1): `ssh [OPTIONS] DESTINATION [COMMAND [ARG…]]`. The remote shell runs the command
/// words joined by spaces.
pub(super) fn ssh(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
    let rest = &args[p.rest..];
    let Some(dest) = rest.first() else { return Step::Not };
    let mut cmd = &rest[1..];
    if cmd.first().is_some_and(|c| c == "--") {
        cmd = &cmd[1..];
    }
    if cmd.is_empty() {
        // An interactive login (or `-N` forwarding): stdin is what runs, if anything.
        return Step::Not;
    }
    let host = dest.rsplit('@').next().unwrap_or(dest);
    remote_shell(cmd, Some(host), format!("runs on the remote host `{host}` over ssh"))
}

pub(super) fn ansible(args: &[String], spec: &ProgramSpec) -> Step {
    let (p, operands) = spec.at(&[]).parse_permuted(args);
    let module = p.value(&["-m", "--module-name"]).unwrap_or("command");
    let module = module.rsplit('.').next().unwrap_or(module); // ansible.builtin.shell
    let (Some(hosts), Some(cmd)) = (operands.first(), p.value(&["-a", "--args"])) else { return Step::Not };
    if !matches!(module, "shell" | "command" | "raw") {
        return Step::Not;
    }
    let words = vec![cmd.to_string()];
    remote_shell(&words, Some(hosts), format!("runs on the hosts `{hosts}` through ansible"))
}

#[test]
fn ansible_ad_hoc() {
    let shell = |s: &str| first(s).body;
    assert_eq!(
        shell("ansible all -i prod -m shell -a 'rm -rf /var/lib/mysql'"),
        Body::Shell("rm -rf /var/lib/mysql".into())
    );
    assert_eq!(shell("ansible db -a 'dropdb shop' --become"), Body::Shell("dropdb shop".into()));
    assert_eq!(shell("ansible web -m ansible.builtin.raw -a 'reboot'"), Body::Shell("reboot".into()));
    assert_eq!(step(&words("ansible all -m ping")), Step::Not);
    assert_eq!(step(&words("ansible all -m copy -a 'src=a dest=b'")), Step::Not);
}

/// `kubectl exec POD [-c C] -- COMMAND…` (and the deprecated form without `--`);
/// `kubectl run NAME --image=I -- COMMAND…`; `kubectl debug … -- COMMAND…`.
pub(super) fn kubectl(args: &[String], spec: &ProgramSpec, registry: &Registry) -> Step {
    let cut = args.iter().position(|a| a == "--");
    let (p, operands) = spec.at(&[]).parse_permuted(&args[..cut.unwrap_or(args.len())]);
    let Some(sub) = operands.first().map(String::as_str) else { return Step::Not };
    if let Some(path) = p.value(&["--raw"]) {
        return raw_request(sub, path);
    }
    if !matches!(sub, "exec" | "run" | "debug") {
        return Step::Not;
    }
    let mut cmd: Vec<String> = match cut {
        Some(c) => args[c + 1..].to_vec(),
        None if sub == "exec" => operands.get(2..).unwrap_or_default().to_vec(),
        None => Vec::new(),
    };
    // `kubectl run --image=curlimages/curl -- -X DELETE …`: without `--command`, the words
    // are the arguments of the image's entrypoint (the images docker's table knows).
    if sub == "run"
        && !p.has(&["--command"])
        && let Some(image) = p.value(&["--image"])
        && let Some(entry) = registry.with_spec("docker", |d| d.and_then(|d| image_entrypoint(image, d)))
    {
        cmd = entry.into_iter().chain(cmd).collect();
    }
    if cmd.is_empty() {
        return Step::Not;
    }
    let pod = operands.get(1).map(String::as_str).unwrap_or("");
    let context = p.value(&["--context", "--cluster"]);
    let namespace = p.value(&["-n", "--namespace"]);
    let target = context.or(namespace).or(Some(pod)).filter(|t| !t.is_empty());
    let place = [context, namespace, Some(pod)].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    runs(Inner::argv(cmd).remote(target, format!("runs inside the Kubernetes pod `{}`", place.join("/"))))
}

/// `kubectl delete --raw /api/v1/namespaces/prod`: the REST call, judged as the kubectl
/// command that sends it (`kubectl delete namespaces prod`; a collection path deletes every
/// object in it, `--all`). Other verbs with `--raw` read, or create from a file.
fn raw_request(verb: &str, path: &str) -> Step {
    if verb != "delete" {
        return Step::Not;
    }
    let path = path.split('?').next().unwrap_or(path);
    let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    // `/api/v1/…` (core) or `/apis/GROUP/VERSION/…`.
    let rest = match segs.as_slice() {
        ["api", _version, rest @ ..] => rest,
        ["apis", _group, _version, rest @ ..] => rest,
        _ => {
            return Step::Unknown(format!(
                "`kubectl delete --raw {path}` sends a DELETE to an API path interlock cannot read"
            ));
        }
    };
    let mut argv: Vec<String> = vec!["kubectl".into(), "delete".into()];
    match rest {
        ["namespaces", ns, kind, tail @ ..] => {
            argv.push((*kind).into());
            match tail.first() {
                Some(name) => argv.push((*name).into()),
                None => argv.push("--all".into()),
            }
            argv.extend(["-n".into(), (*ns).into()]);
        }
        [kind, tail @ ..] => {
            argv.push((*kind).into());
            argv.push(tail.first().map_or("--all".into(), |n| (*n).to_string()));
        }
        [] => return Step::Not,
    }
    let mut inner = Inner::argv(argv);
    inner.note = Some(format!("`kubectl delete --raw {path}` sends this DELETE to the API server"));
    runs(inner)
}

pub(super) fn docker(args: &[String], spec: &ProgramSpec) -> Step {
    let g = spec.at(&[]).parse(args);
    let context = g.value(&["-c", "--context", "-H", "--host"]).map(str::to_string);
    let rest = &args[g.rest..];
    let mut step = match rest.first().map(String::as_str) {
        Some("exec") => container_command(&rest[1..], &spec.at(&["exec"]), "container"),
        Some("run") => docker_run(&rest[1..], spec, &["run"]),
        Some("container") if matches!(rest.get(1).map(String::as_str), Some("run")) => {
            docker_run(&rest[2..], spec, &["run"])
        }
        // `docker container exec` takes `docker exec`'s options.
        Some("container") if matches!(rest.get(1).map(String::as_str), Some("exec")) => {
            container_command(&rest[2..], &spec.at(&["exec"]), "container")
        }
        Some("compose") => compose_at(&rest[1..], spec, "compose"),
        _ => Step::Not,
    };
    if let (Some(ctx), Step::Runs(inner)) = (context, &mut step) {
        for i in inner {
            i.target = Some(ctx.clone());
        }
    }
    step
}

/// `docker-compose exec|run [OPTIONS] SERVICE COMMAND…`.
pub(super) fn compose(args: &[String], spec: &ProgramSpec) -> Step {
    compose_at(args, spec, "")
}

/// Compose's `exec|run` at `prefix` (`"compose"` inside `docker`, `""` for `docker-compose`).
fn compose_at(args: &[String], spec: &ProgramSpec, prefix: &str) -> Step {
    let path: Vec<&str> = prefix.split_whitespace().collect();
    let g = spec.at(&path).parse(args);
    let rest = &args[g.rest..];
    match rest.first().map(String::as_str) {
        Some(sub @ ("exec" | "run")) => {
            let at: Vec<&str> = path.iter().copied().chain([sub]).collect();
            container_command(&rest[1..], &spec.at(&at), "compose service")
        }
        _ => Step::Not,
    }
}

/// `docker run [OPTIONS] IMAGE [ARG…]`: the image's entrypoint with the arguments —
/// `--entrypoint X`, or a client image's own (`curlimages/curl`, `amazon/aws-cli`, the
/// docker table's `entrypoints`) — else the arguments as the command (`postgres psql …`).
fn docker_run(args: &[String], spec: &ProgramSpec, at: &[&str]) -> Step {
    let p = spec.at(at).parse(args);
    let rest = &args[p.rest..];
    let Some((image, cmd)) = rest.split_first() else { return Step::Not };
    let entrypoint = match p.value(&["--entrypoint"]) {
        Some(e) => shell_words::split(e).unwrap_or_else(|_| vec![e.to_string()]),
        None => image_entrypoint(image, spec).unwrap_or_default(),
    };
    let argv: Vec<String> = entrypoint.into_iter().chain(cmd.iter().cloned()).collect();
    if argv.is_empty() {
        return Step::Not;
    }
    runs(Inner::argv(argv).remote(Some(image), format!("runs inside a new container from the image `{image}`")))
}

/// The entrypoint of a known client image: the repository without registry, `library/`,
/// tag or digest (`docker.io/curlimages/curl:8.5.0` → `curlimages/curl`).
pub(super) fn image_entrypoint(image: &str, spec: &ProgramSpec) -> Option<Vec<String>> {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    let mut parts: Vec<&str> = repo.split('/').collect();
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") {
        parts.remove(0);
    }
    spec.entrypoints.get(&parts.join("/")).cloned()
}

pub(super) fn container_command(args: &[String], opts: &impl Grammar, what: &str) -> Step {
    let p = opts.parse(args);
    let rest = &args[p.rest..];
    match rest {
        [name, cmd @ ..] if !cmd.is_empty() => {
            runs(Inner::argv(cmd.to_vec()).remote(Some(name), format!("runs inside the {what} `{name}`")))
        }
        _ => Step::Not,
    }
}

pub(super) fn fly(args: &[String], spec: &ProgramSpec) -> Step {
    let (p, operands) = spec.at(&[]).parse_permuted(args);
    let console = matches!(
        operands.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
        ["ssh", "console", ..] | ["console", ..]
    );
    match (console, p.value(&["-C", "--command"])) {
        (true, Some(cmd)) => {
            let app = p.value(&["-a", "--app"]);
            runs(
                Inner::shell(cmd.to_string())
                    .remote(app, format!("runs on a Fly.io machine of `{}`", app.unwrap_or("the app"))),
            )
        }
        _ => Step::Not,
    }
}

pub(super) fn heroku(args: &[String], spec: &ProgramSpec) -> Step {
    match args.first().map(String::as_str) {
        Some("run" | "run:detached") => {}
        _ => return Step::Not,
    }
    let (p, operands) = spec.at(&["run"]).parse_permuted(&args[1..]);
    if operands.is_empty() {
        return Step::Not;
    }
    let app = p.value(&["-a", "--app"]);
    remote_shell(&operands, app, format!("runs on a Heroku dyno of `{}`", app.unwrap_or("the app")))
}

pub(super) fn railway(args: &[String], spec: &ProgramSpec) -> Step {
    let g = spec.at(&[]).parse(args);
    let rest = &args[g.rest..];
    match rest.first().map(String::as_str) {
        Some("run") => {
            let p = spec.at(&["run"]).parse(&rest[1..]);
            let cmd = &rest[1 + p.rest..];
            if cmd.is_empty() {
                return Step::Not;
            }
            let env = p.value(&["-e", "--environment"]).or(g.value(&["-e", "--environment"]));
            let mut inner = Inner::argv(cmd.to_vec());
            inner.note = Some(
                "runs under `railway run`, with the project's variables (database URLs, tokens) — often production credentials"
                    .into(),
            );
            inner.target = env.map(str::to_string);
            runs(inner)
        }
        Some("ssh") => {
            let (p, operands) = spec.at(&["ssh"]).parse_permuted(&rest[1..]);
            if operands.is_empty() {
                return Step::Not;
            }
            let env = p.value(&["-e", "--environment"]).or(g.value(&["-e", "--environment"]));
            let service = p.value(&["-s", "--service"]).unwrap_or("the linked service");
            remote_shell(&operands, env, format!("runs inside the Railway service `{service}`"))
        }
        _ => Step::Not,
    }
}

/// `gcloud compute ssh [USER@]INSTANCE --command=CMD [-- SSH_ARGS…]`.
pub(super) fn gcloud(args: &[String], spec: &ProgramSpec, registry: &Registry) -> Step {
    let cut = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (p, operands) = spec.at(&["compute", "ssh"]).parse_permuted(&args[..cut]);
    let words: Vec<&str> = operands.iter().map(String::as_str).collect();
    let instance = match words.as_slice() {
        ["compute", "ssh", instance, ..] | ["beta" | "alpha", "compute", "ssh", instance, ..] => *instance,
        _ => return Step::Not,
    };
    let host = instance.rsplit('@').next().unwrap_or(instance);
    let note = format!("runs on the Compute Engine instance `{host}` over ssh");
    if let Some(cmd) = p.value(&["--command"]) {
        return runs(Inner::shell(cmd.to_string()).remote(Some(host), note));
    }
    // After `--`, ssh's own arguments: options, then a remote command.
    let after = args.get(cut + 1..).unwrap_or_default();
    read_as(registry, "ssh", |ssh| {
        let q = ssh.at(&[]).parse(after);
        match after.get(q.rest..) {
            Some(cmd) if !cmd.is_empty() => remote_shell(cmd, Some(host), note),
            _ => Step::Not,
        }
    })
}

/// `aws ssm send-command --parameters commands=[…]` (shorthand or JSON, or `file://`) and
/// `aws ecs execute-command --command CMD`.
pub(super) fn aws(args: &[String], spec: &ProgramSpec) -> Step {
    let (p, operands) = spec.at(&[]).parse_permuted(args);
    let words: Vec<&str> = operands.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["ssm", "send-command", ..] => {
            let target = p.value(&["--instance-ids", "--targets"]);
            let note = format!("runs on the EC2 instances `{}` through SSM", target.unwrap_or("targeted"));
            let Some(params) = p.value(&["--parameters"]) else { return Step::Not };
            match ssm_commands(params) {
                Some(cmds) => {
                    Step::Runs(cmds.into_iter().map(|c| Inner::shell(c).remote(target, note.clone())).collect())
                }
                None => Step::Unknown(
                    "the commands `aws ssm send-command` runs are not written out on its command line".into(),
                ),
            }
        }
        ["ecs", "execute-command", ..] => {
            let Some(cmd) = p.value(&["--command"]) else { return Step::Not };
            let target = p.value(&["--cluster"]);
            runs(
                Inner::shell(cmd.to_string())
                    .remote(target, format!("runs inside an ECS task of `{}`", target.unwrap_or("the cluster"))),
            )
        }
        _ => Step::Not,
    }
}

/// The `commands` of SSM parameters: JSON `{"commands":["…"]}` or shorthand
/// `commands=["a","b"]` / `commands=a`. `None` for `file://` and anything unreadable.
pub(super) fn ssm_commands(params: &str) -> Option<Vec<String>> {
    let params = params.trim();
    if params.starts_with("{") {
        let v: serde_json::Value = serde_json::from_str(params).ok()?;
        let cmds = v.get("commands")?;
        return match cmds {
            serde_json::Value::Array(a) => a.iter().map(|c| c.as_str().map(str::to_string)).collect(),
            serde_json::Value::String(s) => Some(vec![s.clone()]),
            _ => None,
        };
    }
    let value = params.strip_prefix("commands=")?;
    if value.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(value) {
            return Some(list);
        }
        let inner = value.trim_start_matches('[').trim_end_matches(']');
        return Some(inner.split(',').map(|c| c.trim().trim_matches('"').to_string()).collect());
    }
    Some(vec![value.trim_matches('"').to_string()])
}

#[test]
fn remote_exec() {
    let one = |s: &str| (first(s).body, first(s).target.clone());
    let drop = Body::Argv(words("psql -c 'DROP DATABASE shop'"));
    let drop_sh = Body::Shell("psql -c 'DROP DATABASE shop'".into());
    assert_eq!(one("kubectl exec -it postgres-0 -- psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(
        one("kubectl --context prod -n db exec postgres-0 -c pg -- psql -c 'DROP DATABASE shop'"),
        (drop.clone(), Some("prod".into()))
    );
    // The deprecated form without `--`: kubectl reads flags among the operands, as here.
    assert_eq!(one("kubectl exec postgres-0 dropdb shop").0, Body::Argv(words("dropdb shop")));
    assert_eq!(one("kubectl run tmp --rm -i --image=postgres -- psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(
        one("kubectl delete --raw /api/v1/namespaces/prod").0,
        Body::Argv(words("kubectl delete namespaces prod"))
    );
    assert_eq!(
        one("kubectl delete --raw=/apis/apps/v1/namespaces/shop/deployments/web").0,
        Body::Argv(words("kubectl delete deployments web -n shop"))
    );
    assert_eq!(
        one("kubectl delete --raw /api/v1/namespaces/shop/persistentvolumeclaims").0,
        Body::Argv(words("kubectl delete persistentvolumeclaims --all -n shop"))
    );
    assert_eq!(
        one("kubectl run tmp --rm -i --restart=Never --image=curlimages/curl -- -X DELETE https://x").0,
        Body::Argv(words("curl -X DELETE https://x"))
    );
    assert_eq!(one("docker exec -it -u postgres db psql -c 'DROP DATABASE shop'"), (drop.clone(), Some("db".into())));
    assert_eq!(one("docker --context prod exec db psql -c 'DROP DATABASE shop'").1, Some("prod".into()));
    assert_eq!(one("docker container exec db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker run --rm -e PGPASSWORD=x postgres:16 psql -c 'DROP DATABASE shop'").0, drop);
    let curl = |s: &str| Body::Argv(words(s));
    assert_eq!(
        one("docker run --rm curlimages/curl -X DELETE https://api.example.com/v1/x").0,
        curl("curl -X DELETE https://api.example.com/v1/x")
    );
    assert_eq!(one("podman run docker.io/curlimages/curl:8.5.0 -sS https://x").0, curl("curl -sS https://x"));
    assert_eq!(
        one("docker run --rm --entrypoint curl alpine:3 -X DELETE https://x").0,
        curl("curl -X DELETE https://x")
    );
    assert_eq!(
        one("docker container run --rm amazon/aws-cli s3 rb s3://b --force").0,
        curl("aws s3 rb s3://b --force")
    );
    assert_eq!(one("docker run --rm --entrypoint psql postgres:16 -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker compose -f prod.yml exec -T db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker-compose run --rm db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("podman exec db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("ssh prod-db \"psql -c 'DROP DATABASE shop'\""), (drop_sh.clone(), Some("prod-db".into())));
    assert_eq!(one("ssh -p 2222 -i key deploy@prod-db -- psql -c \"'DROP DATABASE shop'\"").1, Some("prod-db".into()));
    assert_eq!(
        one("fly ssh console -a shop-prod -C \"psql -c 'DROP DATABASE shop'\""),
        (drop_sh.clone(), Some("shop-prod".into()))
    );
    assert_eq!(one("flyctl console --command \"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(one("heroku run rails db:drop -a shop").0, Body::Shell("rails db:drop".into()));
    assert_eq!(
        one("railway ssh -s db -- psql -c \"'DROP DATABASE shop'\"").0,
        Body::Shell("psql -c 'DROP DATABASE shop'".into())
    );

    assert_eq!(
        bodies("ssh db psql -c 'DROP DATABASE shop'"),
        [Body::Shell("psql -c DROP DATABASE shop".into()), Body::Shell("psql -c 'DROP DATABASE shop'".into())]
    );
    assert_eq!(
        one("railway run -e production psql -c 'DROP DATABASE shop'"),
        (drop.clone(), Some("production".into()))
    );
    assert_eq!(one("gcloud compute ssh db-1 --zone us-east1-b --command \"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(one("gcloud compute ssh db-1 --command=\"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(
        one("aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=[\"psql -c \\\"DROP DATABASE shop\\\"\"]'").0,
        Body::Shell("psql -c \"DROP DATABASE shop\"".into())
    );
    assert_eq!(
        one("aws ssm send-command --parameters '{\"commands\":[\"rm -rf /var/lib/postgresql\"]}'").0,
        Body::Shell("rm -rf /var/lib/postgresql".into())
    );
    assert_eq!(
        one("aws ecs execute-command --cluster prod --task t --command 'rm -rf /data' --interactive").1,
        Some("prod".into())
    );
    assert!(matches!(step(&words("aws ssm send-command --parameters file://p.json")), Step::Unknown(_)));
    for benign in [
        "ssh prod-db",
        "kubectl get pods",
        "kubectl exec -it web-1",
        "docker ps",
        "heroku logs -a shop",
        "fly ssh console",
    ] {
        assert_eq!(step(&words(benign)), Step::Not, "{benign}");
    }
}
