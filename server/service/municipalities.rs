//! Municipalities: lists for everyone signed in, new ones by coordinators, security status by AUC.

use uuid::Uuid;

use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::input::MunicipalityInput;
use crate::domain::{AppError, AppResult, OnUnique, SecurityStatus, Side, new_id};
use crate::store::municipality::{MunicipalityFilter, MunicipalityRow, NewMunicipality};
use crate::store::sql::Page;
use crate::store::{self, Conn};

/// The municipality `id` when it is on `side`; bad input naming `field` when it does not exist or is on the
/// other side (a Dutch municipality where a hromada is asked for, or the other way round).
pub(super) async fn on_side(conn: &mut Conn<'_>, id: Uuid, side: Side, field: &str) -> AppResult<MunicipalityRow> {
    let m =
        store::municipality::get(conn, id).await?.ok_or_else(|| AppError::invalid(field, "no such municipality"))?;
    if m.side != side {
        let which = if side == Side::Contributing { "a contributing municipality" } else { "a Ukrainian municipality" };
        return Err(AppError::invalid(field, format!("must be {which}")));
    }
    Ok(m)
}

impl Services {
    pub async fn municipalities(
        &self,
        p: Option<&Principal>,
        filter: &MunicipalityFilter,
        after: Option<(String, Uuid)>,
        first: Option<i32>,
    ) -> AppResult<Page<MunicipalityRow>> {
        check(p, Op::ReadPool, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::municipality::list(&mut c.conn(), filter, after, first).await
    }

    pub async fn count_municipalities(&self, p: Option<&Principal>, filter: &MunicipalityFilter) -> AppResult<i64> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::municipality::count(&mut c.conn(), filter).await
    }

    pub async fn municipality(&self, p: Option<&Principal>, id: Uuid) -> AppResult<MunicipalityRow> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        found(store::municipality::get(&mut c.conn(), id).await?, "municipality")
    }

    pub async fn regions(&self, p: Option<&Principal>, country: &str) -> AppResult<Vec<String>> {
        check(p, Op::ReadPool, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::municipality::regions(&mut c.conn(), &country.trim().to_uppercase()).await
    }

    pub async fn create_municipality(
        &self,
        p: Option<&Principal>,
        input: MunicipalityInput,
    ) -> AppResult<MunicipalityRow> {
        check(p, Op::ManageMunicipalities, Target::NONE)?;
        let m = input.validate()?;
        let row = NewMunicipality {
            id: new_id(),
            security_status: None,
            population: None,
            latitude: None,
            longitude: None,
            country: m.country,
            code: m.code,
            name: m.name,
            name_local: m.name_local,
            name_latin: m.name_latin,
            region: m.region,
            side: m.side,
        };
        let mut tx = self.db.begin().await?;
        if store::municipality::get_by_code(&mut tx.conn(), &row.code).await?.is_some() {
            return Err(AppError::conflict("a municipality with this code already exists"));
        }
        store::municipality::insert_many(&mut tx.conn(), std::slice::from_ref(&row), now()).await.on_unique("code")?;
        let created = found(store::municipality::get(&mut tx.conn(), row.id).await?, "municipality")?;
        audit(&mut tx.conn(), p, "municipality.create", row.id, None, snapshot(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// AUC keeps each Ukrainian municipality's security status up to date; on-site work follows it.
    pub async fn set_security_status(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        status: SecurityStatus,
    ) -> AppResult<MunicipalityRow> {
        check(p, Op::SetSecurityStatus, Target::municipality(id))?;
        let mut tx = self.db.begin().await?;
        let before = found(store::municipality::get(&mut tx.conn(), id).await?, "municipality")?;
        if before.side != Side::Recovering {
            return Err(AppError::invalid("id", "only recovering (Ukrainian) municipalities carry a security status"));
        }
        store::municipality::set_security_status(&mut tx.conn(), id, status).await?;
        let after = MunicipalityRow { security_status: Some(status), ..before.clone() };
        audit(&mut tx.conn(), p, "municipality.set_security_status", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The municipality an object is attached to, checked to be on the expected side; errors name `field`.
pub async fn municipality_on_side(
    conn: &mut Conn<'_>,
    id: Uuid,
    side: Side,
    field: &str,
) -> AppResult<MunicipalityRow> {
    let m =
        store::municipality::get(conn, id).await?.ok_or_else(|| AppError::invalid(field, "no such municipality"))?;
    if m.side != side {
        let what = match side {
            Side::Contributing => "must be a contributing municipality (experts come from the contributing side)",
            Side::Recovering => "must be a recovering (Ukrainian) municipality",
        };
        return Err(AppError::invalid(field, what));
    }
    Ok(m)
}

impl Services {
    /// A municipality's id by its official code (for the command line).
    pub async fn municipality_id_by_code(&self, code: &str) -> AppResult<Uuid> {
        let mut c = self.db.acquire().await?;
        let m = store::municipality::get_by_code(&mut c.conn(), code.trim()).await?;
        m.map(|m| m.id).ok_or_else(|| AppError::invalid("municipalityCode", "no municipality has this code"))
    }
}
