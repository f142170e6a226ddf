//! The network around the pool (docs/network.md), pure: its vocabulary, what clients send, and the rules of
//! information sessions (who gets a seat and who waits) and of reception places over time.

use async_graphql::InputObject;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

use super::enums::text_enum;
use super::input::{MAX_LONG_TEXT, MAX_TEXT, email, optional_text, required_text};
use super::{AppError, AppResult};

text_enum!(
    /// How far a municipality takes part in the network.
    MembershipStatus {
        /// Willing, not yet giving.
        Interested => "INTERESTED",
        /// Giving expertise, money or hosting.
        Active => "ACTIVE",
        /// Not giving for now.
        Paused => "PAUSED",
    }
);

text_enum!(
    /// What kind of existing relation two municipalities have.
    TieKind {
        /// A formal partnership.
        Partnership => "PARTNERSHIP",
        /// An earlier project together.
        EarlierProject => "EARLIER_PROJECT",
        /// Personal contacts between staff or councils.
        PersonalContacts => "PERSONAL_CONTACTS",
    }
);

text_enum!(
    /// How an information session is held.
    SessionMode {
        /// At a place only.
        InPerson => "IN_PERSON",
        /// Online only.
        Online => "ONLINE",
        /// Both at a place and online.
        Hybrid => "HYBRID",
    }
);

text_enum!(
    /// How one registered person attends.
    Attendance {
        /// At the place.
        InPerson => "IN_PERSON",
        /// Online.
        Online => "ONLINE",
    }
);

text_enum!(
    /// Where one registration stands.
    RegistrationStatus {
        /// Has a seat.
        Registered => "REGISTERED",
        /// On the waiting list: moves up when a seat frees.
        Waiting => "WAITING",
        /// Cancelled.
        Cancelled => "CANCELLED",
    }
);

text_enum!(
    /// What a request for help beyond expertise asks for.
    HelpKind {
        /// Goods: generators, equipment, vehicles, …
        Material => "MATERIAL",
        /// Money.
        Financial => "FINANCIAL",
    }
);

text_enum!(
    /// Where a request for help stands.
    HelpRequestStatus {
        /// Waiting for offers.
        Open => "OPEN",
        /// The requesting municipality agreed to an offer.
        Agreed => "AGREED",
        /// Closed by the requesting municipality.
        Closed => "CLOSED",
    }
);

text_enum!(
    /// Where an offer of help stands.
    HelpOfferStatus {
        /// Made; waits for the requesting municipality.
        Offered => "OFFERED",
        /// Taken up by the requesting municipality.
        Agreed => "AGREED",
        /// Turned down by the requesting municipality.
        Declined => "DECLINED",
        /// Taken back by the offering municipality.
        Withdrawn => "WITHDRAWN",
    }
);

text_enum!(
    /// What a forum topic is.
    PostKind {
        /// Something a municipality does or plans.
        Initiative => "INITIATIVE",
        /// A question to the others.
        Question => "QUESTION",
        /// A tip.
        Tip => "TIP",
        /// An answer to a topic.
        Answer => "ANSWER",
        /// A coordinators' announcement to every participating municipality.
        Announcement => "ANNOUNCEMENT",
    }
);

impl SessionMode {
    /// Whether a session held this way takes people attending `a`.
    pub fn takes(self, a: Attendance) -> bool {
        matches!(
            (self, a),
            (SessionMode::Hybrid, _)
                | (SessionMode::InPerson, Attendance::InPerson)
                | (SessionMode::Online, Attendance::Online)
        )
    }
}

/// Whether a new registration gets a seat: while fewer than `capacity` hold one.
pub fn seat_for(registered: i64, capacity: i32) -> RegistrationStatus {
    if registered < i64::from(capacity) { RegistrationStatus::Registered } else { RegistrationStatus::Waiting }
}

/// A local time in the Netherlands (Europe/Amsterdam) as UTC; bad input naming `field` when the clock skips it
/// (the spring change). An autumn time that occurs twice is read as the first.
pub fn amsterdam_to_utc(field: &str, local: NaiveDateTime) -> AppResult<DateTime<Utc>> {
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::invalid(field, "does not exist in the Netherlands (the clock skips it)"))
}

/// A UTC time as the Netherlands reads it, e.g. `2026-10-04 14:00 CEST`.
pub fn amsterdam_label(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam).format("%Y-%m-%d %H:%M %Z").to_string()
}

/// An information session as a coordinator creates it. Times are local Dutch time (Europe/Amsterdam).
#[derive(InputObject, Debug, Clone)]
pub struct InfoSessionInput {
    /// The title in English.
    pub title_en: String,
    /// The title in Dutch (English when empty).
    pub title_nl: Option<String>,
    /// The title in Ukrainian (English when empty).
    pub title_uk: Option<String>,
    /// The description in English.
    pub description_en: String,
    /// The description in Dutch (English when empty).
    pub description_nl: Option<String>,
    /// The description in Ukrainian (English when empty).
    pub description_uk: Option<String>,
    /// Start, local Dutch time, e.g. 2026-10-04T14:00:00.
    pub starts_at: NaiveDateTime,
    /// End, local Dutch time.
    pub ends_at: NaiveDateTime,
    /// IN_PERSON, ONLINE or HYBRID.
    pub mode: SessionMode,
    /// The address, for IN_PERSON and HYBRID.
    pub place: Option<String>,
    /// The meeting link (https), for ONLINE and HYBRID; shown only to registered people.
    pub online_link: Option<String>,
    /// Seats at the place (0 when not held there).
    #[graphql(default)]
    pub capacity_in_person: i32,
    /// Seats online (0 when not held online).
    #[graphql(default)]
    pub capacity_online: i32,
    /// Last moment to register, local Dutch time (at the latest the start).
    pub registration_deadline: NaiveDateTime,
}

/// A checked session.
#[derive(Debug, Clone)]
pub struct InfoSession {
    pub titles: [String; 3],
    pub descriptions: [String; 3],
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: SessionMode,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub capacity_in_person: i32,
    pub capacity_online: i32,
    pub registration_deadline: DateTime<Utc>,
}

/// The largest number of seats of one kind.
pub const MAX_SEATS: i32 = 10_000;

impl InfoSessionInput {
    pub fn validate(&self) -> AppResult<InfoSession> {
        let title_en = required_text("titleEn", &self.title_en, MAX_TEXT)?;
        let description_en = required_text("descriptionEn", &self.description_en, MAX_LONG_TEXT)?;
        let or_en = |field: &str, v: &Option<String>, en: &str, max| -> AppResult<String> {
            Ok(optional_text(field, v.as_deref(), max)?.unwrap_or_else(|| en.to_string()))
        };
        let titles = [
            title_en.clone(),
            or_en("titleNl", &self.title_nl, &title_en, MAX_TEXT)?,
            or_en("titleUk", &self.title_uk, &title_en, MAX_TEXT)?,
        ];
        let descriptions = [
            description_en.clone(),
            or_en("descriptionNl", &self.description_nl, &description_en, MAX_LONG_TEXT)?,
            or_en("descriptionUk", &self.description_uk, &description_en, MAX_LONG_TEXT)?,
        ];
        let starts_at = amsterdam_to_utc("startsAt", self.starts_at)?;
        let ends_at = amsterdam_to_utc("endsAt", self.ends_at)?;
        if ends_at <= starts_at {
            return Err(AppError::invalid("endsAt", "must be after the start"));
        }
        let registration_deadline = amsterdam_to_utc("registrationDeadline", self.registration_deadline)?;
        if registration_deadline > starts_at {
            return Err(AppError::invalid("registrationDeadline", "must not be after the start"));
        }
        let place = optional_text("place", self.place.as_deref(), MAX_TEXT)?;
        let online_link = optional_text("onlineLink", self.online_link.as_deref(), 500)?;
        if let Some(link) = &online_link {
            let ok = url::Url::parse(link).is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
            if !ok {
                return Err(AppError::invalid("onlineLink", "must be an https:// link"));
            }
        }
        let (at_place, online) = (self.mode.takes(Attendance::InPerson), self.mode.takes(Attendance::Online));
        for (field, seats, used) in
            [("capacityInPerson", self.capacity_in_person, at_place), ("capacityOnline", self.capacity_online, online)]
        {
            if !(0..=MAX_SEATS).contains(&seats) {
                return Err(AppError::invalid(field, format!("must be between 0 and {MAX_SEATS}")));
            }
            if used && seats == 0 {
                return Err(AppError::invalid(field, "must be at least 1 for a session held this way"));
            }
            if !used && seats > 0 {
                return Err(AppError::invalid(field, "must be 0: the session is not held this way"));
            }
        }
        if at_place && place.is_none() {
            return Err(AppError::invalid("place", "is required for a session held at a place"));
        }
        if online && online_link.is_none() {
            return Err(AppError::invalid("onlineLink", "is required for a session held online"));
        }
        Ok(InfoSession {
            titles,
            descriptions,
            starts_at,
            ends_at,
            mode: self.mode,
            place: if at_place { place } else { None },
            online_link: if online { online_link } else { None },
            capacity_in_person: self.capacity_in_person,
            capacity_online: self.capacity_online,
            registration_deadline,
        })
    }
}

/// One person an officer registers.
#[derive(InputObject, Debug, Clone)]
pub struct AttendeeInput {
    /// The person's name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
    /// IN_PERSON or ONLINE (as the session is held).
    pub attendance: Attendance,
}

impl AttendeeInput {
    /// (name, e-mail), naming fields under `prefix` (e.g. `people[1].`).
    pub fn validate(&self, prefix: &str) -> AppResult<(String, String)> {
        Ok((
            required_text(&format!("{prefix}name"), &self.name, MAX_TEXT)?,
            email(&format!("{prefix}email"), &self.email)?,
        ))
    }
}

/// A municipality's participation in the network.
#[derive(InputObject, Debug, Clone)]
pub struct MembershipInput {
    /// INTERESTED, ACTIVE or PAUSED.
    pub status: MembershipStatus,
    /// It lends staff experts.
    #[graphql(default)]
    pub offers_expertise: bool,
    /// It gives money to the fund.
    #[graphql(default)]
    pub offers_money: bool,
    /// It hosts Ukrainian colleagues.
    #[graphql(default)]
    pub offers_hosting: bool,
    /// Skill categories of the skill list it can lend expertise in (e.g. WATER, ENERGY).
    #[graphql(default)]
    pub skill_areas: Vec<String>,
    /// A note for the coordinators.
    pub note: Option<String>,
}

/// A contact person of a member municipality.
#[derive(InputObject, Debug, Clone)]
pub struct ContactInput {
    /// Their name.
    pub name: String,
    /// Their role, e.g. "Coordinator international affairs".
    pub role_title: String,
    /// Their e-mail address.
    pub email: String,
    /// Their phone number.
    pub phone: Option<String>,
}

/// An existing relation between a contributing and a Ukrainian municipality.
#[derive(InputObject, Debug, Clone)]
pub struct TieInput {
    /// The contributing (Dutch or partner) municipality.
    pub contributing_municipality_id: async_graphql::ID,
    /// The Ukrainian municipality.
    pub recovering_municipality_id: async_graphql::ID,
    /// PARTNERSHIP, EARLIER_PROJECT or PERSONAL_CONTACTS.
    pub kind: TieKind,
    /// Since when.
    pub since: Option<NaiveDate>,
    /// Whom to ask about it.
    pub contact: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// A reception location for displaced people.
#[derive(InputObject, Debug, Clone)]
pub struct ReceptionOfferInput {
    /// The location's name.
    pub location_name: String,
    /// Its address.
    pub address: Option<String>,
    /// Places offered (more than zero).
    pub places: i32,
    /// Available from.
    pub available_from: NaiveDate,
    /// Open-ended when empty.
    pub available_until: Option<NaiveDate>,
    /// Notes on whom the location suits (families, elderly people, …).
    pub target_group: Option<String>,
    /// The municipal contact person (coordinators and admins see them).
    pub contact_name: String,
    /// The contact person's e-mail address.
    pub contact_email: String,
    /// The contact person's phone number.
    pub contact_phone: Option<String>,
}

/// The most places one location may offer.
pub const MAX_PLACES: i32 = 100_000;

impl ReceptionOfferInput {
    pub fn validate(&self) -> AppResult<ReceptionOfferInput> {
        if !(1..=MAX_PLACES).contains(&self.places) {
            return Err(AppError::invalid("places", format!("must be between 1 and {MAX_PLACES}")));
        }
        if self.available_until.is_some_and(|u| u < self.available_from) {
            return Err(AppError::invalid("availableUntil", "must not be before availableFrom"));
        }
        Ok(ReceptionOfferInput {
            location_name: required_text("locationName", &self.location_name, MAX_TEXT)?,
            address: optional_text("address", self.address.as_deref(), MAX_TEXT)?,
            places: self.places,
            available_from: self.available_from,
            available_until: self.available_until,
            target_group: optional_text("targetGroup", self.target_group.as_deref(), MAX_LONG_TEXT)?,
            contact_name: required_text("contactName", &self.contact_name, MAX_TEXT)?,
            contact_email: email("contactEmail", &self.contact_email)?,
            contact_phone: optional_text("contactPhone", self.contact_phone.as_deref(), 40)?,
        })
    }
}

/// The Monday of the week `d` falls in.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Places available per week: for each of `weeks` weeks from the week of `from`, the sum of the places of the
/// offers (from, until, places) available on that week's Monday.
pub fn places_per_week(
    offers: &[(NaiveDate, Option<NaiveDate>, i32)],
    from: NaiveDate,
    weeks: u32,
) -> Vec<(NaiveDate, i64)> {
    let first = week_of(from);
    (0..weeks)
        .map(|w| {
            let monday = first + Days::new(7 * u64::from(w));
            let sum = offers
                .iter()
                .filter(|(f, u, _)| *f <= monday && u.is_none_or(|u| u >= monday))
                .map(|(_, _, p)| i64::from(*p))
                .sum();
            (monday, sum)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn dutch_local_times_become_utc_across_summer_time() {
        let summer = d(2026, 10, 4).and_hms_opt(14, 0, 0).expect("a time");
        assert_eq!(amsterdam_to_utc("startsAt", summer).expect("exists").to_rfc3339(), "2026-10-04T12:00:00+00:00");
        let winter = d(2026, 12, 4).and_hms_opt(14, 0, 0).expect("a time");
        assert_eq!(amsterdam_to_utc("startsAt", winter).expect("exists").to_rfc3339(), "2026-12-04T13:00:00+00:00");
        let skipped = d(2026, 3, 29).and_hms_opt(2, 30, 0).expect("a time");
        assert_eq!(amsterdam_to_utc("startsAt", skipped).expect_err("skipped").field(), Some("startsAt"));
        assert_eq!(amsterdam_label(amsterdam_to_utc("s", summer).expect("exists")), "2026-10-04 14:00 CEST");
    }

    #[test]
    fn a_seat_while_there_is_one_then_the_waiting_list() {
        assert_eq!(seat_for(9, 10), RegistrationStatus::Registered);
        assert_eq!(seat_for(10, 10), RegistrationStatus::Waiting);
        assert_eq!(seat_for(0, 0), RegistrationStatus::Waiting);
        assert!(SessionMode::Hybrid.takes(Attendance::Online) && !SessionMode::InPerson.takes(Attendance::Online));
    }

    #[test]
    fn places_count_in_the_weeks_their_offer_is_open() {
        let offers = [(d(2026, 1, 1), Some(d(2026, 1, 20)), 10), (d(2026, 1, 12), None, 5)];
        let weeks = places_per_week(&offers, d(2026, 1, 7), 4);
        assert_eq!(weeks, vec![(d(2026, 1, 5), 10), (d(2026, 1, 12), 15), (d(2026, 1, 19), 15), (d(2026, 1, 26), 5)]);
    }
}
