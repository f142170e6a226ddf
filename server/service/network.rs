//! The network around the pool (docs/network.md): who takes part and whom to call, existing ties between
//! municipalities (confirmed ones feed the matching's continuity), and reception locations for displaced people.

use chrono::NaiveDate;
use uuid::Uuid;

use super::municipalities::on_side;
use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::sheet::{SheetFile, SheetFormat};
use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{self, Op, Target, check, require};
use crate::domain::fund_input::id_of;
use crate::domain::input::{MAX_LONG_TEXT, MAX_TEXT, email, optional_text, required_text};
use crate::domain::network::{ContactInput, MembershipInput, ReceptionOfferInput, TieInput, places_per_week};
use crate::domain::{AppError, AppResult, OnUnique, Role, Side, new_id};
use crate::store;
use crate::store::network::{AssociationRow, ContactRow, MemberRow, ReceptionRow, TieRow};

/// The most weeks one "places over time" view spans.
pub const MAX_WEEKS: u32 = 104;

/// Which side of a tie the caller speaks for: the contributing side (VNG's coordinator, a municipality
/// officer) or the Ukrainian side (AUC, a hromada officer). An admin speaks for the side named by `admin_side`.
fn side_of(p: &Principal, admin_side: Side) -> Side {
    match p.role {
        Role::NeedsCoordinator | Role::HromadaOfficer => Side::Recovering,
        Role::Admin => admin_side,
        _ => Side::Contributing,
    }
}

impl Services {
    /// Registers or updates a municipality's participation (its officers, pool coordinators, admins).
    pub async fn set_membership(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        input: &MembershipInput,
    ) -> AppResult<MemberRow> {
        let me = require(p)?;
        check(p, Op::ManageMembership, Target::municipality(municipality_id))?;
        let note = optional_text("note", input.note.as_deref(), MAX_LONG_TEXT)?;
        let mut tx = self.db.begin().await?;
        on_side(&mut tx.conn(), municipality_id, Side::Contributing, "municipalityId").await?;
        let categories: Vec<String> =
            store::skill::all(&mut tx.conn()).await?.into_iter().map(|s| s.category).collect();
        let mut areas = Vec::new();
        for (i, a) in input.skill_areas.iter().enumerate() {
            let a = a.trim().to_uppercase();
            if !categories.contains(&a) {
                return Err(AppError::invalid(format!("skillAreas[{i}]"), "is not a category of the skill list"));
            }
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
        let before = store::network::member(&mut tx.conn(), municipality_id).await?;
        let at = now();
        let row = MemberRow {
            municipality_id,
            status: input.status,
            offers_expertise: input.offers_expertise,
            offers_money: input.offers_money,
            offers_hosting: input.offers_hosting,
            skill_areas: areas.join(","),
            note,
            updated_by: Some(me.user_id),
            created_at: before.as_ref().map_or(at, |b| b.created_at),
            updated_at: at,
        };
        store::network::upsert_member(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "membership.set", municipality_id, before.as_ref().and_then(snapshot), snapshot(&row))
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Adds a contact person to a municipality's participation.
    pub async fn add_network_contact(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        input: &ContactInput,
    ) -> AppResult<ContactRow> {
        check(p, Op::ManageMembership, Target::municipality(municipality_id))?;
        let row = ContactRow {
            id: new_id(),
            municipality_id,
            name: required_text("name", &input.name, MAX_TEXT)?,
            role_title: required_text("roleTitle", &input.role_title, MAX_TEXT)?,
            email: email("email", &input.email)?,
            phone: optional_text("phone", input.phone.as_deref(), 40)?,
            created_at: now(),
        };
        let mut tx = self.db.begin().await?;
        if store::network::member(&mut tx.conn(), municipality_id).await?.is_none() {
            return Err(AppError::invalid("municipalityId", "register the municipality's participation first"));
        }
        store::network::insert_contact(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "contact.add", row.id, None, snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Removes a contact person.
    pub async fn remove_network_contact(&self, p: Option<&Principal>, id: Uuid) -> AppResult<ContactRow> {
        require(p)?;
        let mut tx = self.db.begin().await?;
        let row = found(store::network::contact(&mut tx.conn(), id).await?, "contact")?;
        check(p, Op::ManageMembership, Target::municipality(row.municipality_id))?;
        store::network::delete_contact(&mut tx.conn(), id).await?;
        audit(&mut tx.conn(), p, "contact.remove", id, snapshot(&row), None).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The members (coordinators, admins), with their contact persons.
    pub async fn network_members(
        &self,
        p: Option<&Principal>,
        status: Option<&str>,
    ) -> AppResult<Vec<(MemberRow, Vec<ContactRow>)>> {
        check(p, Op::ReadNetwork, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let members = store::network::members(&mut c.conn(), status).await?;
        let ids: Vec<Uuid> = members.iter().map(|m| m.municipality_id).collect();
        let contacts = store::network::contacts_of(&mut c.conn(), &ids).await?;
        Ok(members
            .into_iter()
            .map(|m| {
                let own = contacts.iter().filter(|c| c.municipality_id == m.municipality_id).cloned().collect();
                (m, own)
            })
            .collect())
    }

    /// One municipality's participation, for its own officers (and whoever reads the network).
    pub async fn membership(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
    ) -> AppResult<Option<(MemberRow, Vec<ContactRow>)>> {
        if !policy::allows(p, Op::ReadNetwork, Target::NONE) {
            check(p, Op::ManageMembership, Target::municipality(municipality_id))?;
        }
        let mut c = self.db.acquire().await?;
        let Some(m) = store::network::member(&mut c.conn(), municipality_id).await? else { return Ok(None) };
        let contacts = store::network::contacts_of(&mut c.conn(), &[municipality_id]).await?;
        Ok(Some((m, contacts)))
    }

    /// Enters an existing tie for the caller's own side; the other side is asked to confirm it.
    pub async fn record_tie(&self, p: Option<&Principal>, input: &TieInput) -> AppResult<TieRow> {
        let me = require(p)?;
        let contributing =
            id_of("contributingMunicipalityId", Some(&input.contributing_municipality_id))?.unwrap_or_default();
        let recovering =
            id_of("recoveringMunicipalityId", Some(&input.recovering_municipality_id))?.unwrap_or_default();
        let side = side_of(me, Side::Contributing);
        let own = if side == Side::Contributing { contributing } else { recovering };
        let target = if me.role == Role::NeedsCoordinator { Target::NONE } else { Target::municipality(own) };
        check(p, Op::RecordTie, target)?;
        let mut tx = self.db.begin().await?;
        on_side(&mut tx.conn(), contributing, Side::Contributing, "contributingMunicipalityId").await?;
        on_side(&mut tx.conn(), recovering, Side::Recovering, "recoveringMunicipalityId").await?;
        let row = TieRow {
            id: new_id(),
            contributing_municipality_id: contributing,
            recovering_municipality_id: recovering,
            kind: input.kind,
            since: input.since,
            contact: optional_text("contact", input.contact.as_deref(), MAX_TEXT)?,
            note: optional_text("note", input.note.as_deref(), MAX_LONG_TEXT)?,
            entered_by_side: side,
            entered_by: Some(me.user_id),
            created_at: now(),
            confirmed_by: None,
            confirmed_at: None,
        };
        store::network::insert_tie(&mut tx.conn(), &row).await.map_err(|e| match e {
            // The same tie twice is a mistake in what was entered, not a race: name the field as input.
            AppError::Duplicate { .. } => AppError::invalid("kind", "this tie of this kind is already registered"),
            other => other,
        })?;
        audit(&mut tx.conn(), p, "tie.record", row.id, None, snapshot(&row)).await?;
        let other = if side == Side::Contributing {
            vec![Audience::MunicipalityOfficers(recovering), Audience::Role(Role::NeedsCoordinator)]
        } else {
            vec![Audience::MunicipalityOfficers(contributing), Audience::Role(Role::PoolCoordinator)]
        };
        let notice = Notice {
            kind: "tie.recorded".into(),
            title: Text::new("tie.recorded.title"),
            body: Text::new("tie.recorded.body").with("kind", row.kind),
            object_type: "tie",
            object_id: row.id,
            audience: other,
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// The other side confirms a tie; from then on it counts as continuity in the matching.
    pub async fn confirm_tie(&self, p: Option<&Principal>, id: Uuid) -> AppResult<TieRow> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::network::tie(&mut tx.conn(), id).await?, "tie")?;
        let entered: Side = before.entered_by_side;
        let other_side = if entered == Side::Contributing { Side::Recovering } else { Side::Contributing };
        if side_of(me, other_side) == entered {
            return Err(AppError::invalid("id", "a tie is confirmed by the other side than the one that entered it"));
        }
        let own = if other_side == Side::Contributing {
            before.contributing_municipality_id
        } else {
            before.recovering_municipality_id
        };
        let target = if me.role == Role::NeedsCoordinator { Target::NONE } else { Target::municipality(own) };
        check(p, Op::ConfirmTie, target)?;
        if before.confirmed_at.is_some() {
            return Err(AppError::conflict("this tie is already confirmed"));
        }
        let at = now();
        store::network::confirm_tie(&mut tx.conn(), id, me.user_id, at).await?;
        let after = TieRow { confirmed_by: Some(me.user_id), confirmed_at: Some(at), ..before.clone() };
        audit(&mut tx.conn(), p, "tie.confirm", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Ties: all for coordinators and admins; an officer's own municipality's.
    pub async fn ties(&self, p: Option<&Principal>) -> AppResult<Vec<TieRow>> {
        let me = require(p)?;
        let scope = if policy::allows(p, Op::ReadNetwork, Target::NONE) {
            None
        } else {
            let own =
                me.municipality_id.ok_or_else(|| AppError::forbidden("only coordinators and officers see ties"))?;
            check(p, Op::RecordTie, Target::municipality(own))?;
            Some(own)
        };
        let mut c = self.db.acquire().await?;
        store::network::ties(&mut c.conn(), scope).await
    }

    /// Reports a reception location (`id` none) or updates one as places change.
    pub async fn save_reception_offer(
        &self,
        p: Option<&Principal>,
        id: Option<Uuid>,
        municipality_id: Option<Uuid>,
        input: &ReceptionOfferInput,
    ) -> AppResult<ReceptionRow> {
        let me = require(p)?;
        let v = input.validate()?;
        let mut tx = self.db.begin().await?;
        let before = match id {
            Some(id) => Some(found(store::network::reception(&mut tx.conn(), id).await?, "reception offer")?),
            None => None,
        };
        let municipality = match (&before, municipality_id) {
            (Some(b), _) => b.municipality_id,
            (None, Some(m)) => m,
            (None, None) => {
                me.municipality_id.ok_or_else(|| AppError::invalid("municipalityId", "name the municipality"))?
            }
        };
        check(p, Op::OfferReception, Target::municipality(municipality))?;
        on_side(&mut tx.conn(), municipality, Side::Contributing, "municipalityId").await?;
        let at = now();
        let row = ReceptionRow {
            id: before.as_ref().map_or_else(new_id, |b| b.id),
            municipality_id: municipality,
            location_name: v.location_name,
            address: v.address,
            places: v.places,
            available_from: v.available_from,
            available_until: v.available_until,
            target_group: v.target_group,
            contact_name: v.contact_name,
            contact_email: v.contact_email,
            contact_phone: v.contact_phone,
            created_by: before.as_ref().map_or(Some(me.user_id), |b| b.created_by),
            created_at: before.as_ref().map_or(at, |b| b.created_at),
            updated_at: at,
        };
        store::network::save_reception(&mut tx.conn(), &row).await?;
        let action = if before.is_some() { "reception.update" } else { "reception.offer" };
        audit(&mut tx.conn(), p, action, row.id, before.as_ref().and_then(snapshot), snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Reception offers: all for coordinators and admins; an officer's own municipality's.
    pub async fn reception_offers(&self, p: Option<&Principal>) -> AppResult<Vec<ReceptionRow>> {
        let me = require(p)?;
        let scope = if policy::allows(p, Op::ReadReception, Target::NONE) {
            None
        } else {
            let own = me
                .municipality_id
                .ok_or_else(|| AppError::forbidden("only coordinators and officers see reception offers"))?;
            check(p, Op::OfferReception, Target::municipality(own))?;
            Some(own)
        };
        let mut c = self.db.acquire().await?;
        store::network::receptions(&mut c.conn(), scope).await
    }

    /// Places available per week, nationwide and per province (coordinators, admins): (province or none for
    /// nationwide, [(Monday, places)]).
    pub async fn reception_places(
        &self,
        p: Option<&Principal>,
        from: NaiveDate,
        weeks: u32,
    ) -> AppResult<Vec<(Option<String>, Vec<(NaiveDate, i64)>)>> {
        check(p, Op::ReadReception, Target::NONE)?;
        if !(1..=MAX_WEEKS).contains(&weeks) {
            return Err(AppError::invalid("weeks", format!("must be between 1 and {MAX_WEEKS}")));
        }
        let mut c = self.db.acquire().await?;
        let offers = store::network::receptions(&mut c.conn(), None).await?;
        let ids: Vec<Uuid> = offers.iter().map(|o| o.municipality_id).collect();
        let municipalities = store::municipality::by_ids(&mut c.conn(), &ids).await?;
        let region = |m: Uuid| municipalities.iter().find(|x| x.id == m).map(|x| x.region.clone()).unwrap_or_default();
        let all: Vec<_> = offers.iter().map(|o| (o.available_from, o.available_until, o.places)).collect();
        let mut out = vec![(None, places_per_week(&all, from, weeks))];
        let mut regions: Vec<String> = offers.iter().map(|o| region(o.municipality_id)).collect();
        regions.sort();
        regions.dedup();
        for r in regions {
            let these: Vec<_> = offers
                .iter()
                .filter(|o| region(o.municipality_id) == r)
                .map(|o| (o.available_from, o.available_until, o.places))
                .collect();
            out.push((Some(r), places_per_week(&these, from, weeks)));
        }
        Ok(out)
    }

    /// The list for the ministries as CSV: every location with its places, period and contact person.
    pub async fn reception_sheet(&self, p: Option<&Principal>) -> AppResult<SheetFile> {
        check(p, Op::ReadReception, Target::NONE)?;
        let offers = self.reception_offers(p).await?;
        let mut c = self.db.acquire().await?;
        let ids: Vec<Uuid> = offers.iter().map(|o| o.municipality_id).collect();
        let municipalities = store::municipality::by_ids(&mut c.conn(), &ids).await?;
        let rows: Vec<Vec<String>> = offers
            .iter()
            .map(|o| {
                let m = municipalities.iter().find(|m| m.id == o.municipality_id);
                vec![
                    m.map(|m| m.name.clone()).unwrap_or_default(),
                    m.map(|m| m.region.clone()).unwrap_or_default(),
                    o.location_name.clone(),
                    o.address.clone().unwrap_or_default(),
                    o.places.to_string(),
                    o.available_from.to_string(),
                    o.available_until.map(|d| d.to_string()).unwrap_or_default(),
                    o.target_group.clone().unwrap_or_default(),
                    o.contact_name.clone(),
                    o.contact_email.clone(),
                    o.contact_phone.clone().unwrap_or_default(),
                ]
            })
            .collect();
        super::sheet::write(SheetFormat::Csv, "reception-locations", &RECEPTION_CSV_HEADER, &rows)
    }

    /// Municipalities taking part now, and reception places offered today: for the public figures.
    pub async fn network_figures(&self) -> AppResult<(i64, i64)> {
        let mut c = self.db.acquire().await?;
        let members = store::network::active_members(&mut c.conn()).await?;
        let places = store::network::places_on(&mut c.conn(), now().date_naive()).await?;
        Ok((members, places))
    }
}

/// A partner association as created.
#[derive(Debug, Clone)]
pub struct NewAssociation<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// ISO 3166 alpha-2, e.g. SE.
    pub country: &'a str,
    /// The umbrella association's code, e.g. CEMR.
    pub umbrella_code: Option<&'a str>,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
}

impl Services {
    /// Records a partner association of municipalities (pool coordinators, admins).
    pub async fn create_partner_association(
        &self,
        p: Option<&Principal>,
        a: &NewAssociation<'_>,
    ) -> AppResult<AssociationRow> {
        check(p, Op::ManageMunicipalities, Target::NONE)?;
        let code = required_text("code", a.code, 20)?.to_uppercase();
        let country = required_text("country", a.country, 2)?.to_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(AppError::invalid("country", "must be a two-letter country code, e.g. SE"));
        }
        let mut tx = self.db.begin().await?;
        if store::network::association_by_code(&mut tx.conn(), &code).await?.is_some() {
            return Err(AppError::invalid("code", "another association has this code"));
        }
        let umbrella_id = match a.umbrella_code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(
                store::network::association_by_code(&mut tx.conn(), &c.to_uppercase())
                    .await?
                    .ok_or_else(|| AppError::invalid("umbrellaCode", "no such association"))?
                    .id,
            ),
            None => None,
        };
        let row = AssociationRow {
            id: new_id(),
            code,
            name: required_text("name", a.name, MAX_TEXT)?,
            country,
            umbrella_id,
            contact_name: required_text("contactName", a.contact_name, MAX_TEXT)?,
            contact_email: email("contactEmail", a.contact_email)?,
            created_at: now(),
        };
        store::network::insert_association(&mut tx.conn(), &row).await.on_unique("code")?;
        audit(&mut tx.conn(), p, "association.create", row.id, None, snapshot(&row)).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Makes a contributing municipality a member of a partner association, or of none.
    pub async fn set_association_member(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        code: Option<&str>,
    ) -> AppResult<Option<AssociationRow>> {
        check(p, Op::ManageMunicipalities, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        on_side(&mut tx.conn(), municipality_id, Side::Contributing, "municipalityId").await?;
        let association = match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(
                store::network::association_by_code(&mut tx.conn(), &c.to_uppercase())
                    .await?
                    .ok_or_else(|| AppError::invalid("associationCode", "no such association"))?,
            ),
            None => None,
        };
        store::network::set_association_member(&mut tx.conn(), municipality_id, association.as_ref().map(|a| a.id))
            .await?;
        let after = serde_json::json!({ "association": association.as_ref().map(|a| &a.code) });
        audit(&mut tx.conn(), p, "association.set_member", municipality_id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(association)
    }

    /// The partner associations with their member municipalities (anyone signed in; the contact person only
    /// for those who read the network).
    pub async fn partner_associations(
        &self,
        p: Option<&Principal>,
    ) -> AppResult<(Vec<(AssociationRow, Vec<Uuid>)>, bool)> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let associations = store::network::associations(&mut c.conn()).await?;
        let members = store::network::association_members(&mut c.conn()).await?;
        let out = associations
            .into_iter()
            .map(|a| {
                let own = members.iter().filter(|(id, _)| *id == a.id).map(|(_, m)| *m).collect();
                (a, own)
            })
            .collect();
        Ok((out, policy::allows(p, Op::ReadNetwork, Target::NONE)))
    }
}

/// The columns of the reception list.
pub const RECEPTION_CSV_HEADER: [&str; 11] = [
    "Municipality",
    "Province",
    "Location",
    "Address",
    "Places",
    "Available from",
    "Available until",
    "Target group",
    "Contact person",
    "Contact e-mail",
    "Contact phone",
];
