//! Monthly hours delivered on an assignment, reported by the expert or their municipality (docs/storage.md, docs/workflows.md).
//!
//! One figure per assignment and calendar month; reporting a month again replaces its figure, and the audit log
//! keeps both. Hours are reported only for work that happened: on an ACTIVE or COMPLETED assignment, for a month
//! within the assignment's period and not after the current month.

use chrono::{Datelike, NaiveDate, Utc};
use uuid::Uuid;

use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check_object, require, sees_assignment};
use crate::domain::assignment::AssignmentStatus;
use crate::domain::{AppError, AppResult};
use crate::store;
use crate::store::hours::HoursReportRow;

/// The most hours one month can hold (31 days × 24 hours).
pub const MAX_HOURS_PER_MONTH: i32 = 744;

/// `YYYY-MM` of the month `d` falls in.
pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The first day of the month `d` falls in.
pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// A month as `YYYY-MM` (e.g. `2027-03`): its first day, or bad input naming `field`.
pub fn parse_month(text: &str, field: &str) -> AppResult<NaiveDate> {
    let b = text.as_bytes();
    let shaped =
        b.len() == 7 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit) && b[5..].iter().all(u8::is_ascii_digit);
    let bad = || AppError::invalid(field, "must be a calendar month written YYYY-MM, e.g. 2027-03");
    if !shaped {
        return Err(bad());
    }
    let year: i32 = text[..4].parse().map_err(|_| bad())?;
    let month: u32 = text[5..].parse().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, 1).filter(|_| year >= 1).ok_or_else(bad)
}

/// Checks a report of `hours` for the month starting `month` on an assignment in `status` running from `start` to
/// `end`, when today is `today`. Input errors first (field `month` or `hours`), then the assignment's state
/// (`Conflict`), then the month against the assignment's period and today (field `month`).
pub fn check_report(
    status: AssignmentStatus,
    start: NaiveDate,
    end: NaiveDate,
    month: NaiveDate,
    hours: i32,
    today: NaiveDate,
) -> AppResult<()> {
    if !(0..=MAX_HOURS_PER_MONTH).contains(&hours) {
        return Err(AppError::invalid(
            "hours",
            format!("must be between 0 and {MAX_HOURS_PER_MONTH} (every hour of a 31-day month)"),
        ));
    }
    if !status.work_started() {
        return Err(AppError::conflict(format!(
            "hours can be reported only for an ACTIVE or COMPLETED assignment; this one is {status}"
        )));
    }
    if month < first_of_month(start) {
        return Err(AppError::invalid(
            "month",
            format!("is before the assignment's first month, {}", month_key(start)),
        ));
    }
    if month > first_of_month(end) {
        return Err(AppError::invalid("month", format!("is after the assignment's last month, {}", month_key(end))));
    }
    if month > first_of_month(today) {
        return Err(AppError::invalid(
            "month",
            format!("is in the future; the latest month that can be reported is {}", month_key(today)),
        ));
    }
    Ok(())
}

impl Services {
    /// The expert, an officer of the expert's municipality, or an admin reports the hours delivered in one month;
    /// a month reported before gets the new figure. Audited with the figure before and after.
    pub async fn report_hours(
        &self,
        p: Option<&Principal>,
        assignment_id: Uuid,
        month: &str,
        hours: i32,
    ) -> AppResult<HoursReportRow> {
        let principal = require(p)?;
        let mut tx = self.db.begin().await?;
        let a = found(store::hours::target_for_update(&mut tx.conn(), assignment_id).await?, "assignment")?;
        let expert = Target::expert(a.expert_municipality_id, a.expert_id);
        let seen = sees_assignment(p, a.need_municipality_id, expert);
        check_object(p, Op::ReportHours, expert, seen, "assignment")?;
        let month_start = parse_month(month.trim(), "month")?;
        let status: AssignmentStatus = a.status;
        check_report(status, a.start_date, a.end_date, month_start, hours, Utc::now().date_naive())?;
        let key = month_key(month_start);
        let before = store::hours::get(&mut tx.conn(), assignment_id, &key).await?;
        let t = now();
        let row = HoursReportRow {
            assignment_id,
            month: key,
            hours,
            reported_by: Some(principal.user_id),
            created_at: t,
            updated_at: t,
        };
        let stored = store::hours::upsert(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "hours.report", assignment_id, before.as_ref().and_then(snapshot), snapshot(&stored))
            .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// An assignment's monthly reports, oldest month first, for whoever may see the assignment (the scoping of
    /// the assignment list: coordinators and admins all; officers their own side's; experts their own).
    pub async fn hours_reports(&self, p: Option<&Principal>, assignment_id: Uuid) -> AppResult<Vec<HoursReportRow>> {
        self.assignment(p, assignment_id).await?;
        let mut c = self.db.acquire().await?;
        store::hours::of_assignment(&mut c.conn(), assignment_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
    }

    fn field_of(r: AppResult<impl std::fmt::Debug>) -> String {
        match r {
            Err(e) => e.field().unwrap_or(e.code()).to_string(),
            Ok(v) => panic!("expected an error, got {v:?}"),
        }
    }

    #[test]
    fn months_parse_only_in_the_yyyy_mm_form() {
        assert_eq!(parse_month("2027-03", "month").expect("valid"), d(2027, 3, 1));
        assert_eq!(parse_month("2027-12", "month").expect("valid"), d(2027, 12, 1));
        for bad in
            ["2027-3", "2027-13", "2027-00", "27-03", "2027/03", "2027-03-01", "", "２０２７-03", "0000-01", "+202-03"]
        {
            assert_eq!(field_of(parse_month(bad, "month")), "month", "{bad:?}");
        }
    }

    #[test]
    fn month_keys_are_zero_padded() {
        assert_eq!(month_key(d(2027, 3, 31)), "2027-03");
        assert_eq!(first_of_month(d(2027, 3, 31)), d(2027, 3, 1));
    }

    #[test]
    fn a_report_must_fit_the_assignment_and_today() {
        let s = AssignmentStatus::Active;
        let (start, end, today) = (d(2027, 2, 15), d(2027, 6, 10), d(2027, 4, 20));
        assert!(check_report(s, start, end, d(2027, 2, 1), 10, today).is_ok(), "the start month counts");
        assert!(check_report(s, start, end, d(2027, 4, 1), 744, today).is_ok(), "the current month counts");
        assert!(check_report(AssignmentStatus::Completed, start, end, d(2027, 3, 1), 0, today).is_ok());
        assert_eq!(field_of(check_report(s, start, end, d(2027, 1, 1), 10, today)), "month");
        assert_eq!(field_of(check_report(s, start, end, d(2027, 5, 1), 10, today)), "month", "in the future");
        assert_eq!(field_of(check_report(s, start, end, d(2027, 7, 1), 10, d(2028, 1, 1))), "month", "after the end");
        assert_eq!(field_of(check_report(s, start, end, d(2027, 3, 1), 745, today)), "hours");
        assert_eq!(field_of(check_report(s, start, end, d(2027, 3, 1), -1, today)), "hours");
    }

    #[test]
    fn only_work_under_way_or_done_takes_hours() {
        let (start, end, today) = (d(2027, 2, 15), d(2027, 6, 10), d(2027, 4, 20));
        for status in AssignmentStatus::ALL.iter().copied() {
            let r = check_report(status, start, end, d(2027, 3, 1), 10, today);
            if status.work_started() {
                assert!(r.is_ok(), "{status}");
            } else {
                let e = r.expect_err("refused");
                assert_eq!(e.code(), "CONFLICT", "{status}");
                assert!(e.to_string().contains(status.as_str()), "names the status: {e}");
            }
        }
    }
}
