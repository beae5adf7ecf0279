//! Terraform and OpenTofu: the shared argv analyzer, plus saved plans. `plan -destroy -out
//! FILE` writes a plan that destroys everything; `apply FILE` carries it out. When both are
//! in one command string, the apply is read as the `apply -destroy` it is.

use super::argv;
use super::spec::ProgramSpec;
use crate::facts::Facts;
use crate::invocation::{Invocation, program_name};

pub(super) fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    let applies = facts.command.first().is_some_and(|c| c == "apply");
    if applies && !facts.has_flag("-destroy") {
        let plans = destroy_plans(inv, spec);
        if facts.command[1..].iter().any(|operand| plans.contains(operand)) {
            facts.flags.extend(["-destroy".to_string(), "--destroy".to_string()]);
            facts.notes.push("applies a plan made with `plan -destroy` earlier in the command".into());
        }
    }
    facts
}

/// The plan files that `plan -destroy -out FILE` commands earlier in the string write.
fn destroy_plans(inv: &Invocation, spec: Option<&ProgramSpec>) -> Vec<String> {
    inv.earlier
        .iter()
        .filter(|argv| argv.first().is_some_and(|p| program_name(std::ffi::OsStr::new(p)) == inv.program))
        .map(|argv| argv::analyze(&argv[1..], spec, &inv.env))
        .filter(|f| f.command.first().is_some_and(|c| c == "plan") && f.has_flag("-destroy"))
        .flat_map(|f| {
            f.flag_values.into_iter().filter(|(flag, _)| flag == "-out" || flag == "--out").map(|(_, file)| file)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::engine::{evaluate, example_invocation};
    use crate::rules::RuleSet;

    /// The rules that fire for `line` when `earlier` ran before it in the same string.
    fn fired(line: &str, earlier: &[&str]) -> Vec<String> {
        let mut inv = example_invocation(line, None, std::path::Path::new("/")).unwrap();
        inv.earlier = earlier.iter().map(|e| shell_words::split(e).unwrap()).collect();
        let rules = RuleSet::for_program(&inv.program);
        evaluate(&inv, &rules).verdict.matches.into_iter().map(|m| m.rule).collect()
    }

    #[test]
    fn applying_a_destroy_plan_made_earlier_is_a_destroy() {
        let plan = "terraform plan -destroy -out=destroy.tfplan";
        assert_eq!(fired("terraform apply destroy.tfplan", &[plan]), ["terraform.apply-destroy"]);
        assert_eq!(
            fired("terraform apply -auto-approve destroy.tfplan", &["terraform plan --destroy --out x", plan]),
            ["terraform.apply-destroy"]
        );
        assert_eq!(
            fired("tofu -chdir=infra apply destroy.tfplan", &["tofu plan -destroy -out destroy.tfplan"]),
            ["terraform.apply-destroy"]
        );
    }

    #[test]
    fn other_plans_and_other_files_are_not() {
        assert!(fired("terraform apply destroy.tfplan", &[]).is_empty(), "no plan in the string");
        assert!(fired("terraform apply app.tfplan", &["terraform plan -out=app.tfplan"]).is_empty());
        assert!(fired("terraform apply other.tfplan", &["terraform plan -destroy -out=destroy.tfplan"]).is_empty());
        assert!(fired("terraform apply destroy.tfplan", &["tofu plan -destroy -out=destroy.tfplan"]).is_empty());
    }
}
