//! Every authorization decision of the service, in one place (docs/roles.md). Decisions take the principal and the
//! object's scope, never a role alone: an officer acts only within their own municipality, an expert only on
//! their own profile. The service calls [`check`] before it writes and [`visibility`] before it lists.

use uuid::Uuid;

use super::Principal;
use crate::domain::{AppError, AppResult, NeedStatus, PlanStatus, Role};
use crate::store::plan::Visibility;

/// Everything a user can ask the service to do. The API lists, per object, those the caller may do on it now
/// (`operations` fields), so a client shows only the controls that will work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(name = "Operation", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Op {
    /// Aggregate, non-personal figures.
    ReadPublicStatistics,
    /// Municipalities, skills, experts without contact details, visible plans and needs.
    ReadPool,
    ReadAuditLog,
    ManageUsers,
    ManageSkills,
    ManageMunicipalities,
    SetSecurityStatus,
    CreateExpert,
    EditExpert,
    SetExpertStatus,
    CreatePlan,
    EditPlan,
    SubmitPlan,
    ReturnPlan,
    EndorsePlan,
    ClosePlan,
    CreateNeed,
    EditNeed,
    OpenNeed,
    CloseNeed,
    CancelNeed,
    SetNeedPriority,
    /// See the best experts for a role of a need.
    ViewCandidates,
    /// Run a matching round over open needs.
    RunMatching,
    /// Propose an expert for a role (by hand or by committing a round's proposal).
    ProposeAssignment,
    /// The Ukrainian side accepts or rejects a proposal (target: the need's municipality).
    DecideAssignment,
    /// The expert agrees or declines (target: the expert).
    ExpertConsent,
    /// The expert's municipality releases them or withdraws (target: the expert).
    ReleaseExpert,
    /// Work starts (target: the expert).
    StartAssignment,
    /// Work is done, with the outcome report: a pool coordinator, or the Ukrainian side confirming delivery.
    CompleteAssignment,
    CancelAssignment,
    /// Monthly hours delivered (target: the expert).
    ReportHours,
    /// Feedback from the expert's side (target: the expert).
    GiveExpertFeedback,
    /// Feedback from the Ukrainian side (target: the need's municipality).
    GiveRecipientFeedback,
    /// Proposals waiting too long for an answer.
    ReadStaleProposals,
    /// Hours and in-kind value contributed (target: the municipality; none for the whole pool).
    ReadLedger,
    /// Invite an expert to an account of their own (target: the expert).
    InviteExpert,
    /// Invite an officer of a Ukrainian municipality (target: the municipality).
    InviteHromadaOfficer,
    /// Invite someone to one's own coordinating role (no target).
    InviteColleague,
    /// Download everything the service holds about oneself.
    ReadOwnData,
    /// Erase a person: an expert (target: the expert) with their account, or an account (no target).
    ErasePerson,
    /// Set up, confirm or turn off a second factor (a one-time code) on one's own account.
    UseSecondFactor,
    /// Everything in the fund, bank references and account details included.
    ReadFund,
    /// Pledge money to the fund (target: the giving municipality; none for another donor).
    Pledge,
    /// Record money received against a pledge.
    RecordReceipt,
    /// Propose a grant, record its screening, pay out tranches and close it.
    ManageGrants,
    /// Approve or reject a grant (target: its proposer as `author`, who may not).
    DecideGrant,
    /// Confirm receipt of a disbursement and report on a grant (target: the recipient hromada; none for AUC).
    ReportOnGrant,
    /// A giver's account: pledged, paid, where the money went, what was reported (target: the municipality).
    ReadFundAccount,
    /// Programme budgets per budget line and per plan.
    ReadProgrammes,
    /// Record a programme and its budget lines, and book expenses against them.
    ManageProgrammes,
    /// Who takes part in the network, what they offer, their contact persons, and every tie.
    ReadNetwork,
    /// Register a municipality's participation and its contact persons (target: the municipality).
    ManageMembership,
    /// Enter an existing tie for one's own side (target: that side's municipality; none for AUC's side).
    RecordTie,
    /// Confirm a tie the other side entered (target: this side's municipality; none for AUC's side).
    ConfirmTie,
    /// Create information sessions, change their capacity, see and export who registered.
    ManageInfoSessions,
    /// Register people of a municipality for an information session, or cancel (target: the municipality).
    RegisterForSession,
    /// Report and update a reception location (target: the municipality).
    OfferReception,
    /// Every reception offer with its contact person, places over time, the export for the ministries.
    ReadReception,
    /// Post a request for material or financial help for a hromada (target: the hromada).
    PostHelpRequest,
    /// Answer a request for help with an offer from a municipality (target: the offering municipality).
    OfferHelp,
    /// Agree to or decline an offer of help (target: the hromada asking).
    DecideHelpOffer,
    /// Read requests for help and the forum.
    ReadCommunity,
    /// Post to the forum and answer (target: the poster's municipality; none for coordinators).
    PostInForum,
    /// Pin answers and send announcements to every participating municipality.
    ModerateForum,
}

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::ReadPublicStatistics,
        Op::ReadPool,
        Op::ReadAuditLog,
        Op::ManageUsers,
        Op::ManageSkills,
        Op::ManageMunicipalities,
        Op::SetSecurityStatus,
        Op::CreateExpert,
        Op::EditExpert,
        Op::SetExpertStatus,
        Op::CreatePlan,
        Op::EditPlan,
        Op::SubmitPlan,
        Op::ReturnPlan,
        Op::EndorsePlan,
        Op::ClosePlan,
        Op::CreateNeed,
        Op::EditNeed,
        Op::OpenNeed,
        Op::CloseNeed,
        Op::CancelNeed,
        Op::SetNeedPriority,
        Op::ViewCandidates,
        Op::RunMatching,
        Op::ProposeAssignment,
        Op::DecideAssignment,
        Op::ExpertConsent,
        Op::ReleaseExpert,
        Op::StartAssignment,
        Op::CompleteAssignment,
        Op::CancelAssignment,
        Op::ReportHours,
        Op::GiveExpertFeedback,
        Op::GiveRecipientFeedback,
        Op::ReadStaleProposals,
        Op::ReadLedger,
        Op::InviteExpert,
        Op::InviteHromadaOfficer,
        Op::InviteColleague,
        Op::ReadOwnData,
        Op::ErasePerson,
        Op::UseSecondFactor,
        Op::ReadFund,
        Op::Pledge,
        Op::RecordReceipt,
        Op::ManageGrants,
        Op::DecideGrant,
        Op::ReportOnGrant,
        Op::ReadFundAccount,
        Op::ReadProgrammes,
        Op::ManageProgrammes,
        Op::ReadNetwork,
        Op::ManageMembership,
        Op::RecordTie,
        Op::ConfirmTie,
        Op::ManageInfoSessions,
        Op::RegisterForSession,
        Op::OfferReception,
        Op::ReadReception,
        Op::PostHelpRequest,
        Op::OfferHelp,
        Op::DecideHelpOffer,
        Op::ReadCommunity,
        Op::PostInForum,
        Op::ModerateForum,
    ];
}

/// The object an operation acts on, as far as scoping cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target {
    /// The municipality the object belongs to (an expert's, a plan's or a need's plan's).
    pub municipality_id: Option<Uuid>,
    /// The expert profile, for operations on an expert.
    pub expert_id: Option<Uuid>,
    /// Who made the object, for a step that must be taken by someone else (a grant's approval).
    pub author: Option<Uuid>,
}

impl Target {
    pub const NONE: Target = Target { municipality_id: None, expert_id: None, author: None };

    pub fn municipality(id: Uuid) -> Target {
        Target { municipality_id: Some(id), ..Target::NONE }
    }

    pub fn expert(municipality_id: Uuid, expert_id: Uuid) -> Target {
        Target { municipality_id: Some(municipality_id), expert_id: Some(expert_id), author: None }
    }

    /// A grant's recipient: a hromada, or AUC (which acts for no municipality of its own: no target).
    pub fn recipient(municipality_id: Option<Uuid>) -> Target {
        Target { municipality_id, ..Target::NONE }
    }

    /// An object made by `user`.
    pub fn authored_by(user: Uuid) -> Target {
        Target { author: Some(user), ..Target::NONE }
    }

    /// The caller's own scope: their municipality and expert profile.
    pub fn own(p: &Principal) -> Target {
        Target { municipality_id: p.municipality_id, expert_id: p.expert_id, author: None }
    }
}

fn own_municipality(p: &Principal, t: Target) -> bool {
    p.municipality_id.is_some() && p.municipality_id == t.municipality_id
}

fn own_expert(p: &Principal, t: Target) -> bool {
    p.expert_id.is_some() && p.expert_id == t.expert_id
}

/// The decision: may `principal` (None = anonymous) do `op` on `target`?
pub fn allows(principal: Option<&Principal>, op: Op, t: Target) -> bool {
    use Role::*;
    let Some(p) = principal else {
        return op == Op::ReadPublicStatistics;
    };
    let r = p.role;
    match op {
        Op::ReadPublicStatistics | Op::ReadPool => true,
        Op::ReadAuditLog => matches!(r, Admin | PoolCoordinator),
        Op::ManageUsers => r == Admin,
        Op::ManageSkills | Op::ManageMunicipalities => matches!(r, Admin | PoolCoordinator),
        Op::SetSecurityStatus => matches!(r, Admin | NeedsCoordinator),
        Op::CreateExpert | Op::SetExpertStatus if r == MunicipalityOfficer => own_municipality(p, t),
        Op::EditExpert | Op::SetExpertStatus if r == Expert => own_expert(p, t),
        Op::EditExpert if r == MunicipalityOfficer => own_municipality(p, t),
        Op::CreateExpert | Op::EditExpert | Op::SetExpertStatus => r == Admin,
        Op::CreatePlan
        | Op::EditPlan
        | Op::SubmitPlan
        | Op::CreateNeed
        | Op::EditNeed
        | Op::OpenNeed
        | Op::CancelNeed => matches!(r, Admin | NeedsCoordinator) || (r == HromadaOfficer && own_municipality(p, t)),
        Op::ReturnPlan | Op::EndorsePlan | Op::ClosePlan | Op::CloseNeed | Op::SetNeedPriority => {
            matches!(r, Admin | NeedsCoordinator)
        }
        Op::ViewCandidates => {
            matches!(r, Admin | PoolCoordinator | NeedsCoordinator) || (r == HromadaOfficer && own_municipality(p, t))
        }
        Op::RunMatching | Op::ProposeAssignment | Op::CancelAssignment | Op::ReadStaleProposals => {
            matches!(r, Admin | PoolCoordinator)
        }
        Op::DecideAssignment | Op::GiveRecipientFeedback => {
            matches!(r, Admin | NeedsCoordinator) || (r == HromadaOfficer && own_municipality(p, t))
        }
        Op::CompleteAssignment => {
            matches!(r, Admin | PoolCoordinator | NeedsCoordinator) || (r == HromadaOfficer && own_municipality(p, t))
        }
        Op::ExpertConsent => r == Admin || (r == Expert && own_expert(p, t)),
        Op::ReleaseExpert => r == Admin || (r == MunicipalityOfficer && own_municipality(p, t)),
        Op::StartAssignment => {
            r == PoolCoordinator
                || r == Admin
                || (r == MunicipalityOfficer && own_municipality(p, t))
                || (r == Expert && own_expert(p, t))
        }
        Op::ReportHours | Op::GiveExpertFeedback => {
            r == Admin || (r == MunicipalityOfficer && own_municipality(p, t)) || (r == Expert && own_expert(p, t))
        }
        Op::ReadLedger => {
            matches!(r, Admin | PoolCoordinator | FundOfficer)
                || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        Op::InviteExpert => r == Admin || (r == MunicipalityOfficer && own_municipality(p, t)),
        Op::InviteHromadaOfficer => matches!(r, Admin | NeedsCoordinator),
        Op::InviteColleague => matches!(r, Admin | PoolCoordinator | NeedsCoordinator),
        Op::ReadOwnData => true,
        Op::UseSecondFactor => matches!(r, Admin | FundOfficer),
        Op::ErasePerson => {
            r == Admin || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        Op::ReadFund | Op::RecordReceipt | Op::ManageGrants => matches!(r, Admin | FundOfficer),
        Op::Pledge => {
            matches!(r, Admin | FundOfficer)
                || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        // Four eyes: never the grant's proposer.
        Op::DecideGrant => matches!(r, Admin | FundOfficer) && t.author != Some(p.user_id),
        Op::ReportOnGrant => {
            r == Admin
                || (r == NeedsCoordinator && t.municipality_id.is_none())
                || (r == HromadaOfficer && own_municipality(p, t))
        }
        Op::ReadFundAccount => {
            matches!(r, Admin | FundOfficer)
                || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        Op::ReadProgrammes => matches!(r, Admin | PoolCoordinator | NeedsCoordinator | FundOfficer),
        Op::ManageProgrammes => matches!(r, Admin | PoolCoordinator | FundOfficer),
        Op::ReadNetwork | Op::ReadReception => matches!(r, Admin | PoolCoordinator | NeedsCoordinator),
        Op::ManageMembership | Op::OfferReception => {
            matches!(r, Admin | PoolCoordinator)
                || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        // Each side speaks for itself: VNG's coordinator or a municipality officer for the contributing side,
        // AUC or a hromada officer for the Ukrainian side (the service checks which side the target is on).
        Op::RecordTie | Op::ConfirmTie => {
            matches!(r, Admin | PoolCoordinator | NeedsCoordinator)
                || (matches!(r, MunicipalityOfficer | HromadaOfficer)
                    && t.municipality_id.is_some()
                    && own_municipality(p, t))
        }
        Op::ManageInfoSessions => matches!(r, Admin | PoolCoordinator),
        Op::PostHelpRequest | Op::DecideHelpOffer => {
            matches!(r, Admin | NeedsCoordinator) || (r == HromadaOfficer && own_municipality(p, t))
        }
        Op::OfferHelp => {
            matches!(r, Admin | PoolCoordinator)
                || (r == MunicipalityOfficer && t.municipality_id.is_some() && own_municipality(p, t))
        }
        Op::ReadCommunity => {
            matches!(r, Admin | PoolCoordinator | NeedsCoordinator | HromadaOfficer | MunicipalityOfficer)
        }
        Op::PostInForum => {
            matches!(r, Admin | PoolCoordinator | NeedsCoordinator)
                || (matches!(r, MunicipalityOfficer | HromadaOfficer)
                    && t.municipality_id.is_some()
                    && own_municipality(p, t))
        }
        Op::ModerateForum => matches!(r, Admin | PoolCoordinator | NeedsCoordinator),
        Op::RegisterForSession => {
            matches!(r, Admin | PoolCoordinator)
                || (matches!(r, MunicipalityOfficer | HromadaOfficer)
                    && t.municipality_id.is_some()
                    && own_municipality(p, t))
        }
    }
}

/// Of `ops`, those `principal` may do on `t` (before any state rule).
pub fn allowed(principal: Option<&Principal>, ops: &[Op], t: Target) -> Vec<Op> {
    ops.iter().copied().filter(|op| allows(principal, *op, t)).collect()
}

/// What the signed-in user may do within their own scope (their municipality, their expert profile): what a
/// client's navigation offers them.
pub fn own_operations(p: &Principal) -> Vec<Op> {
    allowed(Some(p), Op::ALL, Target::own(p))
}

/// [`allows`] as a result: anonymous callers are told to sign in, others that they may not.
pub fn check(principal: Option<&Principal>, op: Op, t: Target) -> AppResult<()> {
    if allows(principal, op, t) {
        return Ok(());
    }
    match principal {
        None => Err(AppError::Unauthenticated),
        Some(p) => Err(AppError::forbidden(format!("{} may not {}", who(p.role), describe(op)))),
    }
}

/// [`check`] on one object that the caller may not be able to see (`seen`): a caller who may neither see nor
/// act on it is told that it is not found, the same answer as for an id that does not exist, so a refusal
/// never reveals that a hidden object exists.
pub fn check_object(principal: Option<&Principal>, op: Op, t: Target, seen: bool, what: &'static str) -> AppResult<()> {
    if principal.is_some() && !seen && !allows(principal, op, t) {
        return Err(AppError::not_found(what));
    }
    check(principal, op, t)
}

/// The signed-in principal, or `Unauthenticated`.
pub fn require(principal: Option<&Principal>) -> AppResult<&Principal> {
    principal.ok_or(AppError::Unauthenticated)
}

/// The role in a sentence: "a pool coordinator may not …".
fn who(role: Role) -> &'static str {
    match role {
        Role::Admin => "an admin",
        Role::PoolCoordinator => "a pool coordinator",
        Role::NeedsCoordinator => "an AUC needs coordinator",
        Role::HromadaOfficer => "a hromada officer",
        Role::MunicipalityOfficer => "a municipality officer",
        Role::Expert => "an expert",
        Role::FundOfficer => "a fund officer",
    }
}

/// What the refused operation does, as the end of "… may not …". Exhaustive, so a new operation gets its words.
fn describe(op: Op) -> &'static str {
    match op {
        Op::ReadPublicStatistics => "read the public figures",
        Op::ReadPool => "read the pool",
        Op::ReadAuditLog => "read the audit log",
        Op::ManageUsers => "manage user accounts",
        Op::ManageSkills => "change the skill list",
        Op::ManageMunicipalities => "add or change municipalities",
        Op::SetSecurityStatus => "set a municipality's security status",
        Op::CreateExpert => "volunteer an expert for this municipality",
        Op::EditExpert => "edit this expert's profile",
        Op::SetExpertStatus => "pause, withdraw or re-activate this expert",
        Op::CreatePlan => "draft a plan for this municipality",
        Op::EditPlan => "edit this plan",
        Op::SubmitPlan => "submit this plan",
        Op::ReturnPlan => "return a plan",
        Op::EndorsePlan => "endorse a plan",
        Op::ClosePlan => "close a plan",
        Op::CreateNeed => "add a need to this plan",
        Op::EditNeed => "edit this need",
        Op::OpenNeed => "open this need for matching",
        Op::CloseNeed => "close a need",
        Op::CancelNeed => "cancel this need",
        Op::SetNeedPriority => "set a need's priority",
        Op::ViewCandidates => "see the candidates for this need",
        Op::RunMatching => "run a matching round",
        Op::ProposeAssignment => "propose an expert",
        Op::DecideAssignment => "accept or reject this proposal",
        Op::ExpertConsent => "agree to or decline this assignment for the expert",
        Op::ReleaseExpert => "release this expert or withdraw the release",
        Op::StartAssignment => "start this assignment",
        Op::CompleteAssignment => "complete this assignment",
        Op::CancelAssignment => "cancel an assignment",
        Op::ReportHours => "report hours on this assignment",
        Op::GiveExpertFeedback => "give feedback for the expert's side",
        Op::GiveRecipientFeedback => "give feedback for the Ukrainian side",
        Op::ReadStaleProposals => "read the waiting proposals",
        Op::ReadLedger => "read this contribution ledger",
        Op::InviteExpert => "invite this expert to an account",
        Op::InviteHromadaOfficer => "invite a hromada officer",
        Op::InviteColleague => "invite someone to this role",
        Op::ReadOwnData => "download their own data",
        Op::ErasePerson => "erase this person",
        Op::UseSecondFactor => "use a second factor (it is for admins and fund officers)",
        Op::ReadFund => "read the fund's records",
        Op::Pledge => "pledge for this giver",
        Op::RecordReceipt => "record money received",
        Op::ManageGrants => "propose, screen or pay out grants",
        Op::DecideGrant => "approve or reject this grant (a second person decides, never its proposer)",
        Op::ReportOnGrant => "confirm or report on this grant",
        Op::ReadFundAccount => "read this giver's account",
        Op::ReadProgrammes => "read the programme budgets",
        Op::ManageProgrammes => "record programme budgets or book expenses",
        Op::ReadNetwork => "read the network's members, contacts and ties",
        Op::ManageMembership => "register this municipality's participation",
        Op::RecordTie => "enter a tie for this municipality",
        Op::ConfirmTie => "confirm a tie for this municipality",
        Op::ManageInfoSessions => "manage information sessions",
        Op::RegisterForSession => "register people of this municipality",
        Op::OfferReception => "report reception locations for this municipality",
        Op::ReadReception => "read every reception offer",
        Op::PostHelpRequest => "post a request for help for this hromada",
        Op::OfferHelp => "offer help for this municipality",
        Op::DecideHelpOffer => "agree to or decline offers for this hromada",
        Op::ReadCommunity => "read requests for help and the forum",
        Op::PostInForum => "post in the forum for this municipality",
        Op::ModerateForum => "pin answers or send announcements",
    }
}

/// Whether the caller sees an expert's e-mail and phone (docs/roles.md): the expert, officers of the expert's own
/// municipality, pool coordinators and admins; needs coordinators and hromada officers only once an assignment
/// of the expert to one of their needs is ACCEPTED or later (`accepted_for_caller`).
pub fn sees_expert_contact(p: Option<&Principal>, t: Target, accepted_for_caller: bool) -> bool {
    let Some(p) = p else { return false };
    match p.role {
        Role::Admin | Role::PoolCoordinator => true,
        Role::Expert => own_expert(p, t),
        Role::MunicipalityOfficer => own_municipality(p, t),
        Role::NeedsCoordinator | Role::HromadaOfficer => accepted_for_caller,
        Role::FundOfficer => false,
    }
}

/// Whether one of an expert's assignments that is ACCEPTED or later (given by its needs' municipalities)
/// concerns the caller's side: any such need for AUC, one of their own municipality's for a hromada officer.
pub fn accepted_for_caller(p: Option<&Principal>, accepted_need_municipalities: &[Uuid]) -> bool {
    match p {
        Some(p) if p.role == Role::NeedsCoordinator => !accepted_need_municipalities.is_empty(),
        Some(p) if p.role == Role::HromadaOfficer => {
            p.municipality_id.is_some_and(|m| accepted_need_municipalities.contains(&m))
        }
        _ => false,
    }
}

/// Which grants a caller sees: fund officers and admins all; AUC those to AUC; a hromada officer those to their
/// own municipality; nobody else any (givers see where their money went in their account instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantScope {
    All,
    Auc,
    Municipality(Uuid),
    Nothing,
}

pub fn grant_scope(p: &Principal) -> GrantScope {
    match p.role {
        Role::Admin | Role::FundOfficer => GrantScope::All,
        Role::NeedsCoordinator => GrantScope::Auc,
        Role::HromadaOfficer => p.municipality_id.map_or(GrantScope::Nothing, GrantScope::Municipality),
        _ => GrantScope::Nothing,
    }
}

/// Whether the caller sees one grant to `recipient` (a hromada, or AUC for none): [`grant_scope`] for one row.
pub fn sees_grant(p: Option<&Principal>, recipient: Option<Uuid>) -> bool {
    match p.map(grant_scope) {
        Some(GrantScope::All) => true,
        Some(GrantScope::Auc) => recipient.is_none(),
        Some(GrantScope::Municipality(m)) => recipient == Some(m),
        _ => false,
    }
}

/// Bank references and account details: fund officers and admins only.
pub fn sees_bank_details(p: Option<&Principal>) -> bool {
    allows(p, Op::ReadFund, Target::NONE)
}

/// Which plans a caller may list: the Ukrainian side and the pool coordinators see all (drafts included; a
/// hromada officer only their own drafts); everyone else sees plans once endorsed.
pub fn plan_visibility(p: &Principal) -> Visibility {
    match p.role {
        Role::Admin | Role::PoolCoordinator | Role::NeedsCoordinator => Visibility { all: true, ..Default::default() },
        Role::HromadaOfficer => Visibility {
            all: false,
            own_municipality: p.municipality_id,
            public_statuses: vec![
                PlanStatus::Submitted.as_str(),
                PlanStatus::Endorsed.as_str(),
                PlanStatus::Closed.as_str(),
            ],
            plan_statuses: Vec::new(),
        },
        _ => Visibility {
            all: false,
            own_municipality: None,
            public_statuses: vec![PlanStatus::Endorsed.as_str(), PlanStatus::Closed.as_str()],
            plan_statuses: Vec::new(),
        },
    }
}

/// Which needs a caller may list: as for plans, with needs visible to outsiders once they leave DRAFT.
pub fn need_visibility(p: &Principal) -> Visibility {
    let mut v = plan_visibility(p);
    if !v.all {
        v.plan_statuses = std::mem::take(&mut v.public_statuses);
        v.public_statuses = NeedStatus::ALL.iter().filter(|s| **s != NeedStatus::Draft).map(|s| s.as_str()).collect();
    }
    v
}

/// Whether the caller sees one plan: [`plan_visibility`] for a single row.
pub fn sees_plan(p: Option<&Principal>, municipality_id: Uuid, status: PlanStatus) -> bool {
    p.is_some_and(|p| visible(&plan_visibility(p), municipality_id, status.as_str(), status.as_str()))
}

/// Whether the caller sees one need: [`need_visibility`] for a single row.
pub fn sees_need(p: Option<&Principal>, municipality_id: Uuid, status: NeedStatus, plan_status: PlanStatus) -> bool {
    p.is_some_and(|p| visible(&need_visibility(p), municipality_id, status.as_str(), plan_status.as_str()))
}

/// Which assignments a caller sees: coordinators (both sides) and admins all; a municipality officer those of
/// their own municipality's experts; a hromada officer those on their own municipality's needs; an expert their
/// own; a fund officer none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentScope {
    All,
    ExpertMunicipality(Uuid),
    NeedMunicipality(Uuid),
    Expert(Uuid),
    Nothing,
}

pub fn assignment_scope(p: &Principal) -> AssignmentScope {
    let own = |id: Option<Uuid>| id.unwrap_or_else(Uuid::nil);
    match p.role {
        Role::Admin | Role::PoolCoordinator | Role::NeedsCoordinator => AssignmentScope::All,
        Role::MunicipalityOfficer => AssignmentScope::ExpertMunicipality(own(p.municipality_id)),
        Role::HromadaOfficer => AssignmentScope::NeedMunicipality(own(p.municipality_id)),
        Role::Expert => AssignmentScope::Expert(own(p.expert_id)),
        Role::FundOfficer => AssignmentScope::Nothing,
    }
}

/// Whether the caller sees one assignment: [`assignment_scope`] for a single row.
pub fn sees_assignment(p: Option<&Principal>, need_municipality: Uuid, expert: Target) -> bool {
    let Some(p) = p else { return false };
    match assignment_scope(p) {
        AssignmentScope::All => true,
        AssignmentScope::ExpertMunicipality(m) => expert.municipality_id == Some(m),
        AssignmentScope::NeedMunicipality(m) => need_municipality == m,
        AssignmentScope::Expert(e) => expert.expert_id == Some(e),
        AssignmentScope::Nothing => false,
    }
}

/// Whether one row passes the same rule as [`Visibility`] in SQL (for single-object reads); `plan_status` is
/// the need's plan's status (ignored for plans).
pub fn visible(v: &Visibility, municipality_id: Uuid, status: &str, plan_status: &str) -> bool {
    v.all
        || v.own_municipality == Some(municipality_id)
        || (v.public_statuses.contains(&status)
            && (v.plan_statuses.is_empty() || v.plan_statuses.contains(&plan_status)))
}
