//! The VNG Fund's own rules (docs/fund.md), pure: amounts, which received money a grant may spend, how a
//! disbursement draws on it, and the grant's workflow. The service applies them under one lock.

use chrono::NaiveDate;
use uuid::Uuid;

use super::enums::text_enum;
use super::{AppError, AppResult};

text_enum!(
    /// What money is given for: one of the fund's three purposes, or any of them.
    FundPurpose {
        /// Emergency aid.
        EmergencyAid => "EMERGENCY_AID",
        /// Rebuilding municipal services.
        Reconstruction => "RECONSTRUCTION",
        /// Peacebuilding.
        Peacebuilding => "PEACEBUILDING",
        /// Any of the fund's purposes (a pledge only; a grant always names its purpose).
        Unrestricted => "UNRESTRICTED",
    }
);

text_enum!(
    /// Who gives: a member municipality, a partner association, or another donor.
    DonorKind {
        /// A contributing municipality in the pool.
        Municipality => "MUNICIPALITY",
        /// A partner association of municipalities (e.g. of another country).
        PartnerAssociation => "PARTNER_ASSOCIATION",
        /// Any other donor.
        Other => "OTHER",
    }
);

text_enum!(
    /// What a pledge's money is reserved for, beyond its purpose.
    Earmark {
        /// Not earmarked: any grant within the pledge's purpose.
        None => "NONE",
        /// AUC's coordinating work: grants to AUC only.
        AucCoordination => "AUC_COORDINATION",
        /// One Ukrainian municipality: grants to that hromada only.
        Hromada => "HROMADA",
        /// One recovery plan: grants for that plan only.
        Plan => "PLAN",
    }
);

text_enum!(
    /// Who receives a grant.
    RecipientKind {
        /// The Association of Ukrainian Cities, for its coordinating work.
        Auc => "AUC",
        /// A Ukrainian municipality on the reference list, for a plan or a need of its own.
        Hromada => "HROMADA",
    }
);

text_enum!(
    /// Where a grant stands.
    GrantStatus {
        /// Proposed by a fund officer; being screened.
        Proposed => "PROPOSED",
        /// Approved by a second person after screening: money can be paid out against it.
        Approved => "APPROVED",
        /// Not approved.
        Rejected => "REJECTED",
        /// No further tranches.
        Closed => "CLOSED",
    }
);

text_enum!(
    /// The checks recorded before a grant can be approved. Each is a person's check with a note, not an
    /// automated screening.
    ScreeningCheck {
        /// The recipient is a Ukrainian public body on the reference list (AUC, or a hromada of the register).
        RecipientOnReferenceList => "RECIPIENT_ON_REFERENCE_LIST",
        /// The bank account's holder is the recipient.
        AccountHolderChecked => "ACCOUNT_HOLDER_CHECKED",
        /// No sanctioned party is involved.
        NoSanctionedParty => "NO_SANCTIONED_PARTY",
    }
);

text_enum!(
    /// How far a pledge has been paid.
    PledgeState {
        /// Nothing received yet.
        Pledged => "PLEDGED",
        /// Some, not all, received.
        PartlyPaid => "PARTLY_PAID",
        /// Received in full (or more).
        Paid => "PAID",
    }
);

text_enum!(
    /// What a programme expense pays for.
    ExpenseKind {
        /// An expert's travel for an on-site or hosting assignment.
        Travel => "TRAVEL",
        /// An expert's stay for an on-site or hosting assignment.
        Stay => "STAY",
        /// Anything else on the budget line.
        Other => "OTHER",
    }
);

text_enum!(
    /// Whether an expense is only committed or already paid.
    ExpenseStatus {
        /// Promised (an order, a booking) but not yet paid.
        Committed => "COMMITTED",
        /// Paid.
        Spent => "SPENT",
    }
);

/// The largest amount one pledge, receipt, grant or disbursement may carry: 1 000 000 000 euros, far above any
/// real one, so that sums of many never come near the 64-bit limit.
pub const MAX_CENTS: i64 = 100_000_000_000;

/// Parses an amount in euros written with at most two decimals (`2500`, `2500.5`, `2500.50`; a comma may stand
/// for the decimal point) into cents, exactly: no floating point. Zero, negative amounts, fractions of a cent and
/// anything that is not a plain number are bad input naming `field`.
pub fn parse_euros(field: &str, text: &str) -> AppResult<i64> {
    let t = text.trim().replace(',', ".");
    let bad = |why: &str| AppError::invalid(field, why.to_string());
    if t.starts_with('-') {
        return Err(bad("must be more than zero"));
    }
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (t.contains('.') && !digits(frac)) {
        return Err(bad("must be an amount in euros, e.g. 2500 or 2500.50"));
    }
    if frac.len() > 2 && frac[2..].bytes().any(|b| b != b'0') {
        return Err(bad("has fractions of a cent; give at most two decimals"));
    }
    if whole.len() > 12 {
        return Err(bad("is larger than the fund takes (at most 1000000000 euros)"));
    }
    let whole: i64 = whole.parse().map_err(|_| bad("must be an amount in euros"))?;
    let cents: i64 = match frac.get(..2).unwrap_or(frac) {
        "" => 0,
        f if f.len() == 1 => f.parse::<i64>().map_err(|_| bad("must be an amount in euros"))? * 10,
        f => f.parse().map_err(|_| bad("must be an amount in euros"))?,
    };
    let total = whole * 100 + cents;
    if total <= 0 {
        return Err(bad("must be more than zero"));
    }
    if total > MAX_CENTS {
        return Err(bad("is larger than the fund takes (at most 1000000000 euros)"));
    }
    Ok(total)
}

/// What a pledge reserves its money for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PledgeTerms {
    pub purpose: FundPurpose,
    pub earmark: Earmark,
    /// The hromada of a HROMADA earmark.
    pub municipality_id: Option<Uuid>,
    /// The plan of a PLAN earmark.
    pub plan_id: Option<Uuid>,
}

/// What a grant spends money on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantTerms {
    pub purpose: FundPurpose,
    pub recipient: RecipientKind,
    pub municipality_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
}

/// Whether money given under `pledge` may be spent on `grant`, and if so how specific that money is (lower is
/// more specific, drawn first): money earmarked for the grant's plan (0), its hromada (1), AUC's coordination
/// (2), then unearmarked money given for the grant's purpose (3), and last unrestricted money (4). Drawing the
/// most specific money first keeps the flexible money for what nothing else can pay for.
pub fn draw_order(pledge: &PledgeTerms, grant: &GrantTerms) -> Option<u8> {
    let purpose_fits = pledge.purpose == FundPurpose::Unrestricted || pledge.purpose == grant.purpose;
    if !purpose_fits {
        return None;
    }
    match pledge.earmark {
        Earmark::Plan => (pledge.plan_id.is_some() && pledge.plan_id == grant.plan_id).then_some(0),
        Earmark::Hromada => (grant.recipient == RecipientKind::Hromada
            && pledge.municipality_id.is_some()
            && pledge.municipality_id == grant.municipality_id)
            .then_some(1),
        Earmark::AucCoordination => (grant.recipient == RecipientKind::Auc).then_some(2),
        Earmark::None if pledge.purpose == FundPurpose::Unrestricted => Some(4),
        Earmark::None => Some(3),
    }
}

/// Received money of one pledge that a disbursement may draw on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub pledge_id: Uuid,
    /// From [`draw_order`].
    pub order: u8,
    /// Received and not yet drawn, in cents (more than zero).
    pub available_cents: i64,
}

/// Splits `amount` cents over `sources`: the most specific money first ([`Source::order`]); money of the same
/// order is pooled, so each of its pledges gives in proportion to what it has available (largest remainder
/// for the odd cents, ties to the older pledge, i.e. the smaller time-ordered id). Returns the draws per
/// pledge, or the money there is when it is not enough.
pub fn allocate(amount: i64, sources: &[Source]) -> Result<Vec<(Uuid, i64)>, i64> {
    let available: i64 = sources.iter().map(|s| s.available_cents.max(0)).sum();
    if amount > available {
        return Err(available);
    }
    let mut orders: Vec<u8> = sources.iter().map(|s| s.order).collect();
    orders.sort_unstable();
    orders.dedup();
    let mut left = amount;
    let mut draws = Vec::new();
    for order in orders {
        if left == 0 {
            break;
        }
        let mut group: Vec<&Source> = sources.iter().filter(|s| s.order == order && s.available_cents > 0).collect();
        group.sort_by_key(|s| s.pledge_id);
        let pool: i64 = group.iter().map(|s| s.available_cents).sum();
        if pool <= left {
            draws.extend(group.iter().map(|s| (s.pledge_id, s.available_cents)));
            left -= pool;
            continue;
        }
        // Proportional shares of `left`, in exact integer arithmetic.
        let mut shares: Vec<(usize, i64, i128)> = group
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let exact = i128::from(left) * i128::from(s.available_cents);
                let share = (exact / i128::from(pool)) as i64;
                (i, share, exact % i128::from(pool))
            })
            .collect();
        let mut odd = left - shares.iter().map(|s| s.1).sum::<i64>();
        let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
        by_remainder.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2).then(a.cmp(b)));
        for i in by_remainder {
            if odd == 0 {
                break;
            }
            if shares[i].1 < group[i].available_cents {
                shares[i].1 += 1;
                odd -= 1;
            }
        }
        draws.extend(shares.iter().filter(|s| s.1 > 0).map(|s| (group[s.0].pledge_id, s.1)));
        left = 0;
    }
    Ok(draws)
}

/// A pledge's state from what was pledged and what has been received.
pub fn pledge_state(pledged: i64, received: i64) -> PledgeState {
    if received <= 0 {
        PledgeState::Pledged
    } else if received < pledged {
        PledgeState::PartlyPaid
    } else {
        PledgeState::Paid
    }
}

/// Whether a pledge is overdue on `today`: its due date has passed and it is not paid in full.
pub fn pledge_overdue(due: Option<NaiveDate>, pledged: i64, received: i64, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today) && received < pledged
}

/// A step in a grant's workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum GrantAction {
    /// PROPOSED → APPROVED: a second person approves after screening.
    Approve,
    /// PROPOSED → REJECTED, with a reason.
    Reject,
    /// APPROVED → CLOSED: no further tranches.
    Close,
}

impl GrantAction {
    pub fn verb(self) -> &'static str {
        match self {
            GrantAction::Approve => "approve",
            GrantAction::Reject => "reject",
            GrantAction::Close => "close",
        }
    }

    pub fn apply(self, from: GrantStatus) -> AppResult<GrantStatus> {
        use GrantStatus::*;
        match (self, from) {
            (GrantAction::Approve, Proposed) => Ok(Approved),
            (GrantAction::Reject, Proposed) => Ok(Rejected),
            (GrantAction::Close, Approved) => Ok(Closed),
            _ => Err(AppError::conflict(format!("cannot {} a grant that is {from}", self.verb()))),
        }
    }
}

/// Whether disbursements may be paid against a grant in `status`.
pub fn pays_out(status: GrantStatus) -> bool {
    status == GrantStatus::Approved
}

/// The screening checks that every grant needs passed before approval.
pub fn missing_checks(passed: &[ScreeningCheck]) -> Vec<ScreeningCheck> {
    ScreeningCheck::ALL.iter().copied().filter(|c| !passed.contains(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn euros_parse_exactly_into_cents() {
        assert_eq!(parse_euros("amount", "2500").expect("ok"), 250_000);
        assert_eq!(parse_euros("amount", "2500.5").expect("ok"), 250_050);
        assert_eq!(parse_euros("amount", " 0,01 ").expect("ok"), 1);
        assert_eq!(parse_euros("amount", "19.990").expect("ok"), 1_999);
        assert_eq!(parse_euros("amount", "1000000000").expect("ok"), MAX_CENTS);
        for bad in ["0", "0.00", "-5", "1.001", "abc", "", "1e3", "1.", ".5", "1000000000.01", "12 000", "NaN", "+5"] {
            let e = parse_euros("amount", bad).expect_err(bad);
            assert_eq!(e.field(), Some("amount"), "{bad}");
        }
        let e = parse_euros("amount", "10.005").expect_err("fraction of a cent");
        assert!(e.to_string().contains("fractions of a cent"), "{e}");
    }

    fn pledge(purpose: FundPurpose, earmark: Earmark, m: Option<u128>, p: Option<u128>) -> PledgeTerms {
        PledgeTerms { purpose, earmark, municipality_id: m.map(id), plan_id: p.map(id) }
    }

    #[test]
    fn earmarked_money_goes_only_where_it_was_given_for() {
        use FundPurpose::*;
        let grant = GrantTerms {
            purpose: Reconstruction,
            recipient: RecipientKind::Hromada,
            municipality_id: Some(id(7)),
            plan_id: Some(id(70)),
        };
        let auc =
            GrantTerms { purpose: EmergencyAid, recipient: RecipientKind::Auc, municipality_id: None, plan_id: None };
        assert_eq!(draw_order(&pledge(Reconstruction, Earmark::Plan, None, Some(70)), &grant), Some(0));
        assert_eq!(draw_order(&pledge(Reconstruction, Earmark::Plan, None, Some(71)), &grant), None, "another plan");
        assert_eq!(draw_order(&pledge(Unrestricted, Earmark::Hromada, Some(7), None), &grant), Some(1));
        assert_eq!(draw_order(&pledge(Unrestricted, Earmark::Hromada, Some(8), None), &grant), None);
        assert_eq!(draw_order(&pledge(Unrestricted, Earmark::AucCoordination, None, None), &grant), None);
        assert_eq!(draw_order(&pledge(Unrestricted, Earmark::AucCoordination, None, None), &auc), Some(2));
        assert_eq!(draw_order(&pledge(Reconstruction, Earmark::None, None, None), &grant), Some(3));
        assert_eq!(draw_order(&pledge(EmergencyAid, Earmark::None, None, None), &grant), None, "another purpose");
        assert_eq!(draw_order(&pledge(Unrestricted, Earmark::None, None, None), &grant), Some(4));
        assert_eq!(draw_order(&pledge(Peacebuilding, Earmark::Plan, None, Some(70)), &grant), None, "purpose first");
    }

    #[test]
    fn a_disbursement_draws_specific_money_first_and_pools_the_rest_in_proportion() {
        let sources = [
            Source { pledge_id: id(1), order: 4, available_cents: 30_000 },
            Source { pledge_id: id(2), order: 0, available_cents: 10_000 },
            Source { pledge_id: id(3), order: 4, available_cents: 10_000 },
        ];
        assert_eq!(allocate(5_000, &sources).expect("enough"), vec![(id(2), 5_000)]);
        let draws = allocate(18_000, &sources).expect("enough");
        assert_eq!(draws, vec![(id(2), 10_000), (id(1), 6_000), (id(3), 2_000)]);
        assert_eq!(allocate(50_001, &sources), Err(50_000));
        assert_eq!(allocate(50_000, &sources).expect("all of it").iter().map(|d| d.1).sum::<i64>(), 50_000);
    }

    #[test]
    fn odd_cents_go_to_the_largest_remainder_then_the_older_pledge() {
        let s = |n, a| Source { pledge_id: id(n), order: 3, available_cents: a };
        assert_eq!(allocate(1, &[s(2, 100), s(1, 100)]).expect("ok"), vec![(id(1), 1)]);
        assert_eq!(allocate(2, &[s(1, 100), s(2, 100), s(3, 100)]).expect("ok"), vec![(id(1), 1), (id(2), 1)]);
        let draws = allocate(100, &[s(1, 1), s(2, 2), s(3, 297)]).expect("ok");
        assert_eq!(draws.iter().map(|d| d.1).sum::<i64>(), 100);
        assert!(draws.iter().all(|(p, c)| *c <= [1, 2, 297][(p.as_u128() - 1) as usize]));
    }

    proptest::proptest! {
        #[test]
        fn draws_add_up_and_never_exceed_a_pledge(
            amount in 1i64..2_000_000,
            avail in proptest::collection::vec((0u8..5, 1i64..1_000_000), 1..12),
        ) {
            let sources: Vec<Source> = avail.iter().enumerate()
                .map(|(i, (o, a))| Source { pledge_id: id(i as u128 + 1), order: *o, available_cents: *a })
                .collect();
            let total: i64 = sources.iter().map(|s| s.available_cents).sum();
            match allocate(amount, &sources) {
                Ok(draws) => {
                    proptest::prop_assert!(amount <= total);
                    proptest::prop_assert_eq!(draws.iter().map(|d| d.1).sum::<i64>(), amount);
                    for (p, c) in &draws {
                        let s = sources.iter().find(|s| s.pledge_id == *p).expect("a source");
                        proptest::prop_assert!(*c > 0 && *c <= s.available_cents);
                    }
                    // A less specific pledge is drawn only once every more specific one is used up.
                    let deepest = draws.iter().map(|(p, _)| sources.iter().find(|s| s.pledge_id == *p).map_or(0, |s| s.order)).max().unwrap_or(0);
                    for s in sources.iter().filter(|s| s.order < deepest) {
                        let drawn = draws.iter().find(|d| d.0 == s.pledge_id).map_or(0, |d| d.1);
                        proptest::prop_assert_eq!(drawn, s.available_cents);
                    }
                }
                Err(there) => {
                    proptest::prop_assert!(amount > total);
                    proptest::prop_assert_eq!(there, total);
                }
            }
        }
    }

    #[test]
    fn a_grant_is_approved_or_rejected_once_and_closed_after_approval() {
        assert_eq!(GrantAction::Approve.apply(GrantStatus::Proposed).expect("ok"), GrantStatus::Approved);
        assert_eq!(GrantAction::Reject.apply(GrantStatus::Proposed).expect("ok"), GrantStatus::Rejected);
        assert_eq!(GrantAction::Close.apply(GrantStatus::Approved).expect("ok"), GrantStatus::Closed);
        for (a, s) in [
            (GrantAction::Approve, GrantStatus::Approved),
            (GrantAction::Approve, GrantStatus::Rejected),
            (GrantAction::Close, GrantStatus::Proposed),
            (GrantAction::Reject, GrantStatus::Closed),
        ] {
            assert_eq!(a.apply(s).expect_err("refused").code(), "CONFLICT");
        }
        assert!(pays_out(GrantStatus::Approved) && !pays_out(GrantStatus::Closed));
    }

    #[test]
    fn pledges_are_pledged_partly_paid_or_paid_and_overdue_only_when_short_after_the_due_date() {
        assert_eq!(pledge_state(100, 0), PledgeState::Pledged);
        assert_eq!(pledge_state(100, 40), PledgeState::PartlyPaid);
        assert_eq!(pledge_state(100, 100), PledgeState::Paid);
        assert_eq!(pledge_state(100, 120), PledgeState::Paid);
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("a date");
        assert!(pledge_overdue(Some(d(3, 1)), 100, 40, d(3, 2)));
        assert!(!pledge_overdue(Some(d(3, 1)), 100, 100, d(3, 2)));
        assert!(!pledge_overdue(Some(d(3, 1)), 100, 0, d(3, 1)));
        assert!(!pledge_overdue(None, 100, 0, d(3, 1)));
    }
}
