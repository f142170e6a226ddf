//! The plan and need state machines (docs/workflows.md). Pure: which transitions exist and what they lead to.
//! Who may take them is decided in `auth::policy`; the service applies both in one transaction.

use super::{AppError, AppResult, NeedStatus, PlanStatus};

/// A step in a recovery plan's workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum PlanAction {
    /// DRAFT → SUBMITTED: the hromada or AUC hands the plan in.
    Submit,
    /// SUBMITTED → DRAFT: AUC sends it back, with a reason.
    Return,
    /// SUBMITTED → ENDORSED: AUC endorses it; its draft needs open.
    Endorse,
    /// ENDORSED → CLOSED.
    Close,
}

impl PlanAction {
    /// The step as a verb, e.g. `endorse`: in messages, and in the audit action name `plan.endorse`.
    pub fn verb(self) -> &'static str {
        match self {
            PlanAction::Submit => "submit",
            PlanAction::Return => "return",
            PlanAction::Endorse => "endorse",
            PlanAction::Close => "close",
        }
    }

    pub fn apply(self, from: PlanStatus) -> AppResult<PlanStatus> {
        use PlanStatus::*;
        let to = match (self, from) {
            (PlanAction::Submit, Draft) => Submitted,
            (PlanAction::Return, Submitted) => Draft,
            (PlanAction::Endorse, Submitted) => Endorsed,
            (PlanAction::Close, Endorsed) => Closed,
            _ => return Err(refused(self.verb(), from)),
        };
        Ok(to)
    }

    /// Whether the action needs a reason from the person taking it.
    pub fn needs_reason(self) -> bool {
        self == PlanAction::Return
    }
}

/// A step in a need's workflow. FILLED is not an action: it follows from the accepted assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum NeedAction {
    /// DRAFT → OPEN, once its plan is endorsed: the need enters matching.
    Open,
    /// OPEN or FILLED → CLOSED: the work is done or no longer asked.
    Close,
    /// Any state but CLOSED → CANCELLED.
    Cancel,
}

impl NeedAction {
    /// The step as a verb, e.g. `cancel`: in messages, and in the audit action name `need.cancel`.
    pub fn verb(self) -> &'static str {
        match self {
            NeedAction::Open => "open",
            NeedAction::Close => "close",
            NeedAction::Cancel => "cancel",
        }
    }

    pub fn apply(self, from: NeedStatus, plan: PlanStatus) -> AppResult<NeedStatus> {
        use NeedStatus::*;
        let to = match (self, from) {
            (NeedAction::Open, Draft) if plan == PlanStatus::Endorsed => Open,
            (NeedAction::Open, Draft) => {
                return Err(AppError::conflict(format!(
                    "a need opens only once its plan is ENDORSED; the plan is {plan}"
                )));
            }
            (NeedAction::Close, Open | Filled) => Closed,
            (NeedAction::Cancel, Draft | Open | Filled) => Cancelled,
            _ => return Err(refused(self.verb(), from)),
        };
        Ok(to)
    }
}

/// Whether a need's contents (title, dates, roles) may still change.
/// A plan takes new needs until it is closed.
pub fn plan_takes_needs(status: PlanStatus) -> bool {
    status != PlanStatus::Closed
}

/// AUC may change a need's priority until the need is closed or cancelled.
pub fn need_priority_changes(status: NeedStatus) -> bool {
    !matches!(status, NeedStatus::Closed | NeedStatus::Cancelled)
}

pub fn need_is_editable(status: NeedStatus) -> bool {
    status == NeedStatus::Draft
}

/// Whether a plan's contents may still change: in DRAFT, and for AUC also while SUBMITTED.
pub fn plan_is_editable(status: PlanStatus, by_auc: bool) -> bool {
    status == PlanStatus::Draft || (by_auc && status == PlanStatus::Submitted)
}

fn refused(verb: &str, from: impl std::fmt::Display) -> AppError {
    AppError::conflict(format!("cannot {verb} when the status is {from}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_goes_draft_submitted_endorsed_closed() {
        let s = PlanAction::Submit.apply(PlanStatus::Draft).expect("submit");
        let s = PlanAction::Endorse.apply(s).expect("endorse");
        assert_eq!(PlanAction::Close.apply(s).expect("close"), PlanStatus::Closed);
    }

    #[test]
    fn a_returned_plan_is_a_draft_again() {
        assert_eq!(PlanAction::Return.apply(PlanStatus::Submitted).expect("return"), PlanStatus::Draft);
        assert!(PlanAction::Return.needs_reason());
    }

    #[test]
    fn a_draft_plan_cannot_be_endorsed() {
        let e = PlanAction::Endorse.apply(PlanStatus::Draft).expect_err("refused");
        assert_eq!(e.code(), "CONFLICT");
    }

    #[test]
    fn every_plan_transition_not_listed_is_refused() {
        let allowed = [
            (PlanAction::Submit, PlanStatus::Draft),
            (PlanAction::Return, PlanStatus::Submitted),
            (PlanAction::Endorse, PlanStatus::Submitted),
            (PlanAction::Close, PlanStatus::Endorsed),
        ];
        for a in [PlanAction::Submit, PlanAction::Return, PlanAction::Endorse, PlanAction::Close] {
            for s in PlanStatus::ALL {
                assert_eq!(a.apply(*s).is_ok(), allowed.contains(&(a, *s)), "{a:?} from {s}");
            }
        }
    }

    #[test]
    fn a_need_opens_only_under_an_endorsed_plan() {
        assert!(NeedAction::Open.apply(NeedStatus::Draft, PlanStatus::Submitted).is_err());
        assert_eq!(NeedAction::Open.apply(NeedStatus::Draft, PlanStatus::Endorsed).expect("open"), NeedStatus::Open);
    }

    #[test]
    fn a_closed_need_cannot_be_cancelled() {
        assert!(NeedAction::Cancel.apply(NeedStatus::Closed, PlanStatus::Endorsed).is_err());
        assert!(NeedAction::Cancel.apply(NeedStatus::Cancelled, PlanStatus::Endorsed).is_err());
    }
}
