// Named groups of programs: a rule names a group as `program = "@http-clients"` (or inside a
// list) and applies to every member. This file is also `include!`d by build.rs, which expands
// the groups of the built-in rule files the same way the loader expands those of user files.

/// Every group, by the name rules use.
pub(crate) const GROUPS: &[(&str, &[&str])] = &[
    // The programs the HTTP analyzer reads as a request (curl's, wget's and HTTPie's grammars).
    ("@http-clients", &["curl", "wget", "http", "https", "xh", "xhs"]),
    // Command-line clients of hosting, cloud and secrets providers whose delete verbs
    // destroy what they name (rule `provider.delete`); providers with rules of their own
    // (aws, gcloud, az, fly, heroku, railway, vercel, …) are not listed.
    (
        "@provider-clis",
        &[
            "atlas",
            "mongocli",
            "oci",
            "scw",
            "doppler",
            "op",
            "bw",
            "civo",
            "koyeb",
            "render",
            "upstash",
            "ibmcloud",
            "exo",
            "linode-cli",
            "vultr-cli",
            "dokku",
            "kamal",
            "caprover",
            "infisical",
            "northflank",
            "porter",
            "qovery",
            "aiven",
            "avn",
            "confluent",
            "cf",
            "ovhcloud",
            "akamai",
            "tccli",
            "aliyun",
            "cloudflared",
            "amplify",
            "eb",
            "appwrite",
            "databricks",
            "snow",
            "zeabur",
            "nhost",
        ],
    ),
];

/// The members of group `name` (`@…`); None for an unknown group or a plain program name.
pub(crate) fn members(name: &str) -> Option<&'static [&'static str]> {
    GROUPS.iter().find(|(group, _)| *group == name).map(|(_, members)| *members)
}

/// `names` with each group replaced by its members, in order, without duplicates; Err names
/// an unknown group.
pub(crate) fn expand(names: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let expanded: Vec<String> = match (name.strip_prefix('@'), members(name)) {
            (Some(_), Some(list)) => list.iter().map(|m| m.to_string()).collect(),
            (Some(_), None) => return Err(name.clone()),
            (None, _) => vec![name.clone()],
        };
        for n in expanded {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}
