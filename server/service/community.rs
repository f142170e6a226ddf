//! Requests for help beyond expertise and the network's forum (docs/network.md).
//!
//! A request is posted by AUC (or a hromada officer, which AUC sees) for one hromada; member municipalities answer
//! with offers; the Ukrainian side agrees to one or more and the request is AGREED, or closes it. Simple and
//! auditable, not a marketplace. The forum holds initiatives, questions and tips with answers; coordinators pin
//! answers and send announcements to every participating municipality, each officer reading it in their language.

use chrono::NaiveDate;
use uuid::Uuid;

use super::municipalities::on_side;
use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, check_object, require};
use crate::domain::input::{MAX_LONG_TEXT, MAX_TEXT, optional_text, required_text};
use crate::domain::network::{HelpKind, HelpOfferStatus, HelpRequestStatus, MembershipStatus, PostKind};
use crate::domain::{AppError, AppResult, Role, Side, new_id};
use crate::store::community::{HelpOfferRow, HelpRequestRow, PostRow};
use crate::store::{self};

/// The most tags one post carries.
pub const MAX_TAGS: usize = 10;
/// Topics listed at most.
pub const MAX_TOPICS: i64 = 200;

/// A request for help as posted.
#[derive(Debug, Clone)]
pub struct NewHelpRequest<'a> {
    pub municipality_id: Uuid,
    pub kind: HelpKind,
    pub title: &'a str,
    pub description: &'a str,
    pub quantity: Option<&'a str>,
    pub needed_by: Option<NaiveDate>,
}

/// A forum post as written: a topic (kind INITIATIVE, QUESTION or TIP, with a title) or an answer (a parent).
#[derive(Debug, Clone)]
pub struct NewPost<'a> {
    pub parent_id: Option<Uuid>,
    pub kind: PostKind,
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub tags: &'a [String],
}

impl Services {
    /// Posts a request for material or financial help for a hromada (AUC for any, a hromada officer for their
    /// own). Member municipalities and the coordinators are told.
    pub async fn post_help_request(&self, p: Option<&Principal>, r: &NewHelpRequest<'_>) -> AppResult<HelpRequestRow> {
        let me = require(p)?;
        check(p, Op::PostHelpRequest, Target::municipality(r.municipality_id))?;
        if r.needed_by.is_some_and(|d| d < now().date_naive()) {
            return Err(AppError::invalid("neededBy", "must not be in the past"));
        }
        let at = now();
        let row = HelpRequestRow {
            id: new_id(),
            municipality_id: r.municipality_id,
            kind: r.kind,
            title: required_text("title", r.title, MAX_TEXT)?,
            description: required_text("description", r.description, MAX_LONG_TEXT)?,
            quantity: optional_text("quantity", r.quantity, MAX_TEXT)?,
            needed_by: r.needed_by,
            status: HelpRequestStatus::Open,
            posted_by: Some(me.user_id),
            created_at: at,
            updated_at: at,
        };
        let mut tx = self.db.begin().await?;
        let m = on_side(&mut tx.conn(), r.municipality_id, Side::Recovering, "municipalityId").await?;
        store::community::insert_request(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "help_request.post", row.id, None, snapshot(&row)).await?;
        let notice = Notice {
            kind: "help.requested".into(),
            title: Text::new("help.requested.title").with("hromada", &m.name).with("title", &row.title),
            body: Text::from(row.description.as_str()),
            object_type: "help",
            object_id: row.id,
            audience: vec![
                Audience::Role(Role::MunicipalityOfficer),
                Audience::Role(Role::PoolCoordinator),
                Audience::Role(Role::NeedsCoordinator),
            ],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// A member municipality answers an open request with an offer. The Ukrainian side is told.
    pub async fn offer_help(
        &self,
        p: Option<&Principal>,
        request_id: Uuid,
        municipality_id: Uuid,
        description: &str,
    ) -> AppResult<HelpOfferRow> {
        let me = require(p)?;
        check(p, Op::OfferHelp, Target::municipality(municipality_id))?;
        let description = required_text("description", description, MAX_LONG_TEXT)?;
        let mut tx = self.db.begin().await?;
        let request = store::community::request(&mut tx.conn(), request_id)
            .await?
            .ok_or_else(|| AppError::invalid("requestId", "no such request"))?;
        if request.status == HelpRequestStatus::Closed {
            return Err(AppError::conflict("this request is closed"));
        }
        let row = HelpOfferRow {
            id: new_id(),
            request_id,
            municipality_id,
            description,
            status: HelpOfferStatus::Offered,
            offered_by: Some(me.user_id),
            created_at: now(),
            decided_by: None,
            decided_at: None,
        };
        store::community::insert_offer(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "help_offer.offer", row.id, None, snapshot(&row)).await?;
        let notice = Notice {
            kind: "help.offered".into(),
            title: Text::new("help.offered.title").with("title", &request.title),
            body: Text::from(row.description.as_str()),
            object_type: "help",
            object_id: request_id,
            audience: vec![
                Audience::MunicipalityOfficers(request.municipality_id),
                Audience::Role(Role::NeedsCoordinator),
            ],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// The Ukrainian side agrees to an offer (the request becomes AGREED) or declines it. The offering
    /// municipality is told.
    pub async fn decide_help_offer(
        &self,
        p: Option<&Principal>,
        offer_id: Uuid,
        agree: bool,
    ) -> AppResult<HelpOfferRow> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::community::offer(&mut tx.conn(), offer_id).await?, "offer")?;
        let request = found(store::community::request(&mut tx.conn(), before.request_id).await?, "offer")?;
        check_object(p, Op::DecideHelpOffer, Target::municipality(request.municipality_id), true, "offer")?;
        let status = if agree { HelpOfferStatus::Agreed } else { HelpOfferStatus::Declined };
        let at = now();
        if store::community::decide_offer(&mut tx.conn(), offer_id, status, me.user_id, at).await? == 0 {
            return Err(AppError::conflict(format!("this offer is already {}", before.status)));
        }
        if agree && request.status == HelpRequestStatus::Open {
            store::community::set_request_status(&mut tx.conn(), request.id, HelpRequestStatus::Agreed, at).await?;
        }
        let after = HelpOfferRow { status, decided_by: Some(me.user_id), decided_at: Some(at), ..before.clone() };
        audit(
            &mut tx.conn(),
            p,
            if agree { "help_offer.agree" } else { "help_offer.decline" },
            offer_id,
            snapshot(&before),
            snapshot(&after),
        )
        .await?;
        let notice = Notice {
            kind: if agree { "help.agreed" } else { "help.declined" }.into(),
            title: Text::new(if agree { "help.agreed.title" } else { "help.declined.title" })
                .with("title", &request.title),
            body: Text::from(before.description.as_str()),
            object_type: "help",
            object_id: request.id,
            audience: vec![
                Audience::MunicipalityOfficers(before.municipality_id),
                Audience::Role(Role::PoolCoordinator),
            ],
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }

    /// Closes a request (the Ukrainian side): no further offers.
    pub async fn close_help_request(&self, p: Option<&Principal>, id: Uuid) -> AppResult<HelpRequestRow> {
        require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::community::request(&mut tx.conn(), id).await?, "request")?;
        check(p, Op::DecideHelpOffer, Target::municipality(before.municipality_id))?;
        if before.status == HelpRequestStatus::Closed {
            return Err(AppError::conflict("this request is already closed"));
        }
        let at = now();
        store::community::set_request_status(&mut tx.conn(), id, HelpRequestStatus::Closed, at).await?;
        let after = HelpRequestRow { status: HelpRequestStatus::Closed, updated_at: at, ..before.clone() };
        audit(&mut tx.conn(), p, "help_request.close", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Requests for help with their offers, newest first (officers and coordinators).
    pub async fn help_requests(&self, p: Option<&Principal>) -> AppResult<Vec<(HelpRequestRow, Vec<HelpOfferRow>)>> {
        check(p, Op::ReadCommunity, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let requests = store::community::requests(&mut c.conn()).await?;
        let ids: Vec<Uuid> = requests.iter().map(|r| r.id).collect();
        let offers = store::community::offers_of(&mut c.conn(), &ids).await?;
        Ok(requests
            .into_iter()
            .map(|r| {
                let own = offers.iter().filter(|o| o.request_id == r.id).cloned().collect();
                (r, own)
            })
            .collect())
    }

    /// Writes a topic or an answer in the forum, for the writer's own municipality (coordinators: for none).
    pub async fn post_in_forum(&self, p: Option<&Principal>, post: &NewPost<'_>) -> AppResult<PostRow> {
        let me = require(p)?;
        let target = me.municipality_id.map_or(Target::NONE, Target::municipality);
        check(p, Op::PostInForum, target)?;
        let tags = tags(post.tags)?;
        let body = required_text("body", post.body, MAX_LONG_TEXT)?;
        let (kind, title) = match post.parent_id {
            Some(_) => (PostKind::Answer, None),
            None => {
                if !matches!(post.kind, PostKind::Initiative | PostKind::Question | PostKind::Tip) {
                    return Err(AppError::invalid("kind", "a topic is an INITIATIVE, a QUESTION or a TIP"));
                }
                (post.kind, Some(required_text("title", post.title.unwrap_or(""), MAX_TEXT)?))
            }
        };
        let mut tx = self.db.begin().await?;
        let mut audience = Vec::new();
        if let Some(parent) = post.parent_id {
            let topic = store::community::post(&mut tx.conn(), parent)
                .await?
                .filter(|t| t.parent_id.is_none())
                .ok_or_else(|| AppError::invalid("parentId", "no such topic"))?;
            audience.extend(topic.author_id.map(|a| Audience::Users(vec![a])));
        }
        let row = PostRow {
            id: new_id(),
            parent_id: post.parent_id,
            kind,
            title,
            body,
            tags: tags.join(","),
            municipality_id: me.municipality_id,
            author_id: Some(me.user_id),
            pinned: false,
            created_at: now(),
        };
        store::community::insert_post(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "forum.post", row.id, None, snapshot(&row)).await?;
        let notices: Vec<Notice> = audience
            .into_iter()
            .map(|a| Notice {
                kind: "forum.answered".into(),
                title: Text::new("forum.answered.title"),
                body: Text::from(row.body.as_str()),
                object_type: "forum",
                object_id: post.parent_id.unwrap_or(row.id),
                audience: vec![a],
            })
            .collect();
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &notices).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(row)
    }

    /// A coordinator pins an answer (or unpins it).
    pub async fn pin_post(&self, p: Option<&Principal>, id: Uuid, pinned: bool) -> AppResult<PostRow> {
        check(p, Op::ModerateForum, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::community::post(&mut tx.conn(), id).await?, "post")?;
        store::community::set_pinned(&mut tx.conn(), id, pinned).await?;
        let after = PostRow { pinned, ..before.clone() };
        audit(
            &mut tx.conn(),
            p,
            if pinned { "forum.pin" } else { "forum.unpin" },
            id,
            snapshot(&before),
            snapshot(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A coordinator announces something to every participating municipality (members ACTIVE or INTERESTED):
    /// into every officer's inbox and e-mail, each in their own language (`texts`: [English, Dutch, Ukrainian]
    /// titles and bodies; Dutch and Ukrainian fall back to English).
    pub async fn announce(
        &self,
        p: Option<&Principal>,
        titles: [Option<&str>; 3],
        bodies: [Option<&str>; 3],
    ) -> AppResult<(PostRow, usize)> {
        let me = require(p)?;
        check(p, Op::ModerateForum, Target::NONE)?;
        let title_en = required_text("titleEn", titles[0].unwrap_or(""), MAX_TEXT)?;
        let body_en = required_text("bodyEn", bodies[0].unwrap_or(""), MAX_LONG_TEXT)?;
        let title = |i: usize, field: &str| -> AppResult<String> {
            Ok(optional_text(field, titles[i], MAX_TEXT)?.unwrap_or_else(|| title_en.clone()))
        };
        let body = |i: usize, field: &str| -> AppResult<String> {
            Ok(optional_text(field, bodies[i], MAX_LONG_TEXT)?.unwrap_or_else(|| body_en.clone()))
        };
        let (title_nl, title_uk, body_nl, body_uk) =
            (title(1, "titleNl")?, title(2, "titleUk")?, body(1, "bodyNl")?, body(2, "bodyUk")?);
        let mut tx = self.db.begin().await?;
        let members: Vec<Uuid> = store::network::members(&mut tx.conn(), None)
            .await?
            .into_iter()
            .filter(|m| m.status != MembershipStatus::Paused)
            .map(|m| m.municipality_id)
            .collect();
        let row = PostRow {
            id: new_id(),
            parent_id: None,
            kind: PostKind::Announcement,
            title: Some(title_en.clone()),
            body: body_en.clone(),
            tags: String::new(),
            municipality_id: None,
            author_id: Some(me.user_id),
            pinned: true,
            created_at: now(),
        };
        store::community::insert_post(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "forum.announce", row.id, None, snapshot(&row)).await?;
        let notice = Notice {
            kind: "forum.announcement".into(),
            title: Text::new("announcement.text").with_translations("text", [title_en.clone(), title_nl, title_uk]),
            body: Text::new("announcement.text").with_translations("text", [body_en.clone(), body_nl, body_uk]),
            object_type: "forum",
            object_id: row.id,
            audience: members.iter().map(|m| Audience::MunicipalityOfficers(*m)).collect(),
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, Some(me.user_id), &[notice]).await?;
        tx.commit().await?;
        let told = rows.len();
        self.after_commit(rows);
        Ok((row, told))
    }

    /// Topics newest first (of one tag when given), each with its answers, pinned first.
    pub async fn forum(&self, p: Option<&Principal>, tag: Option<&str>) -> AppResult<Vec<(PostRow, Vec<PostRow>)>> {
        check(p, Op::ReadCommunity, Target::NONE)?;
        let tag = optional_text("tag", tag, 50)?.map(|t| t.to_lowercase());
        let mut c = self.db.acquire().await?;
        let topics = store::community::topics(&mut c.conn(), tag.as_deref(), MAX_TOPICS).await?;
        let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
        let answers = store::community::answers_of(&mut c.conn(), &ids).await?;
        Ok(topics
            .into_iter()
            .map(|t| {
                let own = answers.iter().filter(|a| a.parent_id == Some(t.id)).cloned().collect();
                (t, own)
            })
            .collect())
    }
}

/// Tags as stored: trimmed, lower case, without commas, each once.
fn tags(raw: &[String]) -> AppResult<Vec<String>> {
    if raw.len() > MAX_TAGS {
        return Err(AppError::invalid("tags", format!("at most {MAX_TAGS}")));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let t = required_text(&format!("tags[{i}]"), t, 50)?.to_lowercase();
        if t.contains(',') {
            return Err(AppError::invalid(format!("tags[{i}]"), "must not contain a comma"));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}
