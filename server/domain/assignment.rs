//! The assignment state machine (docs/workflows.md): three consents, none assumed from silence.
//!
//! PROPOSED (pool coordinator) → ACCEPTED (the Ukrainian side) | REJECTED → CONFIRMED once the expert has
//! agreed and their municipality has released them (either may refuse: DECLINED / WITHDRAWN) → ACTIVE →
//! COMPLETED. Coordinators may CANCEL any open assignment. The expert's agreement and the release may be given
//! while the proposal waits for the Ukrainian side; CONFIRMED needs all three. Repeating a step that already
//! happened changes nothing and says so. Who may take each step is decided in `auth::policy`.

use super::{AppError, AppResult};

super::enums::text_enum!(
    /// Where an assignment is.
    AssignmentStatus {
        /// Proposed by a pool coordinator; waits for the Ukrainian side.
        Proposed => "PROPOSED",
        /// Accepted by AUC or the need's hromada; waits for the expert and their municipality.
        Accepted => "ACCEPTED",
        /// Refused by the Ukrainian side, with a reason.
        Rejected => "REJECTED",
        /// All three consents given.
        Confirmed => "CONFIRMED",
        /// The expert declined, with a reason.
        Declined => "DECLINED",
        /// The expert's municipality withdrew the release, with a reason.
        Withdrawn => "WITHDRAWN",
        /// Work has started.
        Active => "ACTIVE",
        /// Work is done; outcome reported.
        Completed => "COMPLETED",
        /// Cancelled by a coordinator, with a reason.
        Cancelled => "CANCELLED",
    }
);

impl AssignmentStatus {
    /// Work has started (ACTIVE or COMPLETED): hours are reported and feedback given from then on.
    pub fn work_started(self) -> bool {
        matches!(self, AssignmentStatus::Active | AssignmentStatus::Completed)
    }

    /// Holds the expert's hours (docs/workflows.md, no double booking).
    pub fn holds_hours(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Proposed
                | AssignmentStatus::Accepted
                | AssignmentStatus::Confirmed
                | AssignmentStatus::Active
        )
    }

    /// Counts toward a need being filled: accepted by the Ukrainian side or further.
    pub fn fills_seat(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Accepted
                | AssignmentStatus::Confirmed
                | AssignmentStatus::Active
                | AssignmentStatus::Completed
        )
    }

    /// Takes a seat of its role: under way or done (refused, withdrawn and cancelled ones free it).
    pub fn takes_seat(self) -> bool {
        self.holds_hours() || self == AssignmentStatus::Completed
    }

    /// Still under way: may be cancelled.
    pub fn is_open(self) -> bool {
        self.holds_hours()
    }

    /// Ends when its need is closed: open and not yet started (work under way is left to finish).
    pub fn ends_when_need_closes(self) -> bool {
        self.is_open() && self != AssignmentStatus::Active
    }

    /// The statuses for which `rule` holds: the one source of the status lists in SQL.
    pub fn where_(rule: impl Fn(AssignmentStatus) -> bool) -> Vec<AssignmentStatus> {
        AssignmentStatus::ALL.iter().copied().filter(|s| rule(*s)).collect()
    }

    /// The stored names of the statuses for which `rule` holds.
    pub fn names_where(rule: impl Fn(AssignmentStatus) -> bool) -> Vec<&'static str> {
        AssignmentStatus::where_(rule).into_iter().map(AssignmentStatus::as_str).collect()
    }
}

/// A step someone takes on an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum, serde::Serialize)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AssignmentAction {
    /// The Ukrainian side accepts the expert for the need.
    Accept,
    /// The Ukrainian side refuses the expert (reason required).
    Reject,
    /// The expert agrees to the assignment.
    Agree,
    /// The expert declines (reason required).
    Decline,
    /// The expert's municipality releases them for it.
    Release,
    /// The expert's municipality withdraws (reason required).
    Withdraw,
    /// Work starts.
    Start,
    /// Work is done (outcome report required).
    Complete,
    /// A coordinator cancels (reason required).
    Cancel,
}

impl AssignmentAction {
    pub const ALL: &'static [AssignmentAction] = &[
        AssignmentAction::Accept,
        AssignmentAction::Reject,
        AssignmentAction::Agree,
        AssignmentAction::Decline,
        AssignmentAction::Release,
        AssignmentAction::Withdraw,
        AssignmentAction::Start,
        AssignmentAction::Complete,
        AssignmentAction::Cancel,
    ];

    /// Whether the step must come with a text: a reason, or for COMPLETE the outcome report.
    pub fn needs_text(self) -> bool {
        matches!(
            self,
            AssignmentAction::Reject
                | AssignmentAction::Decline
                | AssignmentAction::Withdraw
                | AssignmentAction::Cancel
                | AssignmentAction::Complete
        )
    }

    /// The step as a verb, e.g. `accept`: in messages, and in the audit action name.
    pub fn verb(self) -> &'static str {
        match self {
            AssignmentAction::Accept => "accept",
            AssignmentAction::Reject => "reject",
            AssignmentAction::Agree => "agree",
            AssignmentAction::Decline => "decline",
            AssignmentAction::Release => "release",
            AssignmentAction::Withdraw => "withdraw",
            AssignmentAction::Start => "start",
            AssignmentAction::Complete => "complete",
            AssignmentAction::Cancel => "cancel",
        }
    }

    /// The audit action name, e.g. `assignment.accept` (stored: it never changes with the code's names).
    pub fn audit_name(self) -> String {
        format!("assignment.{}", self.verb())
    }
}

/// The part of an assignment the state machine reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consents {
    pub status: AssignmentStatus,
    pub expert_agreed: bool,
    pub released: bool,
}

/// The result of a step: the new consents, and whether anything changed (a repeated step changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub to: Consents,
    pub changed: bool,
}

impl Consents {
    /// Applies `action`. A step that already happened is `changed: false`; one the state forbids is a
    /// `Conflict` that says what the state is.
    pub fn apply(self, action: AssignmentAction) -> AppResult<Step> {
        use AssignmentAction as A;
        use AssignmentStatus as S;
        let s = self.status;
        let unchanged = Ok(Step { to: self, changed: false });
        let to = |status: S, expert_agreed: bool, released: bool| {
            // The three consents together confirm an accepted assignment.
            let status = if status == S::Accepted && expert_agreed && released { S::Confirmed } else { status };
            Ok(Step { to: Consents { status, expert_agreed, released }, changed: true })
        };
        match (action, s) {
            (A::Accept, S::Accepted | S::Confirmed | S::Active | S::Completed) => unchanged,
            (A::Accept, S::Proposed) => to(S::Accepted, self.expert_agreed, self.released),
            (A::Reject, S::Rejected) => unchanged,
            (A::Reject, S::Proposed) => to(S::Rejected, self.expert_agreed, self.released),
            (A::Agree, S::Proposed | S::Accepted | S::Confirmed | S::Active | S::Completed) if self.expert_agreed => {
                unchanged
            }
            (A::Agree, S::Proposed | S::Accepted) => to(s, true, self.released),
            (A::Decline, S::Declined) => unchanged,
            (A::Decline, S::Proposed | S::Accepted) => to(S::Declined, false, self.released),
            (A::Release, S::Proposed | S::Accepted | S::Confirmed | S::Active | S::Completed) if self.released => {
                unchanged
            }
            (A::Release, S::Proposed | S::Accepted) => to(s, self.expert_agreed, true),
            (A::Withdraw, S::Withdrawn) => unchanged,
            (A::Withdraw, S::Proposed | S::Accepted | S::Confirmed) => to(S::Withdrawn, self.expert_agreed, false),
            (A::Start, S::Active | S::Completed) => unchanged,
            (A::Start, S::Confirmed) => to(S::Active, true, true),
            (A::Complete, S::Completed) => unchanged,
            (A::Complete, S::Active) => to(S::Completed, true, true),
            (A::Cancel, S::Cancelled) => unchanged,
            (A::Cancel, _) if s.is_open() => to(S::Cancelled, self.expert_agreed, self.released),
            _ => Err(AppError::conflict(format!("cannot {} an assignment that is {s}", action.verb()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AssignmentAction as A;
    use super::AssignmentStatus as S;
    use super::*;

    fn c(status: S) -> Consents {
        Consents { status, expert_agreed: false, released: false }
    }

    fn run(mut state: Consents, steps: &[A]) -> Consents {
        for a in steps {
            state = state.apply(*a).expect("allowed").to;
        }
        state
    }

    #[test]
    fn all_three_consents_confirm_in_any_order() {
        for order in
            [[A::Accept, A::Agree, A::Release], [A::Agree, A::Release, A::Accept], [A::Release, A::Accept, A::Agree]]
        {
            assert_eq!(run(c(S::Proposed), &order).status, S::Confirmed, "{order:?}");
        }
    }

    #[test]
    fn no_consent_is_assumed_two_of_three_do_not_confirm() {
        assert_eq!(run(c(S::Proposed), &[A::Accept, A::Agree]).status, S::Accepted);
        assert_eq!(run(c(S::Proposed), &[A::Accept, A::Release]).status, S::Accepted);
        assert_eq!(run(c(S::Proposed), &[A::Agree, A::Release]).status, S::Proposed);
    }

    #[test]
    fn a_repeated_step_changes_nothing() {
        let accepted = run(c(S::Proposed), &[A::Accept]);
        let again = accepted.apply(A::Accept).expect("harmless");
        assert!(!again.changed);
        assert_eq!(again.to, accepted);
    }

    #[test]
    fn work_starts_only_when_confirmed_and_completes_only_when_active() {
        assert!(c(S::Accepted).apply(A::Start).is_err());
        let done = run(c(S::Proposed), &[A::Accept, A::Agree, A::Release, A::Start, A::Complete]);
        assert_eq!(done.status, S::Completed);
        assert!(c(S::Confirmed).apply(A::Complete).is_err());
    }

    #[test]
    fn closed_assignments_cannot_be_cancelled_or_revived() {
        for s in [S::Rejected, S::Declined, S::Withdrawn, S::Completed] {
            assert!(c(s).apply(A::Cancel).is_err(), "{s}");
            assert!(c(s).apply(A::Accept).is_err() || s == S::Completed, "{s}");
        }
        assert!(c(S::Rejected).apply(A::Agree).is_err());
    }

    #[test]
    fn hours_are_held_from_proposal_until_work_ends() {
        let holding: Vec<S> = S::ALL.iter().copied().filter(|s| s.holds_hours()).collect();
        assert_eq!(holding, vec![S::Proposed, S::Accepted, S::Confirmed, S::Active]);
    }
}
