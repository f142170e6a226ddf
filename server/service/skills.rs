//! The skill list, managed by pool coordinators.

use uuid::Uuid;

use super::{Services, audit, found, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::input::SkillInput;
use crate::domain::{AppResult, OnUnique, new_id};
use crate::store::skill::SkillRow;
use crate::store::{self, Conn};

fn row(id: Uuid, s: SkillInput) -> SkillRow {
    SkillRow {
        id,
        code: s.code,
        category: s.category,
        label_en: s.label_en,
        label_nl: s.label_nl,
        label_uk: s.label_uk,
        esco_group: s.esco_group,
    }
}

impl Services {
    pub async fn skills(&self, p: Option<&Principal>) -> AppResult<Vec<SkillRow>> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::skill::all(&mut c.conn()).await
    }

    pub async fn create_skill(&self, p: Option<&Principal>, input: SkillInput) -> AppResult<SkillRow> {
        check(p, Op::ManageSkills, Target::NONE)?;
        let skill = row(new_id(), input.validate()?);
        let mut tx = self.db.begin().await?;
        store::skill::insert(&mut tx.conn(), &skill).await.on_unique("code")?;
        audit(&mut tx.conn(), p, "skill.create", skill.id, None, snapshot(&skill)).await?;
        tx.commit().await?;
        Ok(skill)
    }

    pub async fn update_skill(&self, p: Option<&Principal>, id: Uuid, input: SkillInput) -> AppResult<SkillRow> {
        check(p, Op::ManageSkills, Target::NONE)?;
        let skill = row(id, input.validate()?);
        let mut tx = self.db.begin().await?;
        let before = found(store::skill::get(&mut tx.conn(), id).await?, "skill")?;
        store::skill::update(&mut tx.conn(), &skill).await?;
        audit(&mut tx.conn(), p, "skill.update", id, snapshot(&before), snapshot(&skill)).await?;
        tx.commit().await?;
        Ok(skill)
    }
}

/// Checks that every skill id exists; the error names the first unknown one's field.
pub async fn skills_exist(conn: &mut Conn<'_>, ids: &[(String, Uuid)]) -> AppResult<()> {
    let wanted: Vec<Uuid> = ids.iter().map(|(_, id)| *id).collect();
    let known = store::skill::by_ids(conn, &wanted).await?;
    for (field, id) in ids {
        if !known.iter().any(|s| s.id == *id) {
            return Err(crate::domain::AppError::invalid(field.clone(), "no such skill"));
        }
    }
    Ok(())
}
