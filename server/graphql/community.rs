//! Requests for help beyond expertise and the network's forum in the API (docs/network.md).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::reference::Municipality;
use super::{load_one, parse_id};
use crate::domain::network::{HelpKind, PostKind};
use crate::domain::network::{HelpOfferStatus, HelpRequestStatus};
use crate::service::community::{NewHelpRequest, NewPost};
use crate::store::community::{HelpOfferRow, HelpRequestRow, PostRow};

async fn municipality(ctx: &Context<'_>, id: Option<uuid::Uuid>) -> async_graphql::Result<Option<Municipality>> {
    match id {
        Some(id) => load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(|m| Some(Municipality(m))),
        None => Ok(None),
    }
}

/// A request for material or financial help for a hromada, with the offers that answer it.
pub struct HelpRequest {
    row: HelpRequestRow,
    offers: Vec<HelpOfferRow>,
}

/// A request for material or financial help for a hromada, with the offers that answer it.
#[Object]
impl HelpRequest {
    /// The request's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// The hromada asking.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        municipality(ctx, Some(self.row.municipality_id)).await
    }
    /// MATERIAL or FINANCIAL.
    async fn kind(&self) -> HelpKind {
        self.row.kind
    }
    /// What is asked, in short.
    async fn title(&self) -> &str {
        &self.row.title
    }
    /// What is asked, in full.
    async fn description(&self) -> &str {
        &self.row.description
    }
    /// How much or how many.
    async fn quantity(&self) -> Option<&str> {
        self.row.quantity.as_deref()
    }
    /// By when it is needed.
    async fn needed_by(&self) -> Option<NaiveDate> {
        self.row.needed_by
    }
    /// OPEN, AGREED (an offer was agreed to) or CLOSED.
    async fn status(&self) -> HelpRequestStatus {
        self.row.status
    }
    /// When it was posted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    /// The offers, oldest first.
    async fn offers(&self) -> Vec<HelpOffer> {
        self.offers.iter().cloned().map(HelpOffer).collect()
    }
}

/// A member municipality's answer to a request for help.
pub struct HelpOffer(HelpOfferRow);

/// A member municipality's answer to a request for help.
#[Object]
impl HelpOffer {
    /// The offer's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The offering municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        municipality(ctx, Some(self.0.municipality_id)).await
    }
    /// What it offers.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// OFFERED, AGREED or DECLINED.
    async fn status(&self) -> HelpOfferStatus {
        self.0.status
    }
    /// When it was offered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the Ukrainian side agreed or declined.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
}

/// A forum post: a topic, an answer or an announcement.
pub struct ForumPost(PostRow);

/// A forum post: a topic, an answer or an announcement.
#[Object]
impl ForumPost {
    /// The post's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// INITIATIVE, QUESTION, TIP, ANSWER or ANNOUNCEMENT.
    async fn kind(&self) -> PostKind {
        self.0.kind
    }
    /// The topic's title (null for answers).
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Its tags.
    async fn tags(&self) -> Vec<String> {
        self.0.tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
    }
    /// The writer's municipality (null for coordinators).
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        municipality(ctx, self.0.municipality_id).await
    }
    /// Pinned by a coordinator.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A topic with its answers (pinned first).
#[derive(SimpleObject)]
pub struct ForumTopic {
    /// The topic.
    pub topic: ForumPost,
    /// Its answers, pinned first, then oldest first.
    pub answers: Vec<ForumPost>,
}

/// A request for help as posted.
#[derive(InputObject)]
pub struct HelpRequestInput {
    /// The hromada asking.
    pub municipality_id: ID,
    /// MATERIAL or FINANCIAL.
    pub kind: HelpKind,
    /// What is asked, in short.
    pub title: String,
    /// What is asked, in full.
    pub description: String,
    /// How much or how many.
    pub quantity: Option<String>,
    /// By when it is needed.
    pub needed_by: Option<NaiveDate>,
}

/// A forum topic (no `parentId`) or an answer to one.
#[derive(InputObject)]
pub struct ForumPostInput {
    /// The topic answered; empty for a new topic.
    pub parent_id: Option<ID>,
    /// INITIATIVE, QUESTION or TIP for a topic (ignored for an answer).
    #[graphql(default_with = "PostKind::Question")]
    pub kind: PostKind,
    /// The topic's title.
    pub title: Option<String>,
    /// The text.
    pub body: String,
    /// Tags, e.g. "water", "housing".
    #[graphql(default)]
    pub tags: Vec<String>,
}

/// An announcement in the three languages (Dutch and Ukrainian fall back to English).
#[derive(InputObject)]
pub struct AnnouncementInput {
    /// The title in English.
    pub title_en: String,
    /// The title in Dutch.
    pub title_nl: Option<String>,
    /// The title in Ukrainian.
    pub title_uk: Option<String>,
    /// The text in English.
    pub body_en: String,
    /// The text in Dutch.
    pub body_nl: Option<String>,
    /// The text in Ukrainian.
    pub body_uk: Option<String>,
}

/// What an announcement did.
#[derive(SimpleObject)]
pub struct Announcement {
    /// The announcement as it stands in the forum.
    pub post: ForumPost,
    /// Officers notified.
    pub notified: i64,
}

#[derive(Default)]
pub struct CommunityQuery;

#[Object]
impl CommunityQuery {
    /// Requests for help with their offers, newest first (officers and coordinators).
    async fn help_requests(&self, ctx: &Context<'_>) -> ApiResult<Vec<HelpRequest>> {
        let r = rc(ctx);
        let rows = r.services.help_requests(r.principal()).await.api()?;
        Ok(rows.into_iter().map(|(row, offers)| HelpRequest { row, offers }).collect())
    }

    /// The forum: topics newest first, each with its answers (officers and coordinators).
    async fn forum(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only topics with this tag.")] tag: Option<String>,
    ) -> ApiResult<Vec<ForumTopic>> {
        let r = rc(ctx);
        let rows = r.services.forum(r.principal(), tag.as_deref()).await.api()?;
        Ok(rows
            .into_iter()
            .map(|(t, answers)| ForumTopic {
                topic: ForumPost(t),
                answers: answers.into_iter().map(ForumPost).collect(),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct CommunityMutation;

#[Object]
impl CommunityMutation {
    /// Posts a request for material or financial help for a hromada (AUC; a hromada officer for their own).
    async fn post_help_request(&self, ctx: &Context<'_>, input: HelpRequestInput) -> ApiResult<HelpRequest> {
        let r = rc(ctx);
        let req = NewHelpRequest {
            municipality_id: parse_id(&input.municipality_id, "municipalityId")?,
            kind: input.kind,
            title: &input.title,
            description: &input.description,
            quantity: input.quantity.as_deref(),
            needed_by: input.needed_by,
        };
        Ok(HelpRequest { row: r.services.post_help_request(r.principal(), &req).await.api()?, offers: Vec::new() })
    }

    /// Answers a request with an offer from a member municipality (its officers; pool coordinators).
    async fn offer_help(
        &self,
        ctx: &Context<'_>,
        request_id: ID,
        municipality_id: ID,
        description: String,
    ) -> ApiResult<HelpOffer> {
        let r = rc(ctx);
        let (req, m) = (parse_id(&request_id, "requestId")?, parse_id(&municipality_id, "municipalityId")?);
        Ok(HelpOffer(r.services.offer_help(r.principal(), req, m, &description).await.api()?))
    }

    /// The Ukrainian side agrees to an offer or declines it.
    async fn decide_help_offer(&self, ctx: &Context<'_>, offer_id: ID, agree: bool) -> ApiResult<HelpOffer> {
        let r = rc(ctx);
        Ok(HelpOffer(r.services.decide_help_offer(r.principal(), parse_id(&offer_id, "offerId")?, agree).await.api()?))
    }

    /// Closes a request: no further offers.
    async fn close_help_request(&self, ctx: &Context<'_>, id: ID) -> ApiResult<HelpRequest> {
        let r = rc(ctx);
        Ok(HelpRequest {
            row: r.services.close_help_request(r.principal(), parse_id(&id, "id")?).await.api()?,
            offers: Vec::new(),
        })
    }

    /// Writes a topic or an answer in the forum.
    async fn post_in_forum(&self, ctx: &Context<'_>, input: ForumPostInput) -> ApiResult<ForumPost> {
        let r = rc(ctx);
        let parent_id = input.parent_id.as_ref().map(|i| parse_id(i, "parentId")).transpose()?;
        let post = NewPost {
            parent_id,
            kind: input.kind,
            title: input.title.as_deref(),
            body: &input.body,
            tags: &input.tags,
        };
        Ok(ForumPost(r.services.post_in_forum(r.principal(), &post).await.api()?))
    }

    /// Pins or unpins a post (coordinators).
    async fn pin_post(&self, ctx: &Context<'_>, id: ID, pinned: bool) -> ApiResult<ForumPost> {
        let r = rc(ctx);
        Ok(ForumPost(r.services.pin_post(r.principal(), parse_id(&id, "id")?, pinned).await.api()?))
    }

    /// Sends an announcement to every participating municipality's officers, each in their language (coordinators).
    async fn announce(&self, ctx: &Context<'_>, input: AnnouncementInput) -> ApiResult<Announcement> {
        let r = rc(ctx);
        let titles = [Some(input.title_en.as_str()), input.title_nl.as_deref(), input.title_uk.as_deref()];
        let bodies = [Some(input.body_en.as_str()), input.body_nl.as_deref(), input.body_uk.as_deref()];
        let (post, notified) = r.services.announce(r.principal(), titles, bodies).await.api()?;
        Ok(Announcement { post: ForumPost(post), notified: notified as i64 })
    }
}
