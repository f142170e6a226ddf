//! The reference data that ships with the service (data/reference, sources in SOURCES.md): all Dutch
//! municipalities, all Ukrainian hromadas and Kyiv, and the curated skill list. Loaded once, on first start.

use serde::Deserialize;

use super::{Services, now};
use crate::domain::{AppError, AppResult, Side, new_id};
use crate::store::municipality::NewMunicipality;
use crate::store::skill::SkillRow;
use crate::store::{self, Conn};

const NL_MUNICIPALITIES: &str = include_str!("../../data/reference/nl_gemeenten_2025.csv");
const UA_HROMADAS: &str = include_str!("../../data/reference/ua_hromadas_1469.csv");
const UA_SPECIAL_CITIES: &str = include_str!("../../data/reference/special_status_cities.csv");
const SKILLS: &str = include_str!("../../data/reference/skills.csv");

/// The city with special status that has recovery needs of its own (Sevastopol, the other one, is occupied).
const KYIV_CODE: &str = "UA80000000000093317";

#[derive(Deserialize)]
struct NlRow {
    gm_code: String,
    gemeentenaam: String,
    provincienaam: String,
}

#[derive(Deserialize)]
struct UaRow {
    katottg: String,
    name_uk: String,
    name_en_ocha2023: String,
    name_en_ocha_matches_current: String,
    name_latin_translitua: String,
    oblast_en_kse: String,
    center_lat: Option<f64>,
    center_lon: Option<f64>,
    population_2022: Option<f64>,
}

#[derive(Deserialize)]
struct SpecialRow {
    katottg: String,
    name_uk: String,
    name_latin_translitua: String,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> AppResult<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| AppError::internal(anyhow::anyhow!("reading the shipped {name}: {e}")))
}

/// Every municipality of the reference data. Ukrainian ones start without a security status: AUC sets it,
/// and until then no on-site work is proposed there.
pub fn municipalities() -> AppResult<Vec<NewMunicipality>> {
    let mut out = Vec::new();
    for r in parse::<NlRow>("Dutch municipalities", NL_MUNICIPALITIES)? {
        out.push(NewMunicipality {
            id: new_id(),
            country: "NL".into(),
            code: r.gm_code,
            name: r.gemeentenaam.clone(),
            name_local: r.gemeentenaam.clone(),
            name_latin: r.gemeentenaam,
            region: r.provincienaam,
            side: Side::Contributing,
            security_status: None,
            population: None,
            latitude: None,
            longitude: None,
        });
    }
    for r in parse::<UaRow>("Ukrainian hromadas", UA_HROMADAS)? {
        // OCHA's English name where it still matches the current name, else the official transliteration.
        let name = if r.name_en_ocha_matches_current == "True" && !r.name_en_ocha2023.is_empty() {
            r.name_en_ocha2023
        } else {
            r.name_latin_translitua.clone()
        };
        out.push(NewMunicipality {
            id: new_id(),
            country: "UA".into(),
            code: r.katottg,
            name,
            name_local: r.name_uk,
            name_latin: r.name_latin_translitua,
            region: r.oblast_en_kse,
            side: Side::Recovering,
            security_status: None,
            population: r.population_2022.map(|p| p as i32),
            latitude: r.center_lat,
            longitude: r.center_lon,
        });
    }
    for r in parse::<SpecialRow>("cities with special status", UA_SPECIAL_CITIES)? {
        if r.katottg != KYIV_CODE {
            continue;
        }
        out.push(NewMunicipality {
            id: new_id(),
            country: "UA".into(),
            code: r.katottg,
            name: r.name_latin_translitua.clone(),
            name_local: r.name_uk,
            name_latin: r.name_latin_translitua,
            region: "Kyiv".into(),
            side: Side::Recovering,
            security_status: None,
            population: None,
            latitude: Some(50.4501),
            longitude: Some(30.5234),
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct SkillCsv {
    code: String,
    category: String,
    label_en: String,
    label_nl: String,
    label_uk: String,
    esco_group: Option<String>,
}

pub fn skills() -> AppResult<Vec<SkillRow>> {
    Ok(parse::<SkillCsv>("skill list", SKILLS)?
        .into_iter()
        .map(|s| SkillRow {
            id: new_id(),
            code: s.code,
            category: s.category,
            label_en: s.label_en,
            label_nl: s.label_nl,
            label_uk: s.label_uk,
            esco_group: s.esco_group.filter(|g| !g.trim().is_empty()),
        })
        .collect())
}

/// Loads what is missing: municipalities when there are none, skills when there are none. Idempotent.
pub async fn load_if_empty(conn: &mut Conn<'_>) -> AppResult<bool> {
    let mut loaded = false;
    if store::municipality::count_all(conn).await? == 0 {
        store::municipality::insert_many(conn, &municipalities()?, now()).await?;
        loaded = true;
    }
    if store::skill::count_all(conn).await? == 0 {
        for s in skills()? {
            store::skill::insert(conn, &s).await?;
        }
        loaded = true;
    }
    Ok(loaded)
}

impl Services {
    /// First start: the reference data in one transaction, so a crash leaves none rather than half.
    pub async fn load_reference_data(&self) -> AppResult<bool> {
        let mut tx = self.db.begin().await?;
        let loaded = load_if_empty(&mut tx.conn()).await?;
        tx.commit().await?;
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reference_data_holds_every_dutch_municipality_every_hromada_and_kyiv() {
        let all = super::municipalities().expect("parse");
        assert_eq!(all.iter().filter(|m| m.country == "NL").count(), 342);
        assert_eq!(all.iter().filter(|m| m.country == "UA").count(), 1_470);
        let lviv = all.iter().find(|m| m.code == "UA46060250000025047").expect("Lviv");
        assert_eq!(lviv.population, Some(777_234));
        assert!(all.iter().any(|m| m.code == "GM0363" && m.name == "Amsterdam" && m.region == "Noord-Holland"));
        assert!(all.iter().any(|m| m.code == super::KYIV_CODE));
    }

    #[test]
    fn the_skill_list_has_unique_codes_and_three_languages() {
        let skills = super::skills().expect("parse");
        assert!((40..=80).contains(&skills.len()), "{} skills", skills.len());
        let mut codes: Vec<&str> = skills.iter().map(|s| s.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), skills.len());
        assert!(skills.iter().all(|s| !s.label_uk.is_empty() && !s.label_nl.is_empty()));
    }
}
