//! The demo's network: a few member municipalities with a contact person, a confirmed partnership between one of
//! them and the demo hromada, an information session a month ahead, reception locations, a
//! request for help with an offer, and a forum question with an answer. Each row with its audit event.

use chrono::{Days, Duration, NaiveTime};
use uuid::Uuid;

use super::generate::DemoPool;
use crate::domain::network::{
    HelpKind, HelpOfferStatus, HelpRequestStatus, MembershipStatus, PostKind, SessionMode, TieKind, amsterdam_to_utc,
};
use crate::domain::{AppError, AppResult, Role, Side, new_id};
use crate::service::{audit, now, snapshot};
use crate::store::community::{HelpOfferRow, HelpRequestRow, PostRow};
use crate::store::network::{ContactRow, MemberRow, ReceptionRow, SessionRow, TieRow};
use crate::store::user::UserRow;
use crate::store::{self, Conn};

fn missing(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("the demo network needs {what}"))
}

pub async fn write(conn: &mut Conn<'_>, pool: &DemoPool, users: &[UserRow]) -> AppResult<()> {
    let by_role = |r: Role| users.iter().find(|u| u.role == r);
    let officer = by_role(Role::MunicipalityOfficer).ok_or_else(|| missing("a municipality officer"))?;
    let hromada_user = by_role(Role::HromadaOfficer).ok_or_else(|| missing("a hromada officer"))?;
    let coordinator = by_role(Role::PoolCoordinator).ok_or_else(|| missing("a pool coordinator"))?;
    let auc = by_role(Role::NeedsCoordinator).ok_or_else(|| missing("AUC"))?;
    let own = officer.municipality_id.ok_or_else(|| missing("the officer's municipality"))?;
    let hromada = hromada_user.municipality_id.ok_or_else(|| missing("the hromada officer's municipality"))?;
    let mut members = vec![own];
    let others: std::collections::BTreeSet<Uuid> = pool.experts.iter().map(|e| e.row.municipality_id).collect();
    members.extend(others.into_iter().filter(|m| *m != own).take(5));
    let names = store::municipality::by_ids(conn, &members).await?;
    let t = now();
    let today = t.date_naive();

    for (i, m) in members.iter().enumerate() {
        let row = MemberRow {
            municipality_id: *m,
            status: if i == 4 { MembershipStatus::Interested } else { MembershipStatus::Active },
            offers_expertise: true,
            offers_money: i % 2 == 0,
            offers_hosting: i % 3 == 0,
            skill_areas: [
                "WATER_SANITATION,ENERGY",
                "HOUSING",
                "GOVERNANCE,PUBLIC_FINANCE",
                "EDUCATION",
                "SOCIAL_SERVICES",
                "CIVIL_PROTECTION",
            ]
            .get(i)
            .copied()
            .unwrap_or("GOVERNANCE")
            .into(),
            note: None,
            updated_by: Some(coordinator.id),
            created_at: t,
            updated_at: t,
        };
        store::network::upsert_member(conn, &row).await?;
        audit(conn, None, "membership.set", *m, None, snapshot(&row)).await?;
        let town = names
            .iter()
            .find(|n| n.id == *m)
            .map_or("gemeente".to_string(), |n| n.name.to_lowercase().replace(' ', "-"));
        let contact = ContactRow {
            id: new_id(),
            municipality_id: *m,
            name: ["Eva de Wit", "Sanne Jansen", "Pieter Visser", "Noor Bakker", "Daan Smit", "Lotte Mulder"]
                .get(i)
                .copied()
                .unwrap_or("Contact")
                .into(),
            role_title: "International affairs".into(),
            email: format!("international@{town}.example"),
            phone: None,
            created_at: t,
        };
        store::network::insert_contact(conn, &contact).await?;
        audit(conn, None, "contact.add", contact.id, None, snapshot(&contact)).await?;
    }

    let tie = TieRow {
        id: new_id(),
        contributing_municipality_id: members.get(1).copied().unwrap_or(own),
        recovering_municipality_id: hromada,
        kind: TieKind::Partnership,
        since: today.checked_sub_days(Days::new(700)),
        contact: Some("International affairs desk".into()),
        note: Some("Water utility exchange before 2022.".into()),
        entered_by_side: Side::Contributing,
        entered_by: Some(coordinator.id),
        created_at: t,
        confirmed_by: Some(hromada_user.id),
        confirmed_at: Some(t),
    };
    store::network::insert_tie(conn, &tie).await?;
    audit(conn, None, "tie.record", tie.id, None, snapshot(&tie)).await?;

    let day = today + Days::new(30);
    let at = |h: u32| amsterdam_to_utc("startsAt", day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()));
    let session = SessionRow {
        id: new_id(),
        title_en: "Information session: the municipal network for Ukraine".into(),
        title_nl: "Informatiebijeenkomst: het gemeentelijk netwerk voor Oekraïne".into(),
        title_uk: "Інформаційна зустріч: мережа муніципалітетів для України".into(),
        description_en: "How municipalities lend experts, give to the VNG Fund and report reception places.".into(),
        description_nl: "Hoe gemeenten deskundigen uitlenen, aan het VNG Fonds geven en opvangplekken melden.".into(),
        description_uk:
            "Як муніципалітети надають експертів, роблять внески до Фонду VNG і повідомляють про місця для прихистку."
                .into(),
        starts_at: at(14)?,
        ends_at: at(16)?,
        mode: SessionMode::Hybrid,
        place: Some("VNG, Nassaulaan 12, The Hague".into()),
        online_link: Some("https://meet.example.org/vng-ukraine-network".into()),
        capacity_in_person: 60,
        capacity_online: 200,
        registration_deadline: at(14)? - Duration::days(2),
        created_by: Some(coordinator.id),
        created_at: t,
        reminded_at: None,
    };
    store::network::insert_session(conn, &session).await?;
    audit(conn, None, "session.create", session.id, None, snapshot(&session)).await?;

    for (i, (name, places, weeks)) in
        [("Former school De Vonk", 40, 26), ("Hotel Centraal", 25, 12), ("Pavilion Oost", 12, 52)]
            .into_iter()
            .enumerate()
    {
        let m = members.get(i).copied().unwrap_or(own);
        let r = ReceptionRow {
            id: new_id(),
            municipality_id: m,
            location_name: name.into(),
            address: None,
            places,
            available_from: today - Days::new(7 * i as u64),
            available_until: Some(today + Days::new(7 * weeks)),
            target_group: Some("Families with children".into()),
            contact_name: "Reception coordinator".into(),
            contact_email: "opvang@gemeente.example".into(),
            contact_phone: None,
            created_by: Some(officer.id),
            created_at: t,
            updated_at: t,
        };
        store::network::save_reception(conn, &r).await?;
        audit(conn, None, "reception.offer", r.id, None, snapshot(&r)).await?;
    }

    let request = HelpRequestRow {
        id: new_id(),
        municipality_id: hromada,
        kind: HelpKind::Material,
        title: "Generators for the water utility".into(),
        description: "Two 100 kVA generators to keep the pumping stations running during power cuts.".into(),
        quantity: Some("2".into()),
        needed_by: Some(today + Days::new(45)),
        status: HelpRequestStatus::Open,
        posted_by: Some(auc.id),
        created_at: t,
        updated_at: t,
    };
    store::community::insert_request(conn, &request).await?;
    audit(conn, None, "help_request.post", request.id, None, snapshot(&request)).await?;
    let offer = HelpOfferRow {
        id: new_id(),
        request_id: request.id,
        municipality_id: members.get(1).copied().unwrap_or(own),
        description: "One generator from our civil protection stock, with transport to the border.".into(),
        status: HelpOfferStatus::Offered,
        offered_by: None,
        created_at: t,
        decided_by: None,
        decided_at: None,
    };
    store::community::insert_offer(conn, &offer).await?;
    audit(conn, None, "help_offer.offer", offer.id, None, snapshot(&offer)).await?;

    let topic = PostRow {
        id: new_id(),
        parent_id: None,
        kind: PostKind::Question,
        title: Some("Who has experience with temporary modular schools?".into()),
        body: "A hromada asks for advice on modular classrooms. Who has built them and would share drawings?".into(),
        tags: "education,housing".into(),
        municipality_id: Some(own),
        author_id: Some(officer.id),
        pinned: false,
        created_at: t,
    };
    store::community::insert_post(conn, &topic).await?;
    audit(conn, None, "forum.post", topic.id, None, snapshot(&topic)).await?;
    let answer = PostRow {
        id: new_id(),
        parent_id: Some(topic.id),
        kind: PostKind::Answer,
        title: None,
        body: "We placed two in 2023; our specifications are free to use. Ask our facilities department.".into(),
        tags: String::new(),
        municipality_id: members.get(2).copied(),
        author_id: None,
        pinned: true,
        created_at: t,
    };
    store::community::insert_post(conn, &answer).await?;
    audit(conn, None, "forum.post", answer.id, None, snapshot(&answer)).await?;
    Ok(())
}
