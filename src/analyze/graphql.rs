//! GraphQL: from a request body (or a `railway api` argument) to the root fields each
//! operation touches, aliases resolved and arguments flattened.
//!
//! The body is parsed as JSON first (one object or a batched array, any escapes), then each
//! document with apollo-parser, which is error tolerant. Never trusts raw bytes: an escaped
//! `volume\u0044elete` is the same field as `volumeDelete`. A body that fails to parse but
//! mentions `mutation` is reported as unknown, never as safe.

use std::collections::HashMap;

use apollo_parser::cst::{self, CstNode};
use serde_json::Value as Json;

use crate::facts::{GraphqlField, OperationKind};

/// What a body held.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub fields: Vec<GraphqlField>,
    /// Why part of the body could not be understood, when it could hide a mutation.
    pub unknown: Vec<String>,
    /// Whether the body was GraphQL at all.
    pub is_graphql: bool,
}

/// Read a request body that may carry GraphQL. `path_says_graphql` lets a raw (non-JSON)
/// body be taken as a document, as `application/graphql` endpoints accept.
pub(crate) fn from_body(body: &str, path_says_graphql: bool, host: Option<&str>) -> Parsed {
    let mut parsed = Parsed::default();
    match serde_json::from_str::<Json>(body.trim()) {
        Ok(Json::Array(items)) => {
            for item in &items {
                from_request_object(item, host, &mut parsed);
            }
        }
        Ok(obj @ Json::Object(_)) => from_request_object(&obj, host, &mut parsed),
        Ok(_) => {}
        Err(_) if path_says_graphql && looks_like_document(body) => {
            parsed.is_graphql = true;
            document(body, &serde_json::Map::new(), host, &mut parsed);
        }
        Err(_) => {
            if mentions_mutation(body) {
                parsed.unknown.push("the request body mentions a GraphQL mutation but is not valid JSON".into());
            }
        }
    }
    parsed
}

/// A GraphQL document given directly (`railway api '<GraphQL>'`), with optional variables.
pub(crate) fn from_document(doc: &str, variables: Option<&Json>, host: Option<&str>) -> Parsed {
    let mut parsed = Parsed { is_graphql: true, ..Parsed::default() };
    let empty = serde_json::Map::new();
    let vars = variables.and_then(Json::as_object).unwrap_or(&empty);
    document(doc, vars, host, &mut parsed);
    parsed
}

fn from_request_object(obj: &Json, host: Option<&str>, parsed: &mut Parsed) {
    let Some(query) = obj.get("query") else {
        persisted(obj, host, parsed);
        return;
    };
    parsed.is_graphql = true;
    let Some(query) = query.as_str() else {
        parsed.unknown.push("the GraphQL `query` field is not a string".into());
        return;
    };
    let empty = serde_json::Map::new();
    let vars = obj.get("variables").and_then(Json::as_object).unwrap_or(&empty);
    // With several operations `operationName` picks the one that runs; every operation's
    // fields are kept, so a choice can only narrow what is flagged, never hide a mutation.
    document(query, vars, host, parsed);
}

/// A persisted (stored) operation: the request names a document the server keeps
/// (`extensions.persistedQuery`, `documentId`, `doc_id`, `queryId`) instead of sending it.
/// What it runs cannot be read here; an `operationName` that says it reads passes.
fn persisted(obj: &Json, host: Option<&str>, parsed: &mut Parsed) {
    let stored = obj.pointer("/extensions/persistedQuery").is_some()
        || ["documentId", "doc_id", "queryId", "persistedQueryId"].iter().any(|k| obj.get(*k).is_some());
    if !stored {
        return;
    }
    parsed.is_graphql = true;
    let name = obj.get("operationName").and_then(Json::as_str).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    const READS: &[&str] = &[
        "get", "list", "fetch", "find", "search", "query", "read", "show", "describe", "lookup", "load", "me", "viewer",
    ];
    // A read by its name, or a development server on this machine.
    if READS.iter().any(|r| lower.starts_with(r)) || host.is_some_and(crate::facts::is_local_host) {
        return;
    }
    let named = if name.is_empty() { String::new() } else { format!(" `{name}`") };
    parsed.unknown.push(format!(
        "a persisted GraphQL operation{named}: the server runs a document it stores, which the request does not carry"
    ));
}

fn looks_like_document(body: &str) -> bool {
    let t = body.trim_start();
    t.starts_with("{") || t.starts_with("query") || t.starts_with("mutation") || t.starts_with("subscription")
}

/// Whether text mentions the word `mutation` (any case).
pub(crate) fn mentions_mutation(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("mutation").any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Parse one document, appending its root fields.
fn document(doc: &str, vars: &serde_json::Map<String, Json>, host: Option<&str>, parsed: &mut Parsed) {
    // apollo-parser is not expected to panic, but a panic here would be a hole: contain it.
    let result = std::panic::catch_unwind(|| walk(doc, vars, host));
    match result {
        Ok((fields, clean)) => {
            let found_mutation = fields.iter().any(|f| f.operation == OperationKind::Mutation);
            parsed.fields.extend(fields);
            if !clean && mentions_mutation(doc) && !found_mutation {
                parsed.unknown.push("a GraphQL document that mentions `mutation` could not be parsed".into());
            } else if !clean && found_mutation {
                parsed
                    .unknown
                    .push("a GraphQL mutation document has syntax errors; what the server runs is uncertain".into());
            }
        }
        Err(_) => parsed.unknown.push("the GraphQL document could not be analyzed".into()),
    }
}

fn walk(doc: &str, vars: &serde_json::Map<String, Json>, host: Option<&str>) -> (Vec<GraphqlField>, bool) {
    let tree = apollo_parser::Parser::new(doc).recursion_limit(200).token_limit(200_000).parse();
    let clean = tree.errors().len() == 0;
    let document = tree.document();
    let mut fragments: HashMap<String, cst::SelectionSet> = HashMap::new();
    for def in document.definitions() {
        if let cst::Definition::FragmentDefinition(f) = def
            && let (Some(name), Some(set)) = (f.fragment_name().and_then(|n| n.name()), f.selection_set())
        {
            fragments.insert(text(name.syntax()), set);
        }
    }
    let mut fields = Vec::new();
    for def in document.definitions() {
        let cst::Definition::OperationDefinition(op) = def else {
            continue;
        };
        let kind = match op.operation_type() {
            Some(t) if t.mutation_token().is_some() => OperationKind::Mutation,
            Some(t) if t.subscription_token().is_some() => OperationKind::Subscription,
            _ => OperationKind::Query, // `{ … }` shorthand is a query
        };
        if let Some(set) = op.selection_set() {
            root_fields(&set, kind, vars, &fragments, host, 0, &mut fields);
        }
    }
    (fields, clean)
}

fn root_fields(
    set: &cst::SelectionSet,
    kind: OperationKind,
    vars: &serde_json::Map<String, Json>,
    fragments: &HashMap<String, cst::SelectionSet>,
    host: Option<&str>,
    depth: usize,
    out: &mut Vec<GraphqlField>,
) {
    if depth > 16 {
        return;
    }
    for sel in set.selections() {
        match sel {
            cst::Selection::Field(f) => {
                let Some(name) = f.name() else { continue };
                let mut args = Vec::new();
                if let Some(a) = f.arguments() {
                    for arg in a.arguments() {
                        let (Some(n), Some(v)) = (arg.name(), arg.value()) else {
                            continue;
                        };
                        flatten(&text(n.syntax()), &v, vars, &mut args);
                    }
                }
                out.push(GraphqlField {
                    operation: kind,
                    name: text(name.syntax()),
                    alias: f.alias().and_then(|a| a.name()).map(|n| text(n.syntax())),
                    args,
                    host: host.map(String::from),
                });
            }
            cst::Selection::FragmentSpread(s) => {
                let name = s.fragment_name().and_then(|n| n.name()).map(|n| text(n.syntax()));
                if let Some(set) = name.and_then(|n| fragments.get(&n)) {
                    root_fields(set, kind, vars, fragments, host, depth + 1, out);
                }
            }
            cst::Selection::InlineFragment(i) => {
                if let Some(set) = i.selection_set() {
                    root_fields(&set, kind, vars, fragments, host, depth + 1, out);
                }
            }
        }
    }
}

/// `name: value` → (`name`, text); input objects flattened as `input.field`; variables
/// replaced by their JSON value when the request supplies it.
fn flatten(name: &str, value: &cst::Value, vars: &serde_json::Map<String, Json>, out: &mut Vec<(String, String)>) {
    match value {
        cst::Value::ObjectValue(obj) => {
            for field in obj.object_fields() {
                let (Some(n), Some(v)) = (field.name(), field.value()) else {
                    continue;
                };
                flatten(&format!("{name}.{}", text(n.syntax())), &v, vars, out);
            }
        }
        cst::Value::Variable(v) => {
            let var = v.name().map(|n| text(n.syntax())).unwrap_or_default();
            match vars.get(&var) {
                Some(json) => flatten_json(name, json, out),
                None => out.push((name.to_string(), format!("${var}"))),
            }
        }
        other => out.push((name.to_string(), text(other.syntax()))),
    }
}

fn flatten_json(name: &str, json: &Json, out: &mut Vec<(String, String)>) {
    match json {
        Json::Object(map) => {
            for (k, v) in map {
                flatten_json(&format!("{name}.{k}"), v, out);
            }
        }
        other => out.push((name.to_string(), other.to_string())),
    }
}

fn text(node: &apollo_parser::SyntaxNode) -> String {
    node.text().to_string().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<(OperationKind, String)> {
        p.fields.iter().map(|f| (f.operation, f.name.clone())).collect()
    }

    #[test]
    fn the_incident_body() {
        let p = from_body(
            r#"{"query":"mutation { volumeDelete(volumeId: \"3d2c\") }"}"#,
            true,
            Some("backboard.railway.com"),
        );
        assert_eq!(names(&p), [(OperationKind::Mutation, "volumeDelete".to_string())]);
        assert_eq!(p.fields[0].args, [("volumeId".to_string(), "\"3d2c\"".to_string())]);
        assert_eq!(p.fields[0].object(), "3d2c");
        assert!(p.unknown.is_empty());
    }

    #[test]
    fn escapes_aliases_fragments_and_batches() {
        let p = from_body(r#"{"query":"mutation { x: volume\u0044elete(volumeId: \"v\") }"}"#, false, None);
        assert_eq!(p.fields[0].name, "volumeDelete");
        assert_eq!(p.fields[0].alias.as_deref(), Some("x"));

        let p = from_body(
            r#"[{"query":"query { me { id } }"},{"query":"mutation M { ...F } fragment F on Mutation { serviceDelete(id: \"s\") }"}]"#,
            false,
            None,
        );
        assert_eq!(
            names(&p),
            [(OperationKind::Query, "me".to_string()), (OperationKind::Mutation, "serviceDelete".to_string())]
        );
    }

    #[test]
    fn variables_and_input_objects_are_flattened() {
        let p = from_body(
            r#"{"query":"mutation($i: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $i) }","variables":{"i":{"replace":true,"projectId":"p"}}}"#,
            false,
            None,
        );
        assert!(p.fields[0].args.contains(&("input.replace".to_string(), "true".to_string())), "{:?}", p.fields);
        let p = from_document("mutation { variableCollectionUpsert(input: {replace: true}) }", None, None);
        assert!(p.fields[0].args.contains(&("input.replace".to_string(), "true".to_string())));
    }

    #[test]
    fn unparsable_mutation_is_unknown() {
        let p = from_body(r#"{"query":"mutation { volumeDelete(volumeId: "#, false, None);
        assert!(!p.unknown.is_empty());
        let p = from_body("not json, but mutation { x }", false, None);
        assert!(!p.unknown.is_empty());
        let p = from_body("a=1&b=2", false, None);
        assert!(p.unknown.is_empty() && !p.is_graphql);
    }

    #[test]
    fn the_word_mutation() {
        assert!(mentions_mutation("Mutation{"));
        assert!(!mentions_mutation("permutation"));
    }

    #[test]
    fn persisted_operations_cannot_be_read_unless_they_say_they_read() {
        let p = from_body(
            r#"{"operationName":"volumeDelete","extensions":{"persistedQuery":{"version":1,"sha256Hash":"ab"}}}"#,
            true,
            None,
        );
        assert!(p.is_graphql && p.unknown.len() == 1, "{p:?}");
        assert!(!from_body(r#"{"documentId":"d1","variables":{"id":1}}"#, true, None).unknown.is_empty());
        let local = from_body(r#"{"documentId":"d1"}"#, true, Some("localhost"));
        assert!(local.is_graphql && local.unknown.is_empty(), "a local server: {local:?}");
        let p =
            from_body(r#"{"operationName":"GetUser","extensions":{"persistedQuery":{"sha256Hash":"ab"}}}"#, true, None);
        assert!(p.is_graphql && p.unknown.is_empty(), "{p:?}");
        // Not GraphQL at all: nothing to say.
        assert_eq!(from_body(r#"{"id":1,"name":"x"}"#, false, None), Parsed::default());
    }
}
