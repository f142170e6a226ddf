//! Information sessions (docs/network.md): coordinators create them; municipal officers register people of their
//! own municipality, at the place or online. A full way of attending puts newcomers on a waiting list that moves
//! up, oldest first, when a seat frees. Registering is decided under the session's lock, so the last seats are
//! never given twice. The confirmation and the reminder the day before carry an iCalendar invitation.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Component, EventLike};
use uuid::Uuid;

use super::notifications::texts::Text;
use super::notifications::{Audience, MailAttachment, Notice, record_with_attachment};
use super::sheet::{SheetFile, SheetFormat};
use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{self, Op, Target, check, require};
use crate::domain::network::{
    Attendance, AttendeeInput, InfoSessionInput, RegistrationStatus, SessionMode, amsterdam_label, seat_for,
};
use crate::domain::{AppError, AppResult, new_id};
use crate::store::network::{RegistrationRow, SessionRow};
use crate::store::{self, Conn};

/// The most people one request registers.
pub const MAX_PEOPLE: usize = 50;

/// A session as an iCalendar file (one event), e.g. for a calendar application.
pub fn calendar(s: &SessionRow, with_link: bool) -> String {
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@recovery-pool", s.id))
        .summary(&s.title_en)
        .description(&s.description_en)
        .starts(s.starts_at)
        .ends(s.ends_at)
        .timestamp(s.created_at);
    let link = s.online_link.as_ref().filter(|_| with_link);
    let location = match (&s.place, link) {
        (Some(place), Some(link)) => Some(format!("{place} / {link}")),
        (Some(place), None) => Some(place.clone()),
        (None, Some(link)) => Some(link.clone()),
        (None, None) => None,
    };
    if let Some(l) = location {
        event.location(l.as_str());
    }
    if let Some(link) = link {
        event.url(link);
    }
    icalendar::Calendar::new().name("recovery-pool").push(event.done()).done().to_string()
}

fn invitation(s: &SessionRow) -> MailAttachment {
    MailAttachment {
        name: "invitation.ics".into(),
        media_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
        body: calendar(s, true),
    }
}

fn seats(s: &SessionRow, a: Attendance) -> i32 {
    match a {
        Attendance::InPerson => s.capacity_in_person,
        Attendance::Online => s.capacity_online,
    }
}

impl Services {
    /// A coordinator creates an information session.
    pub async fn create_info_session(&self, p: Option<&Principal>, input: &InfoSessionInput) -> AppResult<SessionRow> {
        let me = require(p)?;
        check(p, Op::ManageInfoSessions, Target::NONE)?;
        let v = input.validate()?;
        let [title_en, title_nl, title_uk] = v.titles;
        let [description_en, description_nl, description_uk] = v.descriptions;
        let row = SessionRow {
            id: new_id(),
            title_en,
            title_nl,
            title_uk,
            description_en,
            description_nl,
            description_uk,
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            mode: v.mode,
            place: v.place,
            online_link: v.online_link,
            capacity_in_person: v.capacity_in_person,
            capacity_online: v.capacity_online,
            registration_deadline: v.registration_deadline,
            created_by: Some(me.user_id),
            created_at: now(),
            reminded_at: None,
        };
        let mut tx = self.db.begin().await?;
        store::network::insert_session(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "session.create", row.id, None, snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Changes a session's seats: never below the seats already given; more seats move the waiting list up.
    pub async fn set_session_capacity(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        in_person: i32,
        online: i32,
    ) -> AppResult<SessionRow> {
        let me = require(p)?;
        check(p, Op::ManageInfoSessions, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::network::session_for_update(&mut tx.conn(), id).await?, "information session")?;
        let mode: SessionMode = before.mode;
        let after = SessionRow { capacity_in_person: in_person, capacity_online: online, ..before.clone() };
        for (field, a) in [("capacityInPerson", Attendance::InPerson), ("capacityOnline", Attendance::Online)] {
            let wanted = seats(&after, a);
            if !(0..=crate::domain::network::MAX_SEATS).contains(&wanted)
                || (mode.takes(a) && wanted == 0)
                || (!mode.takes(a) && wanted > 0)
            {
                return Err(AppError::invalid(
                    field,
                    "must fit the way the session is held (at least 1 where it is held, 0 elsewhere)",
                ));
            }
            let taken = store::network::registered_count(&mut tx.conn(), id, a).await?;
            if i64::from(wanted) < taken {
                return Err(AppError::invalid(field, format!("is below the {taken} seats already given")));
            }
        }
        store::network::set_capacity(&mut tx.conn(), id, in_person, online).await?;
        audit(&mut tx.conn(), p, "session.set_capacity", id, snapshot(&before), snapshot(&after)).await?;
        let mut notices = Vec::new();
        for a in [Attendance::InPerson, Attendance::Online] {
            notices.extend(self.move_up(&mut tx.conn(), p, &after, a).await?);
        }
        let rows = record_with_attachment(
            &mut tx.conn(),
            &self.settings.public_url,
            Some(me.user_id),
            &notices,
            Some(&invitation(&after)),
        )
        .await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }

    /// Fills free seats in one way of attending from the waiting list, oldest first; the notices to send.
    async fn move_up(
        &self,
        conn: &mut Conn<'_>,
        p: Option<&Principal>,
        s: &SessionRow,
        a: Attendance,
    ) -> AppResult<Vec<Notice>> {
        let taken = store::network::registered_count(conn, s.id, a).await?;
        let free = i64::from(seats(s, a)) - taken;
        if free <= 0 {
            return Ok(Vec::new());
        }
        let mut notices = Vec::new();
        for w in store::network::first_waiting(conn, s.id, a, free).await? {
            store::network::set_registration_status(conn, w.id, RegistrationStatus::Registered, now()).await?;
            let after = RegistrationRow { status: RegistrationStatus::Registered, ..w.clone() };
            audit(conn, p, "registration.promote", w.id, snapshot(&w), snapshot(&after)).await?;
            notices.push(self.registration_notice(s, &after, "session.promoted"));
        }
        Ok(notices)
    }

    fn registration_notice(&self, s: &SessionRow, r: &RegistrationRow, kind: &str) -> Notice {
        Notice {
            kind: kind.into(),
            title: Text::new(match kind {
                "session.promoted" => "session.promoted.title",
                "session.waiting" => "session.waiting.title",
                _ => "session.registered.title",
            })
            .with("name", &r.person_name)
            .with("title", &s.title_en),
            body: Text::new("session.registered.body")
                .with("when", amsterdam_label(s.starts_at))
                .with("attendance", r.attendance),
            object_type: "session",
            object_id: s.id,
            audience: r.registered_by.map(|u| vec![Audience::Users(vec![u])]).unwrap_or_default(),
        }
    }

    /// Registers people of a municipality for a session, each at the place or online, before the deadline. Each
    /// gets a seat while there is one in their way of attending, else a place on the waiting list. The
    /// registering officer gets the confirmation with the calendar invitation.
    pub async fn register_for_session(
        &self,
        p: Option<&Principal>,
        session_id: Uuid,
        municipality_id: Uuid,
        people: &[AttendeeInput],
    ) -> AppResult<Vec<RegistrationRow>> {
        let me = require(p)?;
        check(p, Op::RegisterForSession, Target::municipality(municipality_id))?;
        if people.is_empty() || people.len() > MAX_PEOPLE {
            return Err(AppError::invalid("people", format!("name between 1 and {MAX_PEOPLE} people")));
        }
        let mut checked = Vec::new();
        for (i, person) in people.iter().enumerate() {
            checked.push((person.validate(&format!("people[{i}]."))?, person.attendance));
        }
        let mut tx = self.db.begin().await?;
        let s = found(store::network::session_for_update(&mut tx.conn(), session_id).await?, "information session")?;
        if now() > s.registration_deadline {
            return Err(AppError::invalid(
                "sessionId",
                format!("registration closed on {}", amsterdam_label(s.registration_deadline)),
            ));
        }
        let mode: SessionMode = s.mode;
        if store::municipality::get(&mut tx.conn(), municipality_id).await?.is_none() {
            return Err(AppError::invalid("municipalityId", "no such municipality"));
        }
        let mut rows = Vec::new();
        let mut notices = Vec::new();
        for (i, ((name, email), attendance)) in checked.into_iter().enumerate() {
            if !mode.takes(attendance) {
                return Err(AppError::invalid(
                    format!("people[{i}].attendance"),
                    format!("the session is held {}", s.mode),
                ));
            }
            let taken = store::network::registered_count(&mut tx.conn(), session_id, attendance).await?;
            let status = seat_for(taken, seats(&s, attendance));
            let row = RegistrationRow {
                id: new_id(),
                session_id,
                municipality_id,
                person_name: name,
                email,
                attendance,
                status,
                registered_by: Some(me.user_id),
                created_at: now(),
                cancelled_at: None,
                promoted_at: None,
            };
            store::network::insert_registration(&mut tx.conn(), &row).await?;
            audit(&mut tx.conn(), p, "registration.create", row.id, None, snapshot(&row)).await?;
            let kind = if status == RegistrationStatus::Registered { "session.registered" } else { "session.waiting" };
            notices.push(self.registration_notice(&s, &row, kind));
            rows.push(row);
        }
        // The officer registering is the actor; they still get their confirmation.
        let recorded =
            record_with_attachment(&mut tx.conn(), &self.settings.public_url, None, &notices, Some(&invitation(&s)))
                .await?;
        tx.commit().await?;
        self.after_commit(recorded);
        Ok(rows)
    }

    /// Cancels a registration (its municipality's officers, coordinators); a freed seat goes to the oldest
    /// waiting registration in the same way of attending.
    pub async fn cancel_registration(&self, p: Option<&Principal>, id: Uuid) -> AppResult<RegistrationRow> {
        require(p)?;
        let mut tx = self.db.begin().await?;
        // Find the session, lock it (registrations queue behind it), then read the registration again under the lock.
        let r0 = found(store::network::registration(&mut tx.conn(), id).await?, "registration")?;
        check(p, Op::RegisterForSession, Target::municipality(r0.municipality_id))?;
        let s = found(store::network::session_for_update(&mut tx.conn(), r0.session_id).await?, "information session")?;
        let before = found(store::network::registration(&mut tx.conn(), id).await?, "registration")?;
        if before.status == RegistrationStatus::Cancelled {
            return Err(AppError::conflict("this registration is already cancelled"));
        }
        store::network::set_registration_status(&mut tx.conn(), id, RegistrationStatus::Cancelled, now()).await?;
        let after =
            RegistrationRow { status: RegistrationStatus::Cancelled, cancelled_at: Some(now()), ..before.clone() };
        audit(&mut tx.conn(), p, "registration.cancel", id, snapshot(&before), snapshot(&after)).await?;
        let notices = self.move_up(&mut tx.conn(), p, &s, before.attendance).await?;
        let rows =
            record_with_attachment(&mut tx.conn(), &self.settings.public_url, None, &notices, Some(&invitation(&s)))
                .await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }

    /// Sessions not yet over, soonest first (anyone signed in).
    pub async fn info_sessions(&self, p: Option<&Principal>) -> AppResult<Vec<SessionRow>> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::network::sessions(&mut c.conn(), now() - Duration::days(1)).await
    }

    /// One session's registrations the caller sees: all for coordinators, their own municipality's for officers.
    pub async fn session_registrations(
        &self,
        p: Option<&Principal>,
        session_id: Uuid,
    ) -> AppResult<Vec<RegistrationRow>> {
        let me = require(p)?;
        let scope = if policy::allows(p, Op::ManageInfoSessions, Target::NONE) {
            None
        } else {
            Some(me.municipality_id.unwrap_or_else(Uuid::nil))
        };
        let mut c = self.db.acquire().await?;
        store::network::registrations(&mut c.conn(), session_id, scope).await
    }

    /// Whether the caller sees the session's online link: coordinators, and officers of a municipality with a
    /// seat in it.
    pub async fn sees_online_link(&self, p: Option<&Principal>, session_id: Uuid) -> AppResult<bool> {
        if policy::allows(p, Op::ManageInfoSessions, Target::NONE) {
            return Ok(true);
        }
        let Some(m) = p.and_then(|p| p.municipality_id) else { return Ok(false) };
        let mut c = self.db.acquire().await?;
        let rows = store::network::registrations(&mut c.conn(), session_id, Some(m)).await?;
        Ok(rows.iter().any(|r| r.status == RegistrationStatus::Registered))
    }

    /// The attendee list as CSV (coordinators).
    pub async fn attendee_sheet(&self, p: Option<&Principal>, session_id: Uuid) -> AppResult<SheetFile> {
        check(p, Op::ManageInfoSessions, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let regs = store::network::registrations(&mut c.conn(), session_id, None).await?;
        let ids: Vec<Uuid> = regs.iter().map(|r| r.municipality_id).collect();
        let municipalities = store::municipality::by_ids(&mut c.conn(), &ids).await?;
        let rows: Vec<Vec<String>> = regs
            .iter()
            .map(|r| {
                let m = municipalities
                    .iter()
                    .find(|m| m.id == r.municipality_id)
                    .map(|m| m.name.clone())
                    .unwrap_or_default();
                vec![
                    r.person_name.clone(),
                    r.email.clone(),
                    m,
                    r.attendance.to_string(),
                    r.status.to_string(),
                    r.created_at.to_rfc3339(),
                ]
            })
            .collect();
        super::sheet::write(
            SheetFormat::Csv,
            "attendees",
            &["Name", "E-mail", "Municipality", "Attendance", "Status", "Registered at"],
            &rows,
        )
    }

    /// Reminds the registering officers of sessions starting within a day, once (the hourly job).
    pub async fn remind_sessions_once(&self, at: DateTime<Utc>) -> AppResult<usize> {
        let mut tx = self.db.begin().await?;
        let due = store::network::sessions_to_remind(&mut tx.conn(), at, at + Duration::days(1)).await?;
        let mut all = Vec::new();
        for s in &due {
            store::network::mark_session_reminded(&mut tx.conn(), s.id, at).await?;
            let regs = store::network::registrations(&mut tx.conn(), s.id, None).await?;
            let mut officers: Vec<Uuid> = regs
                .iter()
                .filter(|r| r.status == RegistrationStatus::Registered)
                .filter_map(|r| r.registered_by)
                .collect();
            officers.sort();
            officers.dedup();
            let notice = Notice {
                kind: "session.reminder".into(),
                title: Text::new("session.reminder.title").with("title", &s.title_en),
                body: Text::new("session.reminder.body").with("when", amsterdam_label(s.starts_at)),
                object_type: "session",
                object_id: s.id,
                audience: vec![Audience::Users(officers)],
            };
            all.extend(
                record_with_attachment(
                    &mut tx.conn(),
                    &self.settings.public_url,
                    None,
                    &[notice],
                    Some(&invitation(s)),
                )
                .await?,
            );
        }
        tx.commit().await?;
        self.after_commit(all);
        Ok(due.len())
    }
}
