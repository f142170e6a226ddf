//! The authorization matrix (SECURITY.md): every role and the anonymous caller × every operation × own / other
//! object, compared with a table written out by hand from docs/roles.md — not derived from `policy.rs` — so a change
//! to the policy that docs/roles.md does not back fails here, listing every unexpected allow and deny.
//!
//! The callers act within realistic scopes: the hromada officer for Ukrainian municipality `UA_OWN`, the
//! municipality officer for Dutch municipality `NL_OWN`, and the expert is the profile `SELF` of `NL_OWN`. The
//! other roles have no scope; for them "own" and "other" are just two municipalities.
//!
//! Where docs/roles.md is silent, the table says what users would expect, and the comment at the cell says why.

use uuid::Uuid;

use super::Principal;
use super::policy::{
    Op, Target, allows, check, need_visibility, plan_visibility, require, sees_bank_details, sees_expert_contact,
    sees_grant, visible,
};
use crate::domain::{NeedStatus, PlanStatus, Role};

const UA_OWN: Uuid = Uuid::from_u128(0x0a01);
const UA_OTHER: Uuid = Uuid::from_u128(0x0a02);
const NL_OWN: Uuid = Uuid::from_u128(0x0b01);
const NL_OTHER: Uuid = Uuid::from_u128(0x0b02);
/// The expert account's own profile, in `NL_OWN`.
const SELF: Uuid = Uuid::from_u128(0x0e01);
/// Another expert of `NL_OWN`.
const COLLEAGUE: Uuid = Uuid::from_u128(0x0e02);
/// An expert of `NL_OTHER`.
const STRANGER: Uuid = Uuid::from_u128(0x0e03);

/// The callers, in the order of the table's columns: `Role::ALL`, then anonymous.
fn callers() -> Vec<(String, Option<Principal>)> {
    let mut out: Vec<(String, Option<Principal>)> = Role::ALL
        .iter()
        .map(|&role| {
            let p = Principal {
                user_id: Uuid::from_u128(0x0100 + role as u128),
                role,
                municipality_id: match role {
                    Role::HromadaOfficer => Some(UA_OWN),
                    Role::MunicipalityOfficer => Some(NL_OWN),
                    _ => None,
                },
                expert_id: (role == Role::Expert).then_some(SELF),
            };
            (role.as_str().to_string(), Some(p))
        })
        .collect();
    out.push(("anonymous".to_string(), None));
    out
}

/// The caller's own municipality: the hromada officer's is Ukrainian, everyone else's (the expert's through their
/// profile) Dutch.
fn own_municipality(p: Option<&Principal>) -> Uuid {
    match p.map(|p| p.role) {
        Some(Role::HromadaOfficer) => UA_OWN,
        _ => NL_OWN,
    }
}

fn other_municipality(p: Option<&Principal>) -> Uuid {
    match p.map(|p| p.role) {
        Some(Role::HromadaOfficer) => UA_OTHER,
        _ => NL_OTHER,
    }
}

/// The targets, in the order of the characters of each cell.
const TARGET_NAMES: [&str; 6] = [
    "own municipality",
    "other municipality",
    "own expert profile",
    "colleague (other expert of own municipality)",
    "expert of other municipality",
    "no target",
];

fn targets(p: Option<&Principal>) -> [Target; 6] {
    [
        Target::municipality(own_municipality(p)),
        Target::municipality(other_municipality(p)),
        Target::expert(NL_OWN, SELF),
        Target::expert(NL_OWN, COLLEAGUE),
        Target::expert(NL_OTHER, STRANGER),
        Target::NONE,
    ]
}

/// docs/roles.md, per operation and caller. Columns: ADMIN, POOL_COORDINATOR, NEEDS_COORDINATOR, HROMADA_OFFICER,
/// MUNICIPALITY_OFFICER, EXPERT, FUND_OFFICER, anonymous. Each cell holds one character per target, in the order
/// own municipality, other municipality, own expert profile, colleague, expert of other municipality, no target:
/// `Y` allowed, `.` refused.
#[rustfmt::skip]
const EXPECTED: &[(Op, [&str; 8])] = &[
    //                            ADMIN     POOL      NEEDS     HROMADA   MUNIC.    EXPERT    FUND      anonymous
    // Aggregate, non-personal figures: the public too.
    (Op::ReadPublicStatistics,  ["YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY"]),
    // Everyone signed in sees the pool without contact details ("everyone else sees name, municipality, …").
    (Op::ReadPool,              ["YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "......"]),
    // Admins do everything, pool coordinators read everything; nobody else is given the log.
    (Op::ReadAuditLog,          ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    (Op::ManageUsers,           ["YYYYYY", "......", "......", "......", "......", "......", "......", "......"]),
    (Op::ManageSkills,          ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    (Op::ManageMunicipalities,  ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    // §3: the security status is "kept up to date by AUC", for any Ukrainian municipality.
    (Op::SetSecurityStatus,     ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    // A municipality officer manages their own municipality's experts (any of them, never another's).
    (Op::CreateExpert,          ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "......", "......"]),
    // … and an expert edits their own profile and availability, nobody else's.
    (Op::EditExpert,            ["YYYYYY", "......", "......", "......", "Y.YY..", "..Y...", "......", "......"]),
    // Pausing or withdrawing is part of one's availability.
    (Op::SetExpertStatus,       ["YYYYYY", "......", "......", "......", "Y.YY..", "..Y...", "......", "......"]),
    // AUC: plans of any Ukrainian municipality; a hromada officer drafts and submits its own.
    (Op::CreatePlan,            ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::EditPlan,              ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::SubmitPlan,            ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    // Sending back, endorsing and closing are AUC's.
    (Op::ReturnPlan,            ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    (Op::EndorsePlan,           ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    (Op::ClosePlan,             ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    // Needs as plans: AUC for any, a hromada officer its own.
    (Op::CreateNeed,            ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::EditNeed,              ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    // A need has no SUBMITTED state: opening (DRAFT → OPEN, only under an endorsed plan) is how a hromada officer
    // "submits" its own need.
    (Op::OpenNeed,              ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::CloseNeed,             ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    // §2 does not name cancelling; the hromada withdrawing its own request is what users expect (Ukrainians lead).
    (Op::CancelNeed,            ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    // "AUC … sets their priority" (§1, §2).
    (Op::SetNeedPriority,       ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    // Matching (§2, §5): the pool coordinator runs it and proposes. Seeing the candidates for a role is reading:
    // the Ukrainian side may look at who would fit its needs (AUC any, a hromada its own).
    (Op::ViewCandidates,        ["YYYYYY", "YYYYYY", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::RunMatching,           ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    (Op::ProposeAssignment,     ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    // The three consents (§2, §4): AUC or the need's hromada accepts or rejects; the expert agrees or declines;
    // the expert's municipality releases or withdraws.
    (Op::DecideAssignment,      ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::ExpertConsent,         ["YYYYYY", "......", "......", "......", "......", "..Y...", "......", "......"]),
    (Op::ReleaseExpert,         ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "......", "......"]),
    // §2 is silent on who marks work as started: the pool coordinator, and the expert's side that does the work.
    (Op::StartAssignment,       ["YYYYYY", "YYYYYY", "......", "......", "Y.YY..", "..Y...", "......", "......"]),
    // §2: the pool coordinator may "propose, cancel and complete assignments" (§4: "coordinators may CANCEL").
    // Completing: the pool coordinator, or the Ukrainian side confirming that the work was delivered (AUC for
    // any need, a hromada officer for their own).
    (Op::CompleteAssignment,    ["YYYYYY", "YYYYYY", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::CancelAssignment,      ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    // The expert reports hours and gives the expert side's feedback; their municipality's officer, who manages
    // them, may do it for them.
    (Op::ReportHours,           ["YYYYYY", "......", "......", "......", "Y.YY..", "..Y...", "......", "......"]),
    (Op::GiveExpertFeedback,    ["YYYYYY", "......", "......", "......", "Y.YY..", "..Y...", "......", "......"]),
    // The Ukrainian side's feedback: AUC, or the need's hromada.
    (Op::GiveRecipientFeedback, ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    // §4: proposals waiting too long "are flagged to the coordinator".
    (Op::ReadStaleProposals,    ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    // §4 contribution ledger: a municipality officer sees its own contribution; the pool coordinator reads
    // everything, the fund officer reports what each municipality gave. Not aggregate, so not public.
    (Op::ReadLedger,            ["YYYYYY", "YYYYYY", "......", "......", "Y.YY..", "......", "YYYYYY", "......"]),
    // Issue 11: a municipality officer gives their own staff an account; AUC its hromada officers; the
    // coordinators their own kind (which role is the service's to check); admins anyone.
    (Op::InviteExpert,          ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "......", "......"]),
    (Op::InviteHromadaOfficer,  ["YYYYYY", "......", "YYYYYY", "......", "......", "......", "......", "......"]),
    (Op::InviteColleague,       ["YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......", "......", "......"]),
    // Issue 11, each person's rights: everyone signed in gets their own copy; an admin erases anyone, a
    // municipality officer the experts of their own municipality (never an account that is not an expert's).
    (Op::ReadOwnData,           ["YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "......"]),
    (Op::ErasePerson,           ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "......", "......"]),
    // Issue 11: the optional second factor is for the accounts that can do the most harm: admins and fund officers.
    (Op::UseSecondFactor,       ["YYYYYY", "......", "......", "......", "......", "......", "YYYYYY", "......"]),
    // Issue 12, the fund: fund officers record receipts, propose grants and see everything in the fund (bank
    // details included); admins everything.
    (Op::ReadFund,              ["YYYYYY", "......", "......", "......", "......", "......", "YYYYYY", "......"]),
    // A municipality officer pledges for their own municipality only; a fund officer records any giver's pledge
    // (a partner association or another donor has no municipality: no target).
    (Op::Pledge,                ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "YYYYYY", "......"]),
    (Op::RecordReceipt,         ["YYYYYY", "......", "......", "......", "......", "......", "YYYYYY", "......"]),
    (Op::ManageGrants,          ["YYYYYY", "......", "......", "......", "......", "......", "YYYYYY", "......"]),
    // A different fund officer or an admin approves; the proposer is refused (`a_grant_is_decided_by_a_second_person`).
    (Op::DecideGrant,           ["YYYYYY", "......", "......", "......", "......", "......", "YYYYYY", "......"]),
    // The recipient confirms and reports: a hromada officer for their own municipality's grants, AUC for grants
    // to AUC (which have no municipality: no target).
    (Op::ReportOnGrant,         ["YYYYYY", "......", ".....Y", "Y.....", "......", "......", "......", "......"]),
    // Each giver sees its own account; the fund officer produces every giver's.
    (Op::ReadFundAccount,       ["YYYYYY", "......", "......", "......", "Y.YY..", "......", "YYYYYY", "......"]),
    // Coordinators (both sides) see programme budgets; VNG's coordinators and fund officers book expenses.
    (Op::ReadProgrammes,        ["YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......", "YYYYYY", "......"]),
    (Op::ManageProgrammes,      ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "YYYYYY", "......"]),
    // Issue 13, the network: coordinators see who is in, what they offer and whom to call.
    (Op::ReadNetwork,           ["YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......", "......", "......"]),
    // A municipality registers its own participation; VNG's coordinator keeps the register for all.
    (Op::ManageMembership,      ["YYYYYY", "YYYYYY", "......", "......", "Y.YY..", "......", "......", "......"]),
    // Ties: each side enters and confirms for itself (which side a target is on, the service checks).
    (Op::RecordTie,             ["YYYYYY", "YYYYYY", "YYYYYY", "Y.....", "Y.YY..", "......", "......", "......"]),
    (Op::ConfirmTie,            ["YYYYYY", "YYYYYY", "YYYYYY", "Y.....", "Y.YY..", "......", "......", "......"]),
    (Op::ManageInfoSessions,    ["YYYYYY", "YYYYYY", "......", "......", "......", "......", "......", "......"]),
    // Municipal officers register people of their own municipality.
    (Op::RegisterForSession,    ["YYYYYY", "YYYYYY", "......", "Y.....", "Y.YY..", "......", "......", "......"]),
    (Op::OfferReception,        ["YYYYYY", "YYYYYY", "......", "......", "Y.YY..", "......", "......", "......"]),
    // The list with contact persons goes to the coordinators (VNG shares it with the ministries).
    (Op::ReadReception,         ["YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......", "......", "......"]),
    // Requests for help: AUC posts for any hromada, a hromada officer for their own (AUC sees and passes them on);
    // member municipalities answer for themselves; the Ukrainian side agrees.
    (Op::PostHelpRequest,       ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    (Op::OfferHelp,             ["YYYYYY", "YYYYYY", "......", "......", "Y.YY..", "......", "......", "......"]),
    (Op::DecideHelpOffer,       ["YYYYYY", "......", "YYYYYY", "Y.....", "......", "......", "......", "......"]),
    // The forum is the municipalities' and the coordinators' (not the experts', not the fund's).
    (Op::ReadCommunity,         ["YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......"]),
    (Op::PostInForum,           ["YYYYYY", "YYYYYY", "YYYYYY", "Y.....", "Y.YY..", "......", "......", "......"]),
    (Op::ModerateForum,         ["YYYYYY", "YYYYYY", "YYYYYY", "......", "......", "......", "......", "......"]),
];

fn cell(c: char) -> bool {
    match c {
        'Y' => true,
        '.' => false,
        other => panic!("a cell holds only `Y` and `.`, not {other:?}"),
    }
}

#[test]
fn the_table_names_every_operation_once_with_a_cell_per_target() {
    for op in Op::ALL {
        assert_eq!(EXPECTED.iter().filter(|(o, _)| o == op).count(), 1, "{op:?} must have exactly one row");
    }
    assert_eq!(EXPECTED.len(), Op::ALL.len());
    assert_eq!(callers().len(), 8, "one column per role and one for anonymous");
    for (op, row) in EXPECTED {
        for c in row {
            assert_eq!(c.chars().count(), TARGET_NAMES.len(), "{op:?}: {c:?}");
        }
    }
}

/// Every cell where the policy differs from `EXPECTED`: (caller's role, operation, line), allows first.
fn differences() -> Vec<(Option<Role>, Op, String)> {
    let mut allows_ = Vec::new();
    let mut denies = Vec::new();
    for (op, row) in EXPECTED {
        for ((caller, p), expected) in callers().iter().zip(row) {
            let p = p.as_ref();
            for ((target, name), want) in targets(p).into_iter().zip(TARGET_NAMES).zip(expected.chars()) {
                let got = allows(p, *op, target);
                if got != cell(want) {
                    let which = if got { "unexpected allow" } else { "unexpected deny" };
                    let line = format!("{which}: {caller} {op:?} on {name}");
                    if got { &mut allows_ } else { &mut denies }.push((p.map(|p| p.role), *op, line));
                }
            }
        }
    }
    allows_.extend(denies);
    allows_
}

fn lines(d: &[(Option<Role>, Op, String)]) -> String {
    d.iter().map(|(_, _, line)| format!("\n  {line}")).collect()
}

#[test]
fn every_role_may_do_exactly_what_design_section_2_says_on_own_and_other_objects() {
    let all = differences();
    assert!(all.is_empty(), "the policy differs from docs/roles.md ({} cells):{}", all.len(), lines(&all));
}

#[test]
fn a_grant_is_decided_by_a_second_person_never_its_proposer() {
    for (_, p) in callers() {
        let Some(p) = p else { continue };
        let own = Target::authored_by(p.user_id);
        let colleague = Target::authored_by(Uuid::from_u128(0x0fff));
        assert!(!allows(Some(&p), Op::DecideGrant, own), "{:?} decided a grant they proposed", p.role);
        let may = matches!(p.role, Role::Admin | Role::FundOfficer);
        assert_eq!(allows(Some(&p), Op::DecideGrant, colleague), may, "{:?} on a colleague's grant", p.role);
    }
}

#[test]
fn grants_are_seen_by_the_fund_and_by_their_own_recipient_only() {
    for (caller, p) in callers() {
        let p = p.as_ref();
        let (to_own, to_other, to_auc) =
            (sees_grant(p, Some(UA_OWN)), sees_grant(p, Some(UA_OTHER)), sees_grant(p, None));
        let want = match p.map(|p| p.role) {
            Some(Role::Admin | Role::FundOfficer) => (true, true, true),
            Some(Role::NeedsCoordinator) => (false, false, true),
            Some(Role::HromadaOfficer) => (true, false, false),
            _ => (false, false, false),
        };
        assert_eq!((to_own, to_other, to_auc), want, "{caller}");
        let bank = matches!(p.map(|p| p.role), Some(Role::Admin | Role::FundOfficer));
        assert_eq!(sees_bank_details(p), bank, "{caller} and bank details");
    }
}

#[test]
fn a_refusal_asks_the_anonymous_to_sign_in_and_tells_others_they_may_not() {
    for (_, p) in callers() {
        let p = p.as_ref();
        for &op in Op::ALL {
            for target in targets(p) {
                let code = check(p, op, target).err().map(|e| e.code());
                let want = match (allows(p, op, target), p) {
                    (true, _) => None,
                    (false, None) => Some("UNAUTHENTICATED"),
                    (false, Some(_)) => Some("FORBIDDEN"),
                };
                assert_eq!(code, want, "{:?} {op:?} on {target:?}", p.map(|p| p.role));
            }
        }
    }
}

/// Contact details (docs/roles.md): the expert, officers of the expert's own municipality, pool coordinators and
/// admins; needs coordinators and hromada officers only once an assignment to their need is ACCEPTED or later.
/// Cells: own expert profile, colleague, expert of other municipality — first without an accepted assignment for
/// the caller, then with one.
#[rustfmt::skip]
const CONTACT: [(&str, &str); 8] = [
    // (not accepted, accepted)
    ("YYY", "YYY"), // ADMIN
    ("YYY", "YYY"), // POOL_COORDINATOR
    ("...", "YYY"), // NEEDS_COORDINATOR
    ("...", "YYY"), // HROMADA_OFFICER
    ("YY.", "YY."), // MUNICIPALITY_OFFICER: their own municipality's experts only
    ("Y..", "Y.."), // EXPERT: themself only
    ("...", "..."), // FUND_OFFICER
    ("...", "..."), // anonymous
];

#[test]
fn expert_contact_details_are_shown_only_to_those_design_names() {
    let mut wrong = Vec::new();
    for ((caller, p), (plain, accepted)) in callers().iter().zip(CONTACT) {
        let experts =
            [Target::expert(NL_OWN, SELF), Target::expert(NL_OWN, COLLEAGUE), Target::expert(NL_OTHER, STRANGER)];
        let names = ["own expert profile", "colleague", "expert of other municipality"];
        for (with_acceptance, row) in [(false, plain), (true, accepted)] {
            for ((target, name), want) in experts.iter().zip(names).zip(row.chars()) {
                let got = sees_expert_contact(p.as_ref(), *target, with_acceptance);
                if got != cell(want) {
                    wrong.push(format!(
                        "{caller} {} the contact details of the {name} (assignment accepted for caller: {with_acceptance})",
                        if got { "sees" } else { "does not see" }
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "contact visibility differs from docs/roles.md:\n  {}", wrong.join("\n  "));
}

/// Which plans each role sees, of its own municipality and of another, per status in the order of
/// `PlanStatus::ALL` (DRAFT, SUBMITTED, ENDORSED, CLOSED). docs/roles.md gives the Ukrainian side and the pool
/// coordinators (who "read everything") every plan. It is silent on the others; what users expect: a hromada's drafts
/// stay with the hromada and AUC, the Ukrainian side sees what has been submitted, and the contributing side sees a
/// plan once it is endorsed (the plans experts may work on).
#[rustfmt::skip]
const PLANS: [(&str, &str); 7] = [
    // (own,  other)
    ("YYYY", "YYYY"), // ADMIN
    ("YYYY", "YYYY"), // POOL_COORDINATOR
    ("YYYY", "YYYY"), // NEEDS_COORDINATOR
    ("YYYY", ".YYY"), // HROMADA_OFFICER
    ("..YY", "..YY"), // MUNICIPALITY_OFFICER (a Dutch municipality has no plans of its own)
    ("..YY", "..YY"), // EXPERT
    ("..YY", "..YY"), // FUND_OFFICER
];

/// The same for needs, per status in the order of `NeedStatus::ALL` (DRAFT, OPEN, FILLED, CLOSED, CANCELLED):
/// outsiders see a need once it has left DRAFT — and only while they may see its plan (`PLANS`), so a need
/// cancelled in a draft plan stays as private as the plan.
#[rustfmt::skip]
const NEEDS: [(&str, &str); 7] = [
    // (own,   other)
    ("YYYYY", "YYYYY"), // ADMIN
    ("YYYYY", "YYYYY"), // POOL_COORDINATOR
    ("YYYYY", "YYYYY"), // NEEDS_COORDINATOR
    ("YYYYY", ".YYYY"), // HROMADA_OFFICER
    (".YYYY", ".YYYY"), // MUNICIPALITY_OFFICER
    (".YYYY", ".YYYY"), // EXPERT
    (".YYYY", ".YYYY"), // FUND_OFFICER
];

#[test]
fn each_role_sees_the_plans_and_needs_design_gives_it_per_status() {
    let mut wrong = Vec::new();
    for ((caller, p), ((plan_own, plan_other), (need_own, need_other))) in
        callers().iter().zip(PLANS.iter().zip(NEEDS.iter()))
    {
        let p = p.as_ref().expect("the first seven callers are signed in");
        let (plans, needs) = (plan_visibility(p), need_visibility(p));
        let own = own_municipality(Some(p));
        let other = other_municipality(Some(p));
        for (municipality, where_, plan_row, need_row) in
            [(own, "own", plan_own, need_own), (other, "other", plan_other, need_other)]
        {
            for (status, want) in PlanStatus::ALL.iter().zip(plan_row.chars()) {
                // For a plan, the last argument (a need's plan's status) plays no part.
                if visible(&plans, municipality, status.as_str(), status.as_str()) != cell(want) {
                    wrong.push(format!("{caller}: {status} plan of {where_} municipality, expected visible: {want}"));
                }
            }
            for (plan_status, plan_visible) in PlanStatus::ALL.iter().zip(plan_row.chars()) {
                for (status, need_visible) in NeedStatus::ALL.iter().zip(need_row.chars()) {
                    let want = cell(need_visible) && cell(plan_visible);
                    if visible(&needs, municipality, status.as_str(), plan_status.as_str()) != want {
                        wrong.push(format!(
                            "{caller}: {status} need of a {plan_status} plan of {where_} municipality, expected \
                             visible: {want}"
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "plan and need visibility differ from the table:\n  {}", wrong.join("\n  "));
}

#[test]
fn the_anonymous_see_no_plan_and_no_need() {
    // Lists and single reads of plans and needs start with `require`: the public gets aggregate figures only.
    assert_eq!(require(None).err().map(|e| e.code()), Some("UNAUTHENTICATED"));
}
