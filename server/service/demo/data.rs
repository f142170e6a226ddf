//! The demo pool's raw material: Dutch names, job titles per skill, the contributing municipalities, the recovery
//! plans of real hromadas and need templates per sector (both in `data/demo/`), and the security situation by
//! oblast. Invented people and
//! plans over the real reference data; nothing here is about a real person.

use std::sync::OnceLock;

use crate::domain::{AppError, AppResult, PlanStatus, SecurityStatus};

/// A contributing municipality of the demo: CBS code, the e-mail domain's first label, and its share of the experts.
pub struct Contributor {
    pub code: &'static str,
    pub slug: &'static str,
    pub weight: u32,
}

const fn c(code: &'static str, slug: &'static str, weight: u32) -> Contributor {
    Contributor { code, slug, weight }
}

/// Forty municipalities, the large cities weighted most.
pub const CONTRIBUTORS: &[Contributor] = &[
    c("GM0363", "amsterdam", 36),
    c("GM0599", "rotterdam", 30),
    c("GM0518", "denhaag", 26),
    c("GM0344", "utrecht", 24),
    c("GM0772", "eindhoven", 17),
    c("GM0014", "groningen", 17),
    c("GM0855", "tilburg", 12),
    c("GM0034", "almere", 10),
    c("GM0758", "breda", 11),
    c("GM0268", "nijmegen", 12),
    c("GM0200", "apeldoorn", 9),
    c("GM0202", "arnhem", 10),
    c("GM0392", "haarlem", 10),
    c("GM0153", "enschede", 9),
    c("GM0307", "amersfoort", 9),
    c("GM0479", "zaanstad", 7),
    c("GM0796", "s-hertogenbosch", 9),
    c("GM0193", "zwolle", 9),
    c("GM0546", "leiden", 9),
    c("GM0935", "maastricht", 8),
    c("GM0505", "dordrecht", 7),
    c("GM0637", "zoetermeer", 6),
    c("GM0228", "ede", 6),
    c("GM0080", "leeuwarden", 7),
    c("GM0503", "delft", 7),
    c("GM0361", "alkmaar", 6),
    c("GM0150", "deventer", 6),
    c("GM0794", "helmond", 5),
    c("GM0402", "hilversum", 5),
    c("GM0983", "venlo", 5),
    c("GM0114", "emmen", 4),
    c("GM1783", "westland", 4),
    c("GM0917", "heerlen", 4),
    c("GM0362", "amstelveen", 5),
    c("GM0513", "gouda", 4),
    c("GM0106", "assen", 4),
    c("GM0687", "middelburg", 4),
    c("GM0995", "lelystad", 4),
    c("GM0289", "wageningen", 4),
    c("GM0164", "hengelo", 4),
];

/// The municipality of the demo's municipality officer and expert account.
pub const DEMO_MUNICIPALITY: &str = "GM0344";

pub const FIRST_NAMES: &[&str] = &[
    "Anne", "Anouk", "Annemiek", "Astrid", "Bas", "Bart", "Bram", "Carlijn", "Chantal", "Daan", "David", "Demi",
    "Dennis", "Dirk", "Eline", "Els", "Emma", "Erik", "Esther", "Eva", "Femke", "Floor", "Frank", "Gerard", "Hanneke",
    "Hans", "Hester", "Ilse", "Inge", "Iris", "Jan", "Jasper", "Jeroen", "Joost", "Jorien", "Judith", "Julia", "Karin",
    "Kees", "Koen", "Laura", "Lieke", "Linda", "Lisa", "Lotte", "Maaike", "Marieke", "Mark", "Martijn", "Maarten",
    "Mirjam", "Niels", "Noor", "Paul", "Peter", "Pieter", "Renske", "Rick", "Rob", "Roos", "Ruben", "Saskia", "Sander",
    "Sanne", "Sarah", "Simone", "Sophie", "Stefan", "Thijs", "Thomas", "Tim", "Vera", "Wendy", "Willem", "Wouter",
    "Yvonne", "Mohamed", "Fatima", "Yusuf", "Samira", "Ahmet", "Elif", "Priya", "Kwame", "Chloë", "Joëlle", "Zoë",
    "Gijs", "Hidde", "Merel",
];

/// Surnames as (tussenvoegsel, name): "van der" + "Meer" is written "Van der Meer" when it leads, "Jan van der
/// Meer" in a full name.
pub const SURNAMES: &[(&str, &str)] = &[
    ("de", "Jong"),
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("van der", "Heijden"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("van der", "Wal"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("de", "Jonge"),
    ("", "Kuipers"),
    ("", "Post"),
    ("", "Veenstra"),
    ("", "Kramer"),
    ("van den", "Brink"),
    ("", "Scholten"),
    ("van", "Wijk"),
    ("", "Postma"),
    ("", "Vink"),
    ("de", "Ruiter"),
    ("", "Timmermans"),
    ("", "Groen"),
    ("", "Gerritsen"),
    ("", "Jonker"),
    ("van", "Loon"),
    ("van der", "Velde"),
    ("", "Smeets"),
    ("de", "Lange"),
    ("", "Bosch"),
    ("van", "Dongen"),
    ("", "Schipper"),
    ("de", "Koning"),
    ("van der", "Laan"),
    ("", "Driessen"),
    ("van", "Doorn"),
    ("", "Hermans"),
    ("van den", "Bosch"),
    ("van der", "Meulen"),
    ("", "Hofman"),
    ("", "Bosman"),
    ("", "Wolters"),
    ("van der", "Horst"),
    ("", "Molenaar"),
    ("van de", "Pol"),
    ("de", "Leeuw"),
    ("", "Verbeek"),
    ("", "El Amrani"),
    ("", "Bouzid"),
    ("", "Kaya"),
    ("", "Öztürk"),
    ("", "Nguyen"),
    ("", "Pinas"),
    ("", "Kowalski"),
    ("", "Mertens"),
];

/// Staff who came from Ukraine and now work for a Dutch municipality: Ukrainian native speakers.
pub const UKRAINIAN_NAMES: &[(&str, &str)] = &[
    ("Olena", "Kovalenko"),
    ("Iryna", "Shevchenko"),
    ("Oksana", "Bondarenko"),
    ("Andrii", "Melnyk"),
    ("Taras", "Tkachenko"),
    ("Nataliia", "Kravchenko"),
    ("Dmytro", "Oliinyk"),
    ("Yuliia", "Marchenko"),
];

/// How often a skill is someone's main field in a Dutch municipality (default 10).
pub const SKILL_WEIGHTS: &[(&str, u32)] = &[
    ("SPATIAL_PLANNING", 16),
    ("URBAN_DESIGN", 12),
    ("BUILDING_PERMITS", 12),
    ("SOCIAL_HOUSING", 12),
    ("ENERGY_EFFICIENCY", 12),
    ("DISTRICT_HEATING", 12),
    ("E_SERVICES", 12),
    ("PUBLIC_PROCUREMENT", 14),
    ("MUNICIPAL_BUDGETING", 12),
    ("SOCIAL_SERVICES_PLANNING", 12),
    ("IDP_RECEPTION", 12),
    ("PUBLIC_COMMUNICATION", 12),
    ("CITIZEN_PARTICIPATION", 12),
    ("DAMAGE_ASSESSMENT", 5),
    ("HOUSING_RECONSTRUCTION", 6),
    ("GRID_RESILIENCE", 5),
    ("VETERAN_REINTEGRATION", 3),
    ("REHABILITATION", 5),
    ("PRIMARY_HEALTH_CARE", 5),
    ("CIVIL_PROTECTION_SHELTERS", 4),
    ("MINE_ACTION_COORDINATION", 2),
];

/// Dutch job titles for someone whose main skill is the given one.
pub const JOB_TITLES: &[(&str, &[&str])] = &[
    ("SPATIAL_PLANNING", &["Beleidsadviseur ruimtelijke ordening", "Planoloog"]),
    ("URBAN_DESIGN", &["Stedenbouwkundige", "Ontwerper openbare ruimte"]),
    ("ZONING", &["Juridisch adviseur omgevingsplan", "Adviseur ruimtelijke procedures"]),
    ("BUILDING_PERMITS", &["Vergunningverlener omgevingsrecht", "Adviseur bouw- en woningtoezicht"]),
    ("LAND_MANAGEMENT", &["Adviseur grondzaken", "Adviseur vastgoed en grondbeleid"]),
    ("HERITAGE_PROTECTION", &["Adviseur cultureel erfgoed", "Monumentenadviseur"]),
    ("SOCIAL_HOUSING", &["Beleidsadviseur wonen", "Adviseur volkshuisvesting"]),
    ("HOUSING_RECONSTRUCTION", &["Projectleider woningbouw", "Projectmanager herstructurering"]),
    ("DAMAGE_ASSESSMENT", &["Constructeur", "Inspecteur bouw- en woningtoezicht"]),
    ("ENERGY_EFFICIENT_RENOVATION", &["Projectleider verduurzaming woningen", "Adviseur energiebesparing"]),
    ("ENERGY_EFFICIENCY", &["Energiecoördinator gemeentelijk vastgoed", "Adviseur energiebeheer"]),
    ("DISTRICT_HEATING", &["Projectleider warmtetransitie", "Adviseur warmtenetten"]),
    ("RENEWABLE_ENERGY", &["Programmamanager energietransitie", "Projectleider duurzame energie"]),
    ("GRID_RESILIENCE", &["Adviseur energie-infrastructuur", "Projectleider netcongestie"]),
    ("WATER_SUPPLY", &["Adviseur drinkwater en leidingnetten", "Projectleider waterketen"]),
    ("WASTEWATER_TREATMENT", &["Adviseur riolering", "Beleidsadviseur afvalwaterketen"]),
    ("STORMWATER_MANAGEMENT", &["Adviseur water en klimaat", "Rioleringsbeheerder"]),
    ("WATER_UTILITY_MANAGEMENT", &["Assetmanager waterketen", "Teamleider beheer riolering"]),
    ("SOLID_WASTE_MANAGEMENT", &["Beleidsadviseur afval en grondstoffen", "Projectleider afvalinzameling"]),
    ("CONSTRUCTION_DEMOLITION_WASTE", &["Adviseur circulair slopen", "Adviseur bodem en circulair bouwen"]),
    ("CLIMATE_ADAPTATION", &["Adviseur klimaatadaptatie", "Programmamanager groen en klimaat"]),
    ("ENVIRONMENTAL_ASSESSMENT", &["Milieuadviseur", "Adviseur milieueffectrapportage"]),
    ("PUBLIC_TRANSPORT", &["Beleidsadviseur openbaar vervoer", "Verkeersplanoloog"]),
    ("ROAD_BRIDGE_RECONSTRUCTION", &["Civieltechnisch projectleider", "Assetmanager bruggen en kademuren"]),
    ("TRAFFIC_SAFETY", &["Verkeerskundige", "Adviseur verkeersveiligheid"]),
    ("SUSTAINABLE_MOBILITY", &["Beleidsadviseur mobiliteit", "Projectleider fietsbeleid"]),
    ("E_SERVICES", &["Productowner digitale dienstverlening", "Adviseur digitale dienstverlening"]),
    ("ADMIN_SERVICE_CENTRES", &["Teamleider klantcontactcentrum", "Adviseur publieksdienstverlening"]),
    ("GIS_SPATIAL_DATA", &["GIS-specialist", "Geo-informatiespecialist"]),
    ("CYBERSECURITY", &["CISO", "Security officer informatiebeveiliging"]),
    ("IT_INFRASTRUCTURE", &["Informatiearchitect", "Teamleider ICT-infrastructuur"]),
    ("MUNICIPAL_LAW", &["Juridisch adviseur bestuursrecht", "Bestuursjurist"]),
    ("EU_LAW_ALIGNMENT", &["Adviseur Europese zaken", "EU-beleidsadviseur"]),
    ("STRATEGIC_PLANNING", &["Strategisch adviseur", "Programmamanager"]),
    ("HR_ORGANISATION", &["HR-adviseur", "Organisatieadviseur"]),
    ("GENDER_EQUALITY", &["Beleidsadviseur diversiteit en inclusie", "Adviseur gelijke kansen"]),
    ("ACCESSIBILITY", &["Adviseur toegankelijkheid", "Beleidsadviseur inclusie"]),
    ("CITIZEN_PARTICIPATION", &["Participatieadviseur", "Wijkregisseur"]),
    ("PARTICIPATORY_BUDGETING", &["Adviseur burgerbegroting", "Gebiedsmakelaar"]),
    ("PUBLIC_COMMUNICATION", &["Communicatieadviseur", "Woordvoerder"]),
    ("MUNICIPAL_BUDGETING", &["Concerncontroller", "Financieel adviseur"]),
    ("LOCAL_TAXATION", &["Adviseur belastingen", "Teamleider lokale heffingen"]),
    ("GRANT_MANAGEMENT", &["Subsidieadviseur", "Adviseur externe financiering"]),
    ("EU_FUNDS", &["Adviseur Europese subsidies", "EU-fondsenadviseur"]),
    ("CAPITAL_INVESTMENT_PLANNING", &["Adviseur investeringsplanning", "Treasurer"]),
    ("PUBLIC_PROCUREMENT", &["Senior adviseur inkoop", "Inkoopadviseur"]),
    ("CONTRACT_MANAGEMENT", &["Contractmanager", "Contractbeheerder"]),
    ("ANTI_CORRUPTION", &["Integriteitscoördinator", "Adviseur integriteit"]),
    ("INTERNAL_AUDIT", &["Auditor", "Adviseur interne beheersing"]),
    ("SOCIAL_SERVICES_PLANNING", &["Beleidsadviseur sociaal domein", "Casemanager Wmo"]),
    ("ELDERLY_DISABILITY_SUPPORT", &["Wmo-consulent", "Beleidsadviseur zorg en ondersteuning"]),
    ("CHILD_PROTECTION", &["Jeugdconsulent", "Beleidsadviseur jeugd"]),
    ("VETERAN_REINTEGRATION", &["Veteranenconsulent", "Adviseur re-integratie"]),
    ("IDP_RECEPTION", &["Coördinator opvang Oekraïense ontheemden", "Projectleider opvang"]),
    ("IDP_INTEGRATION", &["Beleidsadviseur inburgering", "Coördinator integratie"]),
    ("SCHOOL_RECONSTRUCTION", &["Projectleider onderwijshuisvesting", "Adviseur onderwijshuisvesting"]),
    ("INCLUSIVE_EDUCATION", &["Beleidsadviseur passend onderwijs", "Adviseur onderwijs en jeugd"]),
    ("SCHOOL_NETWORK_PLANNING", &["Beleidsadviseur onderwijs", "Adviseur huisvestingsplan onderwijs"]),
    ("PRIMARY_HEALTH_CARE", &["Beleidsadviseur publieke gezondheid", "Adviseur eerstelijnszorg"]),
    ("MENTAL_HEALTH_PSYCHOSOCIAL", &["Adviseur psychosociale hulp", "Beleidsadviseur GGZ"]),
    ("REHABILITATION", &["Adviseur revalidatie en hulpmiddelen", "Wmo-adviseur hulpmiddelen"]),
    ("EMERGENCY_PLANNING", &["Adviseur crisisbeheersing", "Adviseur openbare orde en veiligheid"]),
    ("CIVIL_PROTECTION_SHELTERS", &["Adviseur bevolkingszorg", "Adviseur fysieke veiligheid"]),
    ("CRISIS_COMMUNICATION", &["Adviseur crisiscommunicatie", "Communicatieadviseur veiligheid"]),
    ("MINE_ACTION_COORDINATION", &["Adviseur explosievenonderzoek", "Coördinator conventionele explosieven"]),
    ("LOCAL_ECONOMIC_DEVELOPMENT", &["Beleidsadviseur economie", "Accountmanager economische zaken"]),
    ("SME_SUPPORT", &["Ondernemersadviseur", "Accountmanager ondernemers"]),
    ("INVESTMENT_ATTRACTION", &["Acquisiteur bedrijven", "Adviseur investeringen en internationalisering"]),
    ("LABOUR_MARKET", &["Werkgeversadviseur", "Beleidsadviseur arbeidsmarkt"]),
];

/// A sentence some bios end with.
pub const BIO_EXTRAS: &[&str] = &[
    "Helped set up the municipality's reception of people from Ukraine in 2022.",
    "Has worked with partner cities in Central and Eastern Europe.",
    "Led several EU-funded projects.",
    "Enjoys training and coaching colleagues.",
    "Worked as a consultant in the private sector before joining the municipality.",
    "Has hosted study visits of foreign delegations.",
    "Active in the VNG network of colleagues in this field.",
    "Previously worked for a regional water authority.",
    "Took part in a municipal exchange with Moldova.",
];

/// A recovery plan of a real hromada (or Kyiv): one entry of `data/demo/plans.json`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// KATOTTG code.
    pub code: String,
    /// The place as English texts name it.
    pub place: String,
    pub title: String,
    pub summary: String,
    pub sectors: Vec<String>,
    /// First and last year of the plan's period.
    pub from: i32,
    pub until: i32,
    pub programme: Option<String>,
    pub status: PlanStatus,
}

/// The demo hromada: the hromada officer's, with one endorsed plan and one draft.
pub const DEMO_HROMADA: &str = "UA32080070000050759";

/// A skill a role asks for, at a minimum level.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkillLevel {
    pub skill: String,
    pub min_level: i32,
}

/// One role of a need template: title, essential skills and desired skills.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    pub title: String,
    pub essential: Vec<SkillLevel>,
    pub desired: Vec<SkillLevel>,
}

/// A need as a plan of the given sector asks it (one entry of `data/demo/needs.json`); `{place}` in the
/// description becomes the place's name.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedSpec {
    pub sector: String,
    pub title: String,
    pub description: String,
    pub roles: Vec<RoleSpec>,
}

/// Reads one of the demo's data files, compiled into the binary, once.
fn read<T: serde::de::DeserializeOwned>(
    cell: &'static OnceLock<Result<Vec<T>, String>>,
    name: &str,
    text: &str,
) -> AppResult<&'static [T]> {
    match cell.get_or_init(|| serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))) {
        Ok(items) => Ok(items),
        Err(e) => Err(AppError::internal(anyhow::anyhow!("the demo data does not read: {e}"))),
    }
}

/// The recovery plans of the demo (`data/demo/plans.json`).
pub fn plans() -> AppResult<&'static [PlanSpec]> {
    static PLANS: OnceLock<Result<Vec<PlanSpec>, String>> = OnceLock::new();
    read(&PLANS, "data/demo/plans.json", include_str!("../../../data/demo/plans.json"))
}

/// The need templates of the demo, by sector (`data/demo/needs.json`).
pub fn needs() -> AppResult<&'static [NeedSpec]> {
    static NEEDS: OnceLock<Result<Vec<NeedSpec>, String>> = OnceLock::new();
    read(&NEEDS, "data/demo/needs.json", include_str!("../../../data/demo/needs.json"))
}

/// How close an oblast is to the front: hromadas are ranked by `east · longitude + north · latitude` (the front
/// lies that way) and the first shares get the most serious statuses; the rest are NORMAL.
pub struct Front {
    /// The oblast as the reference data's `region` spells it.
    pub region: &'static str,
    pub east: f64,
    pub north: f64,
    pub shares: &'static [(SecurityStatus, f64)],
}

const OCCUPIED: SecurityStatus = SecurityStatus::Occupied;
const HOSTILITIES: SecurityStatus = SecurityStatus::ActiveHostilities;
const NEAR: SecurityStatus = SecurityStatus::NearFrontline;

/// Oblasts not listed are NORMAL.
pub const FRONTS: &[Front] = &[
    // The hromadas without an oblast in the reference data are those occupied before 2022 (Donetsk and Luhansk).
    Front { region: "", east: 1.0, north: 0.0, shares: &[(OCCUPIED, 1.0)] },
    Front { region: "Luhansk", east: 1.0, north: 0.0, shares: &[(OCCUPIED, 0.9), (HOSTILITIES, 0.1)] },
    Front { region: "Donetks", east: 1.0, north: 0.0, shares: &[(OCCUPIED, 0.45), (HOSTILITIES, 0.45), (NEAR, 0.1)] },
    Front {
        region: "Zaporizka",
        east: 0.6,
        north: -1.0,
        shares: &[(OCCUPIED, 0.45), (HOSTILITIES, 0.25), (NEAR, 0.3)],
    },
    Front { region: "Kherson", east: 1.0, north: -1.0, shares: &[(OCCUPIED, 0.4), (HOSTILITIES, 0.4), (NEAR, 0.2)] },
    Front { region: "Kharkiv", east: 1.0, north: 0.5, shares: &[(HOSTILITIES, 0.2), (NEAR, 0.5)] },
    Front { region: "Sumska", east: 0.5, north: 1.0, shares: &[(HOSTILITIES, 0.15), (NEAR, 0.4)] },
    Front { region: "Chernigiv", east: 0.5, north: 1.0, shares: &[(NEAR, 0.35)] },
    Front { region: "Mykolayiv", east: 1.0, north: -1.0, shares: &[(NEAR, 0.3)] },
    Front { region: "Driproptrovska", east: 1.0, north: -1.0, shares: &[(NEAR, 0.3)] },
];

/// Well-known places whose situation the ranking above would not get right.
pub const SECURITY_OVERRIDES: &[(&str, SecurityStatus)] = &[
    ("UA63120270000028556", NEAR),        // Kharkiv
    ("UA65100150000057191", HOSTILITIES), // Kherson
    ("UA23060070000082704", NEAR),        // Zaporizhzhia
    ("UA59080270000073662", NEAR),        // Sumy
    ("UA63040090000021240", NEAR),        // Izium
    ("UA63080090000067457", HOSTILITIES), // Kupiansk
    ("UA12080050000062712", HOSTILITIES), // Nikopol
    ("UA14120090000098500", HOSTILITIES), // Kramatorsk
    ("UA14120210000056793", HOSTILITIES), // Sloviansk
    ("UA48020190000083597", NEAR),        // Snihurivka
    ("UA59040110000026694", NEAR),        // Okhtyrka
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_data_files_read() {
        let plans = super::plans().expect("plans.json reads");
        let needs = super::needs().expect("needs.json reads");
        assert!(plans.len() >= 30 && needs.len() >= 50, "{} plans, {} needs", plans.len(), needs.len());
        for p in plans {
            assert!(p.sectors.iter().all(|s| needs.iter().any(|n| &n.sector == s)), "templates for {}", p.title);
        }
    }
}
