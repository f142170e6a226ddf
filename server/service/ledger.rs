//! The contribution ledger: hours offered, assigned and delivered per expert and per municipality, with the
//! in-kind value of the delivered hours (docs/workflows.md).
//!
//! Definitions, for a period `[from, until]` (both days inclusive; either end may be open):
//! - A **week** is seven days: hours per week × days ÷ 7. Days are counted inclusively, so a single day is 1/7 of
//!   a week. Offered and assigned hours are summed in hour-days per expert and rounded to the nearest whole hour
//!   once per expert; a municipality's figures are the sums of its experts' rows, the totals the sums of the
//!   municipalities' rows.
//! - **Hours offered**: for an ACTIVE or PAUSED expert, their hours per week × the days of their availability
//!   (`availableFrom` to `availableUntil`) within the period ÷ 7. Open-ended availability runs to the period's
//!   end, or, when the period is open-ended too, to one year after today. WITHDRAWN experts offer nothing. The
//!   expert's current profile is used (changes over time are not replayed).
//! - **Hours assigned**: Σ over the expert's assignments that hold or held hours (ACCEPTED, CONFIRMED, ACTIVE,
//!   COMPLETED — not merely PROPOSED, nor REJECTED, DECLINED, WITHDRAWN or CANCELLED) of the assignment's hours per
//!   week × the days of the assignment's period within the ledger's period ÷ 7.
//! - **Hours delivered**: Σ of the reported hours of the months whose first day lies in the period (so adjacent
//!   periods never count a month twice), whatever the assignment's status now.
//! - **In-kind value**: hours delivered × the configured hourly rate, in euro cents (integers throughout).
//! - An assignment **counts** in the period when it holds or held hours and its period overlaps the ledger's by
//!   at least a day, or when hours were delivered on it in the period. An expert **contributes** in the period when
//!   they offered hours in it (ACTIVE or PAUSED, availability overlapping by at least a day) or have a counted
//!   assignment. The counts are of contributing experts, counted assignments and the distinct Ukrainian
//!   municipalities of the counted assignments' needs.
//!
//! Everything is computed in Rust over the rows of two statements (experts in scope; their assignments with the
//! delivered hours summed per assignment in SQL), whatever the number of experts.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate, Utc};
use uuid::Uuid;

use super::hours::{first_of_month, month_key};
use super::{Services, found};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, allows, check};
use crate::domain::assignment::AssignmentStatus;
use crate::domain::{AppError, AppResult, ExpertStatus, Side};
use crate::store;
use crate::store::ledger::{LedgerAssignmentRow, LedgerBounds, LedgerExpertRow};

/// The ledger's period: both days inclusive, `None` for an open end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Period {
    /// A checked period: four-digit years, and `until` not before `from`.
    pub fn new(from: Option<NaiveDate>, until: Option<NaiveDate>) -> AppResult<Period> {
        for (field, day) in [("from", from), ("until", until)] {
            if day.is_some_and(|d| !(1000..=9999).contains(&d.year())) {
                return Err(AppError::invalid(field, "must be a date with a four-digit year"));
            }
        }
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                return Err(AppError::invalid("until", "must not be before `from`"));
            }
        }
        Ok(Period { from, until })
    }

    /// Where open-ended availability stops counting: the period's end, or one year after `today` when the period
    /// has no end either.
    pub fn open_availability_end(&self, today: NaiveDate) -> NaiveDate {
        self.until.unwrap_or_else(|| today.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX))
    }

    /// The days of `[start, end]` (inclusive) within the period.
    pub fn days_within(&self, start: NaiveDate, end: NaiveDate) -> i64 {
        let start = self.from.map_or(start, |f| start.max(f));
        let end = self.until.map_or(end, |u| end.min(u));
        if end < start { 0 } else { (end - start).num_days() + 1 }
    }

    /// The first and last `YYYY-MM` whose reports count: months whose first day lies in the period.
    pub fn month_bounds(&self) -> (Option<String>, Option<String>) {
        let first = self.from.map(|f| {
            let month = first_of_month(f);
            if month == f { month_key(f) } else { month_key(month.checked_add_months(Months::new(1)).unwrap_or(month)) }
        });
        (first, self.until.map(month_key))
    }
}

/// Whole hours from hour-days (hours per week × days): ÷ 7, rounded to the nearest hour (7 is odd, so there is
/// never a tie).
pub fn hours_from_hour_days(hour_days: i64) -> i64 {
    (hour_days.max(0) + 3) / 7
}

/// The figures of one row of the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub hours_offered: i64,
    pub hours_assigned: i64,
    pub hours_delivered: i64,
    pub inkind_value_cents: i64,
    pub expert_count: i64,
    pub assignment_count: i64,
    pub municipalities_helped: i64,
}

impl Figures {
    /// Adds the additive figures of `other` (not `municipalities_helped`, which is a distinct count).
    fn add(&mut self, other: &Figures) {
        self.hours_offered += other.hours_offered;
        self.hours_assigned += other.hours_assigned;
        self.hours_delivered += other.hours_delivered;
        self.inkind_value_cents = self.inkind_value_cents.saturating_add(other.inkind_value_cents);
        self.expert_count += other.expert_count;
        self.assignment_count += other.assignment_count;
    }
}

/// One expert's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertLedger {
    pub expert_id: Uuid,
    pub name: String,
    pub status: ExpertStatus,
    pub figures: Figures,
}

/// One contributing municipality's row, with its experts' rows (by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityLedger {
    pub municipality_id: Uuid,
    pub code: String,
    pub name: String,
    pub figures: Figures,
    pub experts: Vec<ExpertLedger>,
}

/// The ledger: what it rests on, a row per municipality (by name), and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub period: Period,
    /// Where open-ended availability stopped counting.
    pub open_availability_end: NaiveDate,
    pub inkind_hourly_rate_cents: i64,
    pub municipalities: Vec<MunicipalityLedger>,
    pub totals: Figures,
}

/// Computes the ledger from the rows read (see the module's definitions). Every expert's municipality gets a
/// row, even when nothing of it falls in the period; an expert gets a row when they contribute in the period.
pub fn compute(
    experts: &[LedgerExpertRow],
    assignments: &[LedgerAssignmentRow],
    period: Period,
    today: NaiveDate,
    inkind_hourly_rate_cents: i64,
) -> AppResult<Ledger> {
    let open_end = period.open_availability_end(today);
    // Per expert: (assigned hour-days, delivered hours, counted assignments, municipalities helped).
    let mut work: BTreeMap<Uuid, (i64, i64, i64, HashSet<Uuid>)> = BTreeMap::new();
    let mut helped_all: HashSet<Uuid> = HashSet::new();
    for a in assignments {
        let status: AssignmentStatus = a.status;
        let hour_days = if status.fills_seat() {
            i64::from(a.hours_per_week) * period.days_within(a.start_date, a.end_date)
        } else {
            0
        };
        if hour_days == 0 && a.delivered_hours == 0 {
            continue;
        }
        let w = work.entry(a.expert_id).or_default();
        w.0 += hour_days;
        w.1 += a.delivered_hours;
        w.2 += 1;
        w.3.insert(a.need_municipality_id);
        helped_all.insert(a.need_municipality_id);
    }

    // Per municipality: (code, name, expert rows, municipalities helped).
    type Row = (String, String, Vec<ExpertLedger>, HashSet<Uuid>);
    let mut by_municipality: BTreeMap<Uuid, Row> = BTreeMap::new();
    for e in experts {
        let m = by_municipality
            .entry(e.municipality_id)
            .or_insert_with(|| (e.municipality_code.clone(), e.municipality_name.clone(), Vec::new(), HashSet::new()));
        let status: ExpertStatus = e.status;
        let offered_days = match status {
            ExpertStatus::Active | ExpertStatus::Paused => {
                period.days_within(e.available_from, e.available_until.unwrap_or(open_end))
            }
            ExpertStatus::Withdrawn => 0,
        };
        let w = work.remove(&e.id);
        if offered_days == 0 && w.is_none() {
            continue;
        }
        let (assigned_hour_days, delivered, assignment_count, helped) = w.unwrap_or_default();
        let figures = Figures {
            hours_offered: hours_from_hour_days(i64::from(e.hours_per_week) * offered_days),
            hours_assigned: hours_from_hour_days(assigned_hour_days),
            hours_delivered: delivered,
            inkind_value_cents: delivered.saturating_mul(inkind_hourly_rate_cents),
            expert_count: 1,
            assignment_count,
            municipalities_helped: helped.len() as i64,
        };
        m.3.extend(helped);
        m.2.push(ExpertLedger { expert_id: e.id, name: e.name.clone(), status, figures });
    }

    let mut totals = Figures::default();
    let mut municipalities: Vec<MunicipalityLedger> = by_municipality
        .into_iter()
        .map(|(municipality_id, (code, name, mut rows, helped))| {
            rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.expert_id.cmp(&b.expert_id)));
            let mut figures = Figures::default();
            for r in &rows {
                figures.add(&r.figures);
            }
            figures.municipalities_helped = helped.len() as i64;
            totals.add(&figures);
            MunicipalityLedger { municipality_id, code, name, figures, experts: rows }
        })
        .collect();
    municipalities.sort_by(|a, b| a.name.cmp(&b.name).then(a.municipality_id.cmp(&b.municipality_id)));
    totals.municipalities_helped = helped_all.len() as i64;
    Ok(Ledger { period, open_availability_end: open_end, inkind_hourly_rate_cents, municipalities, totals })
}

/// Euro cents as euros with two decimals, e.g. `123456` → `1234.56`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The column names of the CSV export, in order.
pub const CSV_HEADER: [&str; 12] = [
    "Municipality code",
    "Municipality",
    "Period from",
    "Period until",
    "Experts",
    "Assignments",
    "Ukrainian municipalities helped",
    "Hours offered",
    "Hours assigned",
    "Hours delivered",
    "Hourly rate (EUR)",
    "In-kind value (EUR)",
];

/// The ledger as CSV: a header row, then one row per municipality; an open end of the period is left empty,
/// amounts are in euros with two decimals.
pub fn ledger_csv(l: &Ledger) -> AppResult<String> {
    let file =
        super::sheet::write(super::sheet::SheetFormat::Csv, "contribution-ledger", &CSV_HEADER, &ledger_rows(l))?;
    String::from_utf8(file.bytes).map_err(AppError::internal)
}

/// The ledger's rows as the exports write them: one per municipality.
pub fn ledger_rows(l: &Ledger) -> Vec<Vec<String>> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let rate = euros(l.inkind_hourly_rate_cents);
    l.municipalities
        .iter()
        .map(|m| {
            let f = &m.figures;
            vec![
                m.code.clone(),
                m.name.clone(),
                day(l.period.from),
                day(l.period.until),
                f.expert_count.to_string(),
                f.assignment_count.to_string(),
                f.municipalities_helped.to_string(),
                f.hours_offered.to_string(),
                f.hours_assigned.to_string(),
                f.hours_delivered.to_string(),
                rate.clone(),
                euros(f.inkind_value_cents),
            ]
        })
        .collect()
}

/// Whose ledger the caller may read: `None` for the whole pool (coordinators, admins, fund officers), or their
/// own municipality (its officers). The policy decides both.
fn ledger_scope(p: Option<&Principal>) -> AppResult<Option<Uuid>> {
    if allows(p, Op::ReadLedger, Target::NONE) {
        return Ok(None);
    }
    if let Some(own) = p.and_then(|p| p.municipality_id) {
        if allows(p, Op::ReadLedger, Target::municipality(own)) {
            return Ok(Some(own));
        }
    }
    check(p, Op::ReadLedger, Target::NONE).map(|()| None)
}

impl Services {
    /// Reads the rows for `scope` (one municipality or the whole pool) and computes the ledger: two statements.
    async fn ledger_for(&self, scope: Option<Uuid>, period: Period) -> AppResult<Ledger> {
        let statuses: Vec<&str> = AssignmentStatus::ALL.iter().filter(|s| s.fills_seat()).map(|s| s.as_str()).collect();
        let (first_month, last_month) = period.month_bounds();
        let bounds = LedgerBounds {
            municipality_id: scope,
            statuses: &statuses,
            from: period.from,
            until: period.until,
            first_month,
            last_month,
        };
        let mut c = self.db.acquire().await?;
        let experts = store::ledger::experts(&mut c.conn(), scope).await?;
        let assignments = store::ledger::assignments(&mut c.conn(), &bounds).await?;
        compute(&experts, &assignments, period, Utc::now().date_naive(), self.settings.inkind_hourly_rate_cents)
    }

    /// A row per contributing municipality with at least one expert (a municipality officer: only their own).
    pub async fn contribution_ledger(&self, p: Option<&Principal>, period: Period) -> AppResult<Ledger> {
        let scope = ledger_scope(p)?;
        self.ledger_for(scope, period).await
    }

    /// The same ledger as CSV.
    pub async fn contribution_ledger_csv(&self, p: Option<&Principal>, period: Period) -> AppResult<String> {
        let ledger = self.contribution_ledger(p, period).await?;
        ledger_csv(&ledger)
    }

    /// One contributing municipality's row with its experts' rows (coordinators, admins, fund officers; the
    /// municipality's own officers). A municipality without experts gets a row of zeros.
    pub async fn municipality_contribution(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        period: Period,
    ) -> AppResult<(Ledger, MunicipalityLedger)> {
        check(p, Op::ReadLedger, Target::municipality(municipality_id))?;
        let m = {
            let mut c = self.db.acquire().await?;
            found(store::municipality::get(&mut c.conn(), municipality_id).await?, "municipality")?
        };
        if m.side != Side::Contributing {
            return Err(AppError::invalid("municipalityId", "is not a contributing municipality"));
        }
        let mut ledger = self.ledger_for(Some(municipality_id), period).await?;
        let row = match ledger.municipalities.pop() {
            Some(row) => row,
            None => MunicipalityLedger {
                municipality_id,
                code: m.code,
                name: m.name,
                figures: Figures::default(),
                experts: Vec::new(),
            },
        };
        Ok((ledger, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn expert(
        n: u128,
        municipality: u128,
        status: &str,
        hours: i32,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) -> LedgerExpertRow {
        LedgerExpertRow {
            id: id(n),
            municipality_id: id(municipality),
            municipality_code: format!("GM{municipality:04}"),
            municipality_name: format!("Gemeente {municipality}"),
            name: format!("Expert {n}"),
            status: status.parse().expect("an expert status"),
            hours_per_week: hours,
            available_from: from,
            available_until: until,
        }
    }

    fn assignment(
        n: u128,
        expert: u128,
        status: &str,
        hours: i32,
        (start, end): (NaiveDate, NaiveDate),
        hromada: u128,
        delivered: i64,
    ) -> LedgerAssignmentRow {
        LedgerAssignmentRow {
            id: id(n),
            expert_id: id(expert),
            status: status.parse().expect("an assignment status"),
            hours_per_week: hours,
            start_date: start,
            end_date: end,
            need_municipality_id: id(hromada),
            delivered_hours: delivered,
        }
    }

    fn period(from: Option<NaiveDate>, until: Option<NaiveDate>) -> Period {
        Period::new(from, until).expect("a valid period")
    }

    #[test]
    fn days_are_counted_inclusively_within_the_period() {
        let p = period(Some(d(2027, 1, 1)), Some(d(2027, 12, 31)));
        assert_eq!(p.days_within(d(2027, 1, 1), d(2027, 1, 7)), 7);
        assert_eq!(p.days_within(d(2026, 12, 1), d(2027, 1, 7)), 7, "clipped at the start");
        assert_eq!(p.days_within(d(2027, 12, 25), d(2028, 3, 1)), 7, "clipped at the end");
        assert_eq!(p.days_within(d(2027, 5, 5), d(2027, 5, 5)), 1, "one day");
        assert_eq!(p.days_within(d(2028, 1, 1), d(2028, 3, 1)), 0, "after");
        assert_eq!(p.days_within(d(2026, 1, 1), d(2026, 12, 31)), 0, "before");
        assert_eq!(Period::default().days_within(d(2027, 1, 1), d(2027, 12, 31)), 365, "all time");
    }

    #[test]
    fn hour_days_round_to_the_nearest_hour() {
        assert_eq!(hours_from_hour_days(0), 0);
        assert_eq!(hours_from_hour_days(3), 0, "3/7 h");
        assert_eq!(hours_from_hour_days(4), 1, "4/7 h");
        assert_eq!(hours_from_hour_days(8 * 7), 8, "a week of 8 h/week");
        assert_eq!(hours_from_hour_days(8 * 365), 417, "a year of 8 h/week: 417.14");
        assert_eq!(hours_from_hour_days(-5), 0);
    }

    #[test]
    fn periods_are_checked() {
        assert!(Period::new(Some(d(2027, 2, 1)), Some(d(2027, 2, 1))).is_ok(), "one day");
        let e = Period::new(Some(d(2027, 2, 2)), Some(d(2027, 2, 1))).expect_err("backwards");
        assert_eq!(e.field(), Some("until"));
        let e = Period::new(Some(d(99999, 1, 1)), None).expect_err("five-digit year");
        assert_eq!(e.field(), Some("from"));
    }

    #[test]
    fn months_count_when_their_first_day_is_in_the_period() {
        assert_eq!(Period::default().month_bounds(), (None, None));
        let p = period(Some(d(2027, 1, 1)), Some(d(2027, 3, 31)));
        assert_eq!(p.month_bounds(), (Some("2027-01".into()), Some("2027-03".into())));
        let p = period(Some(d(2027, 1, 15)), Some(d(2027, 3, 14)));
        assert_eq!(p.month_bounds(), (Some("2027-02".into()), Some("2027-03".into())), "January starts before");
        let p = period(Some(d(2027, 12, 2)), None);
        assert_eq!(p.month_bounds(), (Some("2028-01".into()), None), "across the year");
    }

    #[test]
    fn open_availability_runs_to_the_period_end_or_a_year_from_today() {
        let today = d(2027, 2, 28);
        assert_eq!(Period::default().open_availability_end(today), d(2028, 2, 28));
        assert_eq!(period(None, Some(d(2027, 6, 30))).open_availability_end(today), d(2027, 6, 30));
        assert_eq!(Period::default().open_availability_end(d(2028, 2, 29)), d(2029, 2, 28), "leap day");
    }

    #[test]
    fn the_ledger_follows_the_definitions() {
        let today = d(2027, 1, 10);
        let p = period(Some(d(2027, 1, 1)), Some(d(2027, 3, 31))); // 90 days
        let experts = vec![
            // 8 h/week all period: 8 × 90 / 7 = 102.86 → 103 offered.
            expert(1, 100, "ACTIVE", 8, d(2026, 6, 1), None),
            // PAUSED still offers: 4 h/week from 1 Mar: 4 × 31 / 7 = 17.71 → 18.
            expert(2, 100, "PAUSED", 4, d(2027, 3, 1), Some(d(2027, 12, 31))),
            // WITHDRAWN offers nothing but delivered hours count.
            expert(3, 100, "WITHDRAWN", 8, d(2026, 1, 1), None),
            // Another municipality; availability after the period and no work: no expert row.
            expert(4, 200, "ACTIVE", 8, d(2027, 6, 1), None),
            expert(5, 200, "ACTIVE", 2, d(2027, 1, 1), Some(d(2027, 1, 7))),
        ];
        let assignments = vec![
            // ACTIVE, 8 h/week, 1 Feb–30 Jun: 59 days in the period → 8 × 59 / 7 = 67.43; 20 h delivered.
            assignment(10, 1, "ACTIVE", 8, (d(2027, 2, 1), d(2027, 6, 30)), 900, 20),
            // ACCEPTED, 4 h/week, 1 Dec–14 Jan: 14 days → 4 × 14 = 56 hour-days; total 8 × 59 + 56 = 528 → 75.43 → 75.
            assignment(11, 1, "ACCEPTED", 4, (d(2026, 12, 1), d(2027, 1, 14)), 901, 0),
            // PROPOSED: not counted at all.
            assignment(12, 2, "PROPOSED", 4, (d(2027, 3, 1), d(2027, 3, 31)), 902, 0),
            // CANCELLED after work: only its delivered hours count.
            assignment(13, 3, "CANCELLED", 8, (d(2027, 1, 1), d(2027, 2, 28)), 900, 12),
        ];
        let l = compute(&experts, &assignments, p, today, 7_500).expect("computed");
        assert_eq!(l.municipalities.len(), 2, "every municipality with an expert has a row");
        let m = &l.municipalities[0];
        assert_eq!(m.name, "Gemeente 100");
        let rows: Vec<(&str, Figures)> = m.experts.iter().map(|e| (e.name.as_str(), e.figures)).collect();
        let f = |offered, assigned, delivered, assignments, helped| Figures {
            hours_offered: offered,
            hours_assigned: assigned,
            hours_delivered: delivered,
            inkind_value_cents: delivered * 7_500,
            expert_count: 1,
            assignment_count: assignments,
            municipalities_helped: helped,
        };
        assert_eq!(
            rows,
            vec![("Expert 1", f(103, 75, 20, 2, 2)), ("Expert 2", f(18, 0, 0, 0, 0)), ("Expert 3", f(0, 0, 12, 1, 1))]
        );
        assert_eq!(
            m.figures,
            Figures {
                hours_offered: 121,
                hours_assigned: 75,
                hours_delivered: 32,
                inkind_value_cents: 240_000,
                expert_count: 3,
                assignment_count: 3,
                municipalities_helped: 2,
            }
        );
        let other = &l.municipalities[1];
        assert_eq!(other.experts.len(), 1, "only the expert available in the period");
        assert_eq!(other.figures.hours_offered, 2, "2 h/week for one week");
        assert_eq!(l.totals.hours_offered, 123);
        assert_eq!(l.totals.expert_count, 4);
        assert_eq!(l.totals.municipalities_helped, 2);
        assert_eq!(l.open_availability_end, d(2027, 3, 31));
    }

    #[test]
    fn an_open_period_counts_open_availability_up_to_a_year_from_today() {
        let today = d(2027, 1, 1);
        let experts = vec![expert(1, 100, "ACTIVE", 7, d(2026, 1, 1), None)];
        let l = compute(&experts, &[], Period::default(), today, 7_500).expect("computed");
        // 1 Jan 2026 – 1 Jan 2028 inclusive: 731 days × 7 h/week / 7 = 731 h.
        assert_eq!(l.totals.hours_offered, 731);
        assert_eq!(l.open_availability_end, d(2028, 1, 1));
    }

    #[test]
    fn euros_have_two_decimals() {
        assert_eq!(euros(0), "0.00");
        assert_eq!(euros(5), "0.05");
        assert_eq!(euros(7_500), "75.00");
        assert_eq!(euros(123_456), "1234.56");
        assert_eq!(euros(-150), "-1.50");
    }

    #[test]
    fn the_csv_has_a_header_and_a_row_per_municipality() {
        let experts = vec![
            expert(1, 100, "ACTIVE", 7, d(2027, 1, 1), Some(d(2027, 1, 14))),
            expert(2, 200, "ACTIVE", 7, d(2027, 1, 1), Some(d(2027, 1, 7))),
        ];
        let assignments = vec![assignment(10, 1, "ACTIVE", 7, (d(2027, 1, 1), d(2027, 1, 7)), 900, 13)];
        let p = period(Some(d(2027, 1, 1)), None);
        let mut l = compute(&experts, &assignments, p, d(2027, 1, 1), 7_550).expect("computed");
        l.municipalities[1].name = "=HYPERLINK(\"x\"), \"quoted\"".into();
        let csv = ledger_csv(&l).expect("written");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            vec![
                "Municipality code,Municipality,Period from,Period until,Experts,Assignments,\
                 Ukrainian municipalities helped,Hours offered,Hours assigned,Hours delivered,Hourly rate (EUR),\
                 In-kind value (EUR)",
                "GM0100,Gemeente 100,2027-01-01,,1,1,1,14,7,13,75.50,981.50",
                "GM0200,\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\",2027-01-01,,1,0,0,7,0,0,75.50,0.00",
            ]
        );
    }
}
