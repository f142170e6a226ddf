//! The network around the pool in the API (docs/network.md): participation and contacts, ties, information
//! sessions with registrations, and reception locations.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::reference::Municipality;
use super::sheets::SpreadsheetFile;
use super::{load_one, parse_id};
use crate::auth::policy::{self, Op, Target};
use crate::domain::Side;
use crate::domain::network::{
    Attendance, AttendeeInput, ContactInput, InfoSessionInput, MembershipInput, MembershipStatus, ReceptionOfferInput,
    RegistrationStatus, SessionMode, TieInput, TieKind, amsterdam_label,
};
use crate::store::network::{ContactRow, MemberRow, ReceptionRow, RegistrationRow, SessionRow, TieRow};

async fn municipality(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Municipality> {
    load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(Municipality)
}

/// A municipality's participation in the network.
pub struct Membership {
    row: MemberRow,
    contacts: Vec<ContactRow>,
}

/// A municipality's participation in the network: what it offers and whom to call.
#[Object]
impl Membership {
    /// The member municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        municipality(ctx, self.row.municipality_id).await
    }
    /// INTERESTED, ACTIVE or PAUSED.
    async fn status(&self) -> MembershipStatus {
        self.row.status
    }
    /// It lends staff experts.
    async fn offers_expertise(&self) -> bool {
        self.row.offers_expertise
    }
    /// It gives money to the fund.
    async fn offers_money(&self) -> bool {
        self.row.offers_money
    }
    /// It hosts Ukrainian colleagues.
    async fn offers_hosting(&self) -> bool {
        self.row.offers_hosting
    }
    /// Skill categories it can lend expertise in.
    async fn skill_areas(&self) -> Vec<String> {
        self.row.skill_areas.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
    /// A note on its participation.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
    /// Its contact persons.
    async fn contacts(&self) -> Vec<NetworkContact> {
        self.contacts.iter().cloned().map(NetworkContact).collect()
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

/// A contact person of a member municipality.
pub struct NetworkContact(ContactRow);

/// A contact person of a member municipality.
#[Object]
impl NetworkContact {
    /// The contact's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Their name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Their role in the municipality.
    async fn role_title(&self) -> &str {
        &self.0.role_title
    }
    /// Their e-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Their phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}

/// An existing relation between a contributing and a Ukrainian municipality.
pub struct Tie(TieRow);

/// An existing relation between a contributing and a Ukrainian municipality; once the other side confirms it,
/// it counts as continuity in the matching.
#[Object]
impl Tie {
    /// The tie's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The contributing municipality.
    async fn contributing_municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        municipality(ctx, self.0.contributing_municipality_id).await
    }
    /// The Ukrainian municipality.
    async fn recovering_municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        municipality(ctx, self.0.recovering_municipality_id).await
    }
    /// PARTNERSHIP, EARLIER_PROJECT or PERSONAL_CONTACTS.
    async fn kind(&self) -> TieKind {
        self.0.kind
    }
    /// Since when.
    async fn since(&self) -> Option<NaiveDate> {
        self.0.since
    }
    /// Whom to ask about it.
    async fn contact(&self) -> Option<&str> {
        self.0.contact.as_deref()
    }
    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// CONTRIBUTING or RECOVERING: the side that entered it (the other confirms).
    async fn entered_by_side(&self) -> Side {
        self.0.entered_by_side
    }
    /// When the other side confirmed it; null while unconfirmed.
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.confirmed_at
    }
}

/// An information session.
pub struct InfoSession(SessionRow);

/// An information session: hybrid, at a place or online.
#[Object]
impl InfoSession {
    /// The session's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The title in the reader's language (`language`: en, nl or uk; English by default).
    async fn title(&self, #[graphql(desc = "en, nl or uk.")] language: Option<String>) -> &str {
        match language.as_deref() {
            Some("nl") => &self.0.title_nl,
            Some("uk") => &self.0.title_uk,
            _ => &self.0.title_en,
        }
    }
    /// The description in the reader's language.
    async fn description(&self, #[graphql(desc = "en, nl or uk.")] language: Option<String>) -> &str {
        match language.as_deref() {
            Some("nl") => &self.0.description_nl,
            Some("uk") => &self.0.description_uk,
            _ => &self.0.description_en,
        }
    }
    /// Start (UTC).
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    /// End (UTC).
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    /// Start as Dutch local time, e.g. "2026-10-04 14:00 CEST".
    async fn starts_local(&self) -> String {
        amsterdam_label(self.0.starts_at)
    }
    /// IN_PERSON, ONLINE or HYBRID.
    async fn mode(&self) -> SessionMode {
        self.0.mode
    }
    /// The address.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
    /// The meeting link: only for coordinators and for officers of a municipality with a seat.
    async fn online_link(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let r = rc(ctx);
        let sees = r.services.sees_online_link(r.principal(), self.0.id).await.api()?;
        Ok(sees.then(|| self.0.online_link.clone()).flatten())
    }
    /// Seats at the place.
    async fn capacity_in_person(&self) -> i32 {
        self.0.capacity_in_person
    }
    /// Seats online.
    async fn capacity_online(&self) -> i32 {
        self.0.capacity_online
    }
    /// Last moment to register (UTC).
    async fn registration_deadline(&self) -> DateTime<Utc> {
        self.0.registration_deadline
    }
    /// Whether registering is still open.
    async fn open(&self) -> bool {
        Utc::now() <= self.0.registration_deadline
    }
    /// The registrations the caller sees: all for coordinators, their own municipality's for officers.
    async fn registrations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Registration>> {
        let r = rc(ctx);
        Ok(r.services
            .session_registrations(r.principal(), self.0.id)
            .await
            .api()?
            .into_iter()
            .map(Registration)
            .collect())
    }
    /// Seats given at the place and online, and how many wait: (inPerson, online, waiting).
    async fn seats_taken(&self, ctx: &Context<'_>) -> ApiResult<SeatCount> {
        let r = rc(ctx);
        let regs = if policy::allows(r.principal(), Op::ManageInfoSessions, Target::NONE) {
            r.services.session_registrations(r.principal(), self.0.id).await.api()?
        } else {
            Vec::new()
        };
        let count = |a, s| regs.iter().filter(|x| x.attendance == a && x.status == s).count() as i64;
        use RegistrationStatus::{Registered, Waiting};
        Ok(SeatCount {
            in_person: count(Attendance::InPerson, Registered),
            online: count(Attendance::Online, Registered),
            waiting: count(Attendance::InPerson, Waiting) + count(Attendance::Online, Waiting),
        })
    }
    /// The session as an iCalendar file (.ics), with the online link for those who may see it.
    async fn calendar(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let r = rc(ctx);
        let link = r.services.sees_online_link(r.principal(), self.0.id).await.api()?;
        Ok(crate::service::info_sessions::calendar(&self.0, link))
    }
}

/// Seats taken (coordinators; zeros for others).
#[derive(SimpleObject)]
pub struct SeatCount {
    /// Seats given at the place.
    pub in_person: i64,
    /// Seats given online.
    pub online: i64,
    /// Registrations on the waiting list.
    pub waiting: i64,
}

/// One person registered for an information session.
pub struct Registration(RegistrationRow);

/// One person registered for an information session.
#[Object]
impl Registration {
    /// The registration's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The person's name.
    async fn person_name(&self) -> &str {
        &self.0.person_name
    }
    /// The person's e-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Their municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        municipality(ctx, self.0.municipality_id).await
    }
    /// IN_PERSON or ONLINE.
    async fn attendance(&self) -> Attendance {
        self.0.attendance
    }
    /// REGISTERED, WAITING or CANCELLED.
    async fn status(&self) -> RegistrationStatus {
        self.0.status
    }
    /// When they were registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A reception location for displaced people.
pub struct ReceptionOffer {
    row: ReceptionRow,
    contact: bool,
}

/// A reception location for displaced people offered by a municipality.
#[Object]
impl ReceptionOffer {
    /// The offer's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// The offering municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        municipality(ctx, self.row.municipality_id).await
    }
    /// The location's name.
    async fn location_name(&self) -> &str {
        &self.row.location_name
    }
    /// Its address.
    async fn address(&self) -> Option<&str> {
        self.row.address.as_deref()
    }
    /// Places offered.
    async fn places(&self) -> i32 {
        self.row.places
    }
    /// Available from.
    async fn available_from(&self) -> NaiveDate {
        self.row.available_from
    }
    /// Available until (null: open-ended).
    async fn available_until(&self) -> Option<NaiveDate> {
        self.row.available_until
    }
    /// Whom the location suits.
    async fn target_group(&self) -> Option<&str> {
        self.row.target_group.as_deref()
    }
    /// The municipal contact person (coordinators, admins and the municipality's officers; null for others).
    async fn contact_name(&self) -> Option<&str> {
        self.contact.then_some(self.row.contact_name.as_str())
    }
    /// The contact person's e-mail (as `contactName`).
    async fn contact_email(&self) -> Option<&str> {
        self.contact.then_some(self.row.contact_email.as_str())
    }
    /// The contact person's phone (as `contactName`).
    async fn contact_phone(&self) -> Option<&str> {
        self.contact.then_some(self.row.contact_phone.as_deref()).flatten()
    }
    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

/// Places available in one week.
#[derive(SimpleObject)]
pub struct WeekPlaces {
    /// The week's Monday.
    pub week: NaiveDate,
    /// Places of the locations available on that Monday.
    pub places: i64,
}

/// Places over time in one province, or nationwide.
#[derive(SimpleObject)]
pub struct PlacesSeries {
    /// The province; null for the whole country.
    pub province: Option<String>,
    /// Week by week.
    pub weeks: Vec<WeekPlaces>,
}

/// A partner association of municipalities in another country (e.g. SKR for Sweden, FCM for Canada), with its
/// member municipalities; experts may come from them.
#[derive(SimpleObject)]
pub struct PartnerAssociation {
    /// The association's id.
    pub id: ID,
    /// Short code, e.g. SKR.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its country (two letters).
    pub country: String,
    /// The umbrella association it belongs to (e.g. CEMR), by id.
    pub umbrella_id: Option<ID>,
    /// The contact person (coordinators and admins; null for others).
    pub contact_name: Option<String>,
    /// The contact person's e-mail (as `contactName`).
    pub contact_email: Option<String>,
    /// Its member municipalities in the pool, by id.
    pub member_municipality_ids: Vec<ID>,
}

/// A partner association as created.
#[derive(async_graphql::InputObject)]
pub struct PartnerAssociationInput {
    /// Short code, e.g. SKR.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its country (two letters, e.g. SE).
    pub country: String,
    /// The umbrella association's code (e.g. CEMR), when it belongs to one.
    pub umbrella_code: Option<String>,
    /// The contact person.
    pub contact_name: String,
    /// The contact person's e-mail.
    pub contact_email: String,
}

fn association(
    a: crate::store::network::AssociationRow,
    members: Vec<uuid::Uuid>,
    contact: bool,
) -> PartnerAssociation {
    PartnerAssociation {
        id: ID(a.id.to_string()),
        code: a.code,
        name: a.name,
        country: a.country,
        umbrella_id: a.umbrella_id.map(|u| ID(u.to_string())),
        contact_name: contact.then_some(a.contact_name),
        contact_email: contact.then_some(a.contact_email),
        member_municipality_ids: members.into_iter().map(|m| ID(m.to_string())).collect(),
    }
}

#[derive(Default)]
pub struct NetworkQuery;

#[Object]
impl NetworkQuery {
    /// Who takes part in the network, what they offer and whom to call (coordinators, admins).
    async fn network_members(&self, ctx: &Context<'_>, status: Option<MembershipStatus>) -> ApiResult<Vec<Membership>> {
        let r = rc(ctx);
        let rows = r.services.network_members(r.principal(), status.map(|s| s.as_str())).await.api()?;
        Ok(rows.into_iter().map(|(row, contacts)| Membership { row, contacts }).collect())
    }

    /// One municipality's participation (its officers; coordinators); null when it has not registered.
    async fn membership(&self, ctx: &Context<'_>, municipality_id: ID) -> ApiResult<Option<Membership>> {
        let r = rc(ctx);
        let m = r.services.membership(r.principal(), parse_id(&municipality_id, "municipalityId")?).await.api()?;
        Ok(m.map(|(row, contacts)| Membership { row, contacts }))
    }

    /// Partner associations with their member municipalities (anyone signed in).
    async fn partner_associations(&self, ctx: &Context<'_>) -> ApiResult<Vec<PartnerAssociation>> {
        let r = rc(ctx);
        let (rows, contact) = r.services.partner_associations(r.principal()).await.api()?;
        Ok(rows.into_iter().map(|(a, m)| association(a, m, contact)).collect())
    }

    /// Ties between municipalities: all for coordinators and admins; an officer's own municipality's.
    async fn ties(&self, ctx: &Context<'_>) -> ApiResult<Vec<Tie>> {
        let r = rc(ctx);
        Ok(r.services.ties(r.principal()).await.api()?.into_iter().map(Tie).collect())
    }

    /// Information sessions not yet over, soonest first (anyone signed in).
    async fn info_sessions(&self, ctx: &Context<'_>) -> ApiResult<Vec<InfoSession>> {
        let r = rc(ctx);
        Ok(r.services.info_sessions(r.principal()).await.api()?.into_iter().map(InfoSession).collect())
    }

    /// A session's attendee list as CSV (coordinators).
    async fn attendee_sheet(&self, ctx: &Context<'_>, session_id: ID) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        Ok(r.services.attendee_sheet(r.principal(), parse_id(&session_id, "sessionId")?).await.api()?.into())
    }

    /// Reception offers: all for coordinators and admins; an officer's own municipality's.
    async fn reception_offers(&self, ctx: &Context<'_>) -> ApiResult<Vec<ReceptionOffer>> {
        let r = rc(ctx);
        let rows = r.services.reception_offers(r.principal()).await.api()?;
        let p = r.principal();
        Ok(rows
            .into_iter()
            .map(|row| {
                let contact = policy::allows(p, Op::ReadReception, Target::NONE)
                    || policy::allows(p, Op::OfferReception, Target::municipality(row.municipality_id));
                ReceptionOffer { row, contact }
            })
            .collect())
    }

    /// Reception places per week, nationwide and per province (coordinators, admins).
    async fn reception_places(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first week (its Monday counts).")] from: NaiveDate,
        #[graphql(desc = "How many weeks, 1–104.", default = 12)] weeks: i32,
    ) -> ApiResult<Vec<PlacesSeries>> {
        let r = rc(ctx);
        let weeks = u32::try_from(weeks).unwrap_or(0);
        let series = r.services.reception_places(r.principal(), from, weeks).await.api()?;
        Ok(series
            .into_iter()
            .map(|(province, w)| PlacesSeries {
                province,
                weeks: w.into_iter().map(|(week, places)| WeekPlaces { week, places }).collect(),
            })
            .collect())
    }

    /// The reception list for the ministries as CSV, with contact persons (coordinators, admins).
    async fn reception_sheet(&self, ctx: &Context<'_>) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        Ok(r.services.reception_sheet(r.principal()).await.api()?.into())
    }
}

#[derive(Default)]
pub struct NetworkMutation;

#[Object]
impl NetworkMutation {
    /// Registers or updates a municipality's participation (its officers, pool coordinators, admins).
    async fn set_membership(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        input: MembershipInput,
    ) -> ApiResult<Membership> {
        let r = rc(ctx);
        let id = parse_id(&municipality_id, "municipalityId")?;
        let row = r.services.set_membership(r.principal(), id, &input).await.api()?;
        let contacts = r.services.membership(r.principal(), id).await.api()?.map(|m| m.1).unwrap_or_default();
        Ok(Membership { row, contacts })
    }

    /// Adds a contact person to a member municipality.
    async fn add_network_contact(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        input: ContactInput,
    ) -> ApiResult<NetworkContact> {
        let r = rc(ctx);
        let id = parse_id(&municipality_id, "municipalityId")?;
        Ok(NetworkContact(r.services.add_network_contact(r.principal(), id, &input).await.api()?))
    }

    /// Removes a contact person.
    async fn remove_network_contact(&self, ctx: &Context<'_>, id: ID) -> ApiResult<NetworkContact> {
        let r = rc(ctx);
        Ok(NetworkContact(r.services.remove_network_contact(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Records a partner association of municipalities (pool coordinators, admins).
    async fn create_partner_association(
        &self,
        ctx: &Context<'_>,
        input: PartnerAssociationInput,
    ) -> ApiResult<PartnerAssociation> {
        let r = rc(ctx);
        let a = crate::service::network::NewAssociation {
            code: &input.code,
            name: &input.name,
            country: &input.country,
            umbrella_code: input.umbrella_code.as_deref(),
            contact_name: &input.contact_name,
            contact_email: &input.contact_email,
        };
        Ok(association(r.services.create_partner_association(r.principal(), &a).await.api()?, Vec::new(), true))
    }

    /// Makes a contributing municipality a member of a partner association (by code), or of none (pool
    /// coordinators, admins); returns the association's code.
    async fn set_association_member(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        association_code: Option<String>,
    ) -> ApiResult<Option<String>> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        Ok(r.services
            .set_association_member(r.principal(), m, association_code.as_deref())
            .await
            .api()?
            .map(|a| a.code))
    }

    /// Enters an existing tie for the caller's own side; the other side confirms it.
    async fn record_tie(&self, ctx: &Context<'_>, input: TieInput) -> ApiResult<Tie> {
        let r = rc(ctx);
        Ok(Tie(r.services.record_tie(r.principal(), &input).await.api()?))
    }

    /// Confirms a tie the other side entered; it then counts as continuity in the matching.
    async fn confirm_tie(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Tie> {
        let r = rc(ctx);
        Ok(Tie(r.services.confirm_tie(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Creates an information session (pool coordinators, admins).
    async fn create_info_session(&self, ctx: &Context<'_>, input: InfoSessionInput) -> ApiResult<InfoSession> {
        let r = rc(ctx);
        Ok(InfoSession(r.services.create_info_session(r.principal(), &input).await.api()?))
    }

    /// Changes a session's seats; never below the seats given, and more seats move the waiting list up.
    async fn set_session_capacity(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        capacity_in_person: i32,
        capacity_online: i32,
    ) -> ApiResult<InfoSession> {
        let r = rc(ctx);
        let id = parse_id(&session_id, "sessionId")?;
        Ok(InfoSession(
            r.services.set_session_capacity(r.principal(), id, capacity_in_person, capacity_online).await.api()?,
        ))
    }

    /// Registers people of a municipality for a session (its officers; coordinators): a seat while there is
    /// one in their way of attending, else the waiting list.
    async fn register_for_session(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
        municipality_id: ID,
        people: Vec<AttendeeInput>,
    ) -> ApiResult<Vec<Registration>> {
        let r = rc(ctx);
        let (s, m) = (parse_id(&session_id, "sessionId")?, parse_id(&municipality_id, "municipalityId")?);
        Ok(r.services
            .register_for_session(r.principal(), s, m, &people)
            .await
            .api()?
            .into_iter()
            .map(Registration)
            .collect())
    }

    /// Cancels a registration; the freed seat goes to the oldest waiting registration.
    async fn cancel_registration(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Registration> {
        let r = rc(ctx);
        Ok(Registration(r.services.cancel_registration(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Reports a reception location (a municipality officer for their own municipality; coordinators for any).
    async fn offer_reception(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The offering municipality (an officer's own by default).")] municipality_id: Option<ID>,
        input: ReceptionOfferInput,
    ) -> ApiResult<ReceptionOffer> {
        let r = rc(ctx);
        let m = municipality_id.as_ref().map(|i| parse_id(i, "municipalityId")).transpose()?;
        let row = r.services.save_reception_offer(r.principal(), None, m, &input).await.api()?;
        Ok(ReceptionOffer { row, contact: true })
    }

    /// Updates a reception location as places change.
    async fn update_reception_offer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ReceptionOfferInput,
    ) -> ApiResult<ReceptionOffer> {
        let r = rc(ctx);
        let row =
            r.services.save_reception_offer(r.principal(), Some(parse_id(&id, "id")?), None, &input).await.api()?;
        Ok(ReceptionOffer { row, contact: true })
    }
}
