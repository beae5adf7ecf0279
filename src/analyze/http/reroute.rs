//! Where a request to a local-looking address really goes. `localhost:8080` is a local dev
//! server unless something sends it elsewhere: the client's own rerouting (curl's
//! `--resolve`, `--connect-to`, a proxy), a tunnel opened earlier in the same command string
//! (`kubectl port-forward`, `ssh -L`, `fly proxy`, `cloud-sql-proxy`, `gcloud … start-iap-tunnel`,
//! `aws ssm start-session` port forwarding, `kubectl proxy`), or — at run time, on Linux — a
//! tunnel program already listening on that loopback port. Such a request is remote for
//! every rule that spares local servers.

use crate::facts::{HttpRequest, is_local_host, normal_host};
use crate::invocation::{Invocation, program_name};

/// The programs whose listening socket on a loopback port is a tunnel to somewhere else
/// (found through `/proc`: Linux only).
#[cfg(target_os = "linux")]
const TUNNEL_PROGRAMS: &[&str] = &[
    "kubectl",
    "oc",
    "ssh",
    "fly",
    "flyctl",
    "cloud-sql-proxy",
    "cloud_sql_proxy",
    "alloydb-auth-proxy",
    "gcloud",
    "session-manager-plugin",
    "aws",
    "az",
    "tsh",
    "boundary",
    "cloudflared",
    "ngrok",
    "socat",
];

/// How a client was told to route its requests (curl's options; other clients none).
#[derive(Debug, Default, Clone)]
pub(crate) struct Routing {
    /// `--resolve HOST:PORT:ADDR[,ADDR…]`.
    pub resolve: Vec<String>,
    /// `--connect-to HOST:PORT:CONNECT-HOST:CONNECT-PORT`.
    pub connect_to: Vec<String>,
    /// `-x/--proxy`, `--preproxy`.
    pub proxy: Option<String>,
    /// `--noproxy LIST`.
    pub noproxy: Option<String>,
}

/// The remote a request to a local host really reaches, if anything reroutes it.
pub(crate) fn via(req: &HttpRequest, inv: &Invocation, routing: &Routing) -> Option<String> {
    let host = normal_host(req.host.as_deref()?);
    if !is_local_host(&host) || host.starts_with("unix:") {
        return None;
    }
    let scheme = req.url.split("://").next().unwrap_or("http").to_ascii_lowercase();
    let port = req.port.unwrap_or(if scheme == "https" { 443 } else { 80 });
    // The `/proc` scan costs a walk over every process's descriptors: only for a request
    // that could change something (a read sent to a local server is left alone).
    let reads_only = matches!(req.method.as_str(), "GET" | "HEAD" | "OPTIONS" | "")
        && req.body.is_none()
        && !req.query.as_deref().is_some_and(|q| q.contains("query="));
    resolved(&host, port, routing)
        .or_else(|| proxied(&host, &scheme, inv, routing))
        .or_else(|| inv.earlier.iter().find_map(|argv| tunnel(argv).filter(|(p, _)| *p == port)).map(|(_, to)| to))
        .or_else(|| if reads_only { None } else { listener(port) })
}

/// `--resolve` and `--connect-to` entries that send `host:port` to a non-local address.
fn resolved(host: &str, port: u16, routing: &Routing) -> Option<String> {
    let matches = |h: &str, p: &str| {
        (h.is_empty() || h == "*" || normal_host(h) == host) && (p.is_empty() || p.parse::<u16>() == Ok(port))
    };
    for r in &routing.resolve {
        let r = r.trim_start_matches('+');
        let mut parts = r.splitn(3, ':');
        let (Some(h), Some(p), Some(addrs)) = (parts.next(), parts.next(), parts.next()) else { continue };
        if matches(h, p) {
            let addr = addrs.split(',').next().unwrap_or("").trim_matches(['[', ']']);
            if !addr.is_empty() && !is_local_host(&normal_host(addr)) {
                return Some(format!("{addr} (curl --resolve)"));
            }
        }
    }
    for c in &routing.connect_to {
        let parts: Vec<&str> = c.splitn(4, ':').collect();
        if let [h, p, to, ..] = parts.as_slice()
            && matches(h, p)
            && !to.is_empty()
            && !is_local_host(&normal_host(to))
        {
            return Some(format!("{to} (curl --connect-to)"));
        }
    }
    None
}

/// A proxy on another host that the request goes through: curl's `-x`, or the proxy
/// variables, unless `--noproxy`/`NO_PROXY` exempts the host.
fn proxied(host: &str, scheme: &str, inv: &Invocation, routing: &Routing) -> Option<String> {
    let env = |names: &[&str]| names.iter().find_map(|n| inv.env.get(n).filter(|v| !v.is_empty()));
    let exempt = routing.noproxy.clone().or_else(|| env(&["NO_PROXY", "no_proxy"])).unwrap_or_default();
    if exempt.split(',').map(str::trim).any(|e| e == "*" || normal_host(e.trim_start_matches('.')) == host) {
        return None;
    }
    let proxy = routing.proxy.clone().or_else(|| match scheme {
        "https" => env(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]),
        _ => env(&["http_proxy", "ALL_PROXY", "all_proxy"]),
    })?;
    let with_scheme = if proxy.contains("://") { proxy.clone() } else { format!("http://{proxy}") };
    let proxy_host = url::Url::parse(&with_scheme).ok()?.host_str()?.to_string();
    (!is_local_host(&normal_host(&proxy_host))).then(|| format!("{proxy_host} (a proxy)"))
}

/// The loopback port a command opens as a tunnel, and where it leads.
pub(crate) fn tunnel(argv: &[String]) -> Option<(u16, String)> {
    let program = program_name(std::ffi::OsStr::new(argv.first()?));
    let args = &argv[1..];
    let operands: Vec<&str> = args.iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let value = |names: &[&str]| {
        args.iter().enumerate().find_map(|(i, a)| {
            names.iter().find_map(|n| {
                a.strip_prefix(&format!("{n}="))
                    .map(str::to_string)
                    .or_else(|| (a == n).then(|| args.get(i + 1).cloned()).flatten())
            })
        })
    };
    let local_of = |spec: &str| spec.split(':').next().and_then(|p| p.parse::<u16>().ok());
    match program.as_str() {
        "kubectl" | "oc" => match operands.iter().position(|w| *w == "port-forward" || *w == "proxy")? {
            i if operands[i] == "proxy" => {
                let port = value(&["--port", "-p"]).and_then(|p| p.parse().ok()).unwrap_or(8001);
                Some((port, "the Kubernetes API server (kubectl proxy)".into()))
            }
            i => {
                let target = operands.get(i + 1)?;
                operands[i + 2..]
                    .iter()
                    .find_map(|spec| local_of(spec))
                    .map(|p| (p, format!("`{target}` in the cluster (kubectl port-forward)")))
            }
        },
        "ssh" => {
            let mut words = args.iter();
            while let Some(a) = words.next() {
                if a.starts_with("--") || !a.starts_with('-') {
                    continue;
                }
                let Some(at) = a.find('L') else { continue };
                let spec = if at + 1 == a.len() { words.next()?.clone() } else { a[at + 1..].to_string() };
                let fields: Vec<&str> = spec.split(':').collect();
                let (port, to) = match fields.as_slice() {
                    [port, host, hostport] => (port, format!("{host}:{hostport}")),
                    [_, port, host, hostport] => (port, format!("{host}:{hostport}")),
                    _ => continue,
                };
                if let Ok(port) = port.parse::<u16>() {
                    return Some((port, format!("{to} (ssh -L)")));
                }
            }
            None
        }
        "fly" | "flyctl" => {
            let i = operands.iter().position(|w| *w == "proxy")?;
            let port = local_of(operands.get(i + 1)?)?;
            Some((port, "a Fly.io app (fly proxy)".into()))
        }
        "cloud-sql-proxy" | "alloydb-auth-proxy" => {
            let port = value(&["--port", "-p"]).and_then(|p| p.parse().ok()).unwrap_or(5432);
            Some((port, format!("the Cloud SQL instance `{}` ({program})", operands.first().unwrap_or(&"?"))))
        }
        "cloud_sql_proxy" => {
            let instances = value(&["-instances", "--instances"])?;
            let port = instances.rsplit("tcp:").next()?.split([',', ':']).next()?.parse().ok()?;
            Some((port, format!("the Cloud SQL instance `{instances}` (cloud_sql_proxy)")))
        }
        "gcloud" if operands.contains(&"start-iap-tunnel") => {
            let local = value(&["--local-host-port"])?;
            let port = local.rsplit(':').next()?.parse().ok()?;
            Some((port, "a Compute Engine instance (gcloud start-iap-tunnel)".into()))
        }
        "aws" if operands.contains(&"start-session") => {
            let params = value(&["--parameters"])?;
            let after = params.split("localPortNumber").nth(1)?;
            let digits: String =
                after.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
            Some((digits.parse().ok()?, "an AWS host (ssm start-session port forwarding)".into()))
        }
        _ => None,
    }
}

/// At run time: the tunnel program listening on loopback `port`, found through `/proc`
/// (the socket's inode in `/proc/net/tcp*`, then the process holding it). Linux only.
#[cfg(target_os = "linux")]
fn listener(port: u16) -> Option<String> {
    let inodes: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .flat_map(|table| {
            table
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let f: Vec<&str> = line.split_whitespace().collect();
                    let local_port = f.get(1)?.rsplit(':').next()?;
                    (u16::from_str_radix(local_port, 16).ok()? == port && f.get(3)? == &"0A")
                        .then(|| f.get(9).map(|s| s.to_string()))
                        .flatten()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if inodes.is_empty() {
        return None;
    }
    let wanted: Vec<String> = inodes.iter().map(|i| format!("socket:[{i}]")).collect();
    for proc in std::fs::read_dir("/proc").ok()?.flatten() {
        let pid = proc.file_name();
        if !pid.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(proc.path().join("fd")) else { continue };
        let holds = fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| wanted.iter().any(|w| l.as_os_str() == w.as_str())));
        if !holds {
            continue;
        }
        let comm = std::fs::read_to_string(proc.path().join("comm")).unwrap_or_default();
        let comm = comm.trim();
        return TUNNEL_PROGRAMS
            .contains(&comm)
            .then(|| format!("`{comm}` (pid {}), a tunnel listening on port {port}", pid.to_string_lossy()));
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn listener(_port: u16) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invocation::{Env, Stdin};

    fn words(s: &str) -> Vec<String> {
        shell_words::split(s).unwrap()
    }

    fn via_of(url: &str, earlier: &[&str], routing: Routing, env: &[(&str, &str)]) -> Option<String> {
        let mut inv =
            Invocation::new(vec!["curl".into()], "/".into(), Env::from_pairs(env.iter().copied()), Stdin::Empty);
        inv.earlier = earlier.iter().map(|e| words(e)).collect();
        via(&super::super::parse_url(url), &inv, &routing)
    }

    #[test]
    fn tunnels_opened_earlier() {
        let t = |s: &str| tunnel(&words(s)).map(|(p, _)| p);
        assert_eq!(t("kubectl -n prod port-forward svc/api 8080:80"), Some(8080));
        assert_eq!(t("kubectl port-forward pod/db 5432"), Some(5432));
        assert_eq!(t("kubectl proxy --port=8011"), Some(8011));
        assert_eq!(t("ssh -fN -L 6543:db.internal:5432 bastion"), Some(6543));
        assert_eq!(t("ssh -fNL127.0.0.1:6543:db:5432 bastion"), Some(6543));
        assert_eq!(t("fly proxy 15432:5432 -a shop-db"), Some(15432));
        assert_eq!(t("cloud-sql-proxy --port 6000 proj:eu:db"), Some(6000));
        assert_eq!(t("cloud_sql_proxy -instances=proj:eu:db=tcp:5433"), Some(5433));
        assert_eq!(t("gcloud compute start-iap-tunnel vm 22 --local-host-port=localhost:2222"), Some(2222));
        assert_eq!(
            t(
                r#"aws ssm start-session --target i-1 --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["5432"],"localPortNumber":["6543"]}'"#
            ),
            Some(6543)
        );
        assert_eq!(t("kubectl get pods"), None);
        assert_eq!(t("ssh host ls"), None);
    }

    #[test]
    fn what_sends_localhost_elsewhere() {
        let none = Routing::default();
        assert!(
            via_of("http://localhost:8080/x", &["kubectl port-forward svc/api 8080:80"], none.clone(), &[]).is_some()
        );
        assert!(
            via_of("http://localhost:9090/x", &["kubectl port-forward svc/api 8080:80"], none.clone(), &[]).is_none()
        );
        let resolve = Routing { resolve: vec!["localhost:443:10.0.0.5".into()], ..Routing::default() };
        assert!(via_of("https://localhost/v1/users/1", &[], resolve, &[]).is_some());
        let loopback = Routing { resolve: vec!["localhost:443:127.0.0.1".into()], ..Routing::default() };
        assert!(via_of("https://localhost/x", &[], loopback, &[]).is_none());
        let connect = Routing { connect_to: vec!["::api.internal:443".into()], ..Routing::default() };
        assert!(via_of("https://localhost/x", &[], connect, &[]).is_some());
        let proxy = Routing { proxy: Some("http://proxy.corp:3128".into()), ..Routing::default() };
        assert!(via_of("http://localhost:8080/x", &[], proxy.clone(), &[]).is_some());
        let exempt = Routing { noproxy: Some("localhost,127.0.0.1".into()), ..proxy };
        assert!(via_of("http://localhost:8080/x", &[], exempt, &[]).is_none());
        assert!(via_of("http://localhost:8080/x", &[], none.clone(), &[("http_proxy", "proxy.corp:3128")]).is_some());
        assert!(
            via_of(
                "http://localhost:8080/x",
                &[],
                none.clone(),
                &[("http_proxy", "proxy.corp:3128"), ("NO_PROXY", "localhost")]
            )
            .is_none()
        );
        assert!(via_of("https://api.example.com/x", &["kubectl port-forward svc/api 443"], none, &[]).is_none());
    }
}
