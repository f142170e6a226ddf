//! The demo pool's raw material: Dutch names, job titles per skill, the contributing municipalities, the recovery
//! plans of real hromadas, need templates per sector, and the security situation by oblast. Invented people and
//! plans over the real reference data; nothing here is about a real person.

use crate::domain::{PlanStatus, SecurityStatus};

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

/// A recovery plan of a real hromada (or Kyiv).
pub struct PlanSpec {
    /// KATOTTG code.
    pub code: &'static str,
    /// The place as English texts name it.
    pub place: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub sectors: &'static [&'static str],
    pub years: (i32, i32),
    pub programme: Option<&'static str>,
    pub status: PlanStatus,
}

const SDLG: Option<&str> = Some("SDLG");

/// The demo hromada: the hromada officer's, with one endorsed plan and one draft.
pub const DEMO_HROMADA: &str = "UA32080070000050759";

pub const PLANS: &[PlanSpec] = &[
    PlanSpec {
        code: "UA80000000000093317",
        place: "Kyiv",
        title: "Kyiv City Recovery Programme 2025–2027",
        summary: "Restoring municipal services after strikes on the energy and water infrastructure, expanding civil \
                  protection shelters in schools and residential districts, and digitising permits for reconstruction.",
        sectors: &["ENERGY", "CIVIL_PROTECTION", "DIGITAL_GOVERNMENT", "WATER_SANITATION"],
        years: (2025, 2027),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA46060250000025047",
        place: "Lviv",
        title: "Lviv Integrated Development and Recovery Plan 2025–2030",
        summary: "Lviv hosts one of the largest communities of internally displaced people in Ukraine. The plan expands \
                  social housing and reception capacity, rehabilitation services for veterans and civilians, and jobs \
                  for newcomers in relocated businesses.",
        sectors: &["SOCIAL_SERVICES", "HOUSING", "HEALTH", "ECONOMIC_DEVELOPMENT"],
        years: (2025, 2030),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA63120270000028556",
        place: "Kharkiv",
        title: "Kharkiv Recovery Master Plan, First Phase 2025–2028",
        summary: "Rebuilding damaged housing and schools in the northern districts, protected schooling, a resilient \
                  heat supply, and a transparent procurement system for reconstruction works.",
        sectors: &["HOUSING", "EDUCATION", "ENERGY", "PROCUREMENT_INTEGRITY"],
        years: (2025, 2028),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA51100270000073549",
        place: "Odesa",
        title: "Odesa Resilience and Heritage Recovery Plan 2025–2029",
        summary: "Protecting and restoring the historic centre, making the water and power supply resilient to outages, \
                  and supporting the small businesses that depend on the port.",
        sectors: &["SPATIAL_PLANNING", "WATER_SANITATION", "ENERGY", "ECONOMIC_DEVELOPMENT"],
        years: (2025, 2029),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA74100390000073425",
        place: "Chernihiv",
        title: "Chernihiv Comprehensive Recovery Programme 2024–2027",
        summary: "Repairing housing and bridges damaged during the 2022 siege, rebuilding the heat supply with \
                  decentralised boiler houses, and restoring the historic centre.",
        sectors: &["HOUSING", "ENERGY", "MOBILITY", "SPATIAL_PLANNING"],
        years: (2024, 2027),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA48060150000071713",
        place: "Mykolaiv",
        title: "Mykolaiv Water Security and Recovery Plan 2025–2028",
        summary: "Restoring a safe drinking-water supply for the whole city, repairing schools and clinics, and \
                  strengthening budgeting and grant management for reconstruction.",
        sectors: &["WATER_SANITATION", "EDUCATION", "PUBLIC_FINANCE"],
        years: (2025, 2028),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA32080150000035443",
        place: "Irpin",
        title: "Irpin Integrated Recovery Plan 2023–2027",
        summary: "Completing the reconstruction of damaged residential blocks and social infrastructure, building back \
                  better with energy-efficient renovation, and involving residents in the redesign of public spaces.",
        sectors: &["HOUSING", "PARTICIPATION", "SPATIAL_PLANNING", "ENERGY"],
        years: (2023, 2027),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: DEMO_HROMADA,
        place: "Bucha",
        title: "Bucha Recovery and Development Plan 2025–2030",
        summary: "Rebuilding housing and public spaces, psychosocial support for residents, modern administrative \
                  services, and a participatory approach to the community's new spatial plan.",
        sectors: &["HOUSING", "HEALTH", "DIGITAL_GOVERNMENT", "PARTICIPATION"],
        years: (2025, 2030),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: DEMO_HROMADA,
        place: "Bucha",
        title: "Bucha Climate Adaptation and Green Spaces Plan 2026–2030",
        summary: "A draft plan for stormwater management, urban greenery and energy-efficient public buildings, to be \
                  submitted to AUC after the public consultation.",
        sectors: &["ENVIRONMENT", "WATER_SANITATION", "ENERGY"],
        years: (2026, 2030),
        programme: None,
        status: PlanStatus::Draft,
    },
    PlanSpec {
        code: "UA32080030000070006",
        place: "Borodianka",
        title: "Borodianka Reconstruction Plan 2024–2028",
        summary: "Rebuilding the destroyed apartment blocks in the centre, clearing and recycling the rubble, and \
                  restoring the heat and water networks.",
        sectors: &["HOUSING", "ENVIRONMENT", "WATER_SANITATION"],
        years: (2024, 2028),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA32080110000056605",
        place: "Hostomel",
        title: "Hostomel Recovery Plan 2025–2028",
        summary: "Restoring the residential areas near the airfield, rebuilding schools and kindergartens, and \
                  attracting investment for new jobs.",
        sectors: &["HOUSING", "EDUCATION", "ECONOMIC_DEVELOPMENT"],
        years: (2025, 2028),
        programme: None,
        status: PlanStatus::Submitted,
    },
    PlanSpec {
        code: "UA32080190000081428",
        place: "Makariv",
        title: "Makariv Priority Recovery Plan 2023–2025",
        summary: "Urgent repairs to housing, the hospital and the water supply after the occupation; closed once its \
                  priority projects were completed and succeeded by the community's development strategy.",
        sectors: &["HOUSING", "HEALTH", "WATER_SANITATION"],
        years: (2023, 2025),
        programme: None,
        status: PlanStatus::Closed,
    },
    PlanSpec {
        code: "UA18040190000029215",
        place: "Zhytomyr",
        title: "Zhytomyr Energy Independence Plan 2025–2029",
        summary: "Building on the city's record in energy efficiency: renewable generation and storage for municipal \
                  buildings, a resilient heat network, and an energy management office with sound finances.",
        sectors: &["ENERGY", "PUBLIC_FINANCE", "PROCUREMENT_INTEGRITY"],
        years: (2025, 2029),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA59080270000073662",
        place: "Sumy",
        title: "Sumy Resilience Plan 2025–2027",
        summary: "Shelters for schools, backup power for the water and heat utilities, and services for people \
                  displaced from the border hromadas.",
        sectors: &["CIVIL_PROTECTION", "ENERGY", "SOCIAL_SERVICES"],
        years: (2025, 2027),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA59040110000026694",
        place: "Okhtyrka",
        title: "Okhtyrka Recovery Plan 2024–2028",
        summary: "Restoring the heat supply after the destruction of the combined heat and power plant, repairing the \
                  city centre, and modernising administrative services.",
        sectors: &["ENERGY", "HOUSING", "DIGITAL_GOVERNMENT"],
        years: (2024, 2028),
        programme: None,
        status: PlanStatus::Submitted,
    },
    PlanSpec {
        code: "UA59040130000041676",
        place: "Trostianets",
        title: "Trostianets Recovery Plan 2022–2025",
        summary: "Restoring the town centre, the railway station area and the historic estate after the 2022 \
                  occupation; closed after its priority projects were completed.",
        sectors: &["SPATIAL_PLANNING", "HOUSING", "ECONOMIC_DEVELOPMENT"],
        years: (2022, 2025),
        programme: None,
        status: PlanStatus::Closed,
    },
    PlanSpec {
        code: "UA63040090000021240",
        place: "Izium",
        title: "Izium Recovery and Development Plan 2025–2030",
        summary: "Rebuilding destroyed housing and the water supply, coordinating the clearance of explosive \
                  ordnance, and reopening schools and the hospital.",
        sectors: &["HOUSING", "WATER_SANITATION", "CIVIL_PROTECTION", "HEALTH"],
        years: (2025, 2030),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA65100150000057191",
        place: "Kherson",
        title: "Kherson City Recovery Plan 2025–2027",
        summary: "Keeping services running under shelling: protected schools and clinics, repairs to the water supply \
                  after the flood of 2023, and support for the residents who stayed.",
        sectors: &["CIVIL_PROTECTION", "WATER_SANITATION", "SOCIAL_SERVICES"],
        years: (2025, 2027),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA23060070000082704",
        place: "Zaporizhzhia",
        title: "Zaporizhzhia Recovery Programme 2025–2028",
        summary: "Shelters and emergency planning, the reception and integration of people displaced from the occupied \
                  areas, and resilient power and heat networks.",
        sectors: &["CIVIL_PROTECTION", "SOCIAL_SERVICES", "ENERGY"],
        years: (2025, 2028),
        programme: None,
        status: PlanStatus::Submitted,
    },
    PlanSpec {
        code: "UA12020010000033698",
        place: "Dnipro",
        title: "Dnipro Recovery and Resilience Plan 2025–2030",
        summary: "A regional hub for rehabilitation and for displaced people: modern rehabilitation services, housing \
                  for displaced families, and a renewed public transport network.",
        sectors: &["HEALTH", "SOCIAL_SERVICES", "MOBILITY", "HOUSING"],
        years: (2025, 2030),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA12060170000091033",
        place: "Kryvyi Rih",
        title: "Kryvyi Rih Water and Energy Recovery Plan 2026–2029",
        summary: "A draft plan to repair the water network after strikes, make public buildings energy-efficient, and \
                  broaden the local economy beyond mining.",
        sectors: &["WATER_SANITATION", "ENERGY", "ECONOMIC_DEVELOPMENT"],
        years: (2026, 2029),
        programme: None,
        status: PlanStatus::Draft,
    },
    PlanSpec {
        code: "UA53080370000025447",
        place: "Poltava",
        title: "Poltava Inclusive Recovery Plan 2025–2029",
        summary: "Barrier-free public spaces, inclusive education, and social services for veterans and displaced \
                  families.",
        sectors: &["GOVERNANCE", "EDUCATION", "SOCIAL_SERVICES"],
        years: (2025, 2029),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA05020030000031457",
        place: "Vinnytsia",
        title: "Vinnytsia Digital Services and Recovery Plan 2025–2028",
        summary: "Digital public services and open data for recovery planning, modern procurement, and support for \
                  businesses that relocated to the city.",
        sectors: &["DIGITAL_GOVERNMENT", "PROCUREMENT_INTEGRITY", "ECONOMIC_DEVELOPMENT"],
        years: (2025, 2028),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA26040190000081578",
        place: "Ivano-Frankivsk",
        title: "Ivano-Frankivsk Recovery Plan 2025–2030",
        summary: "Housing and integration of displaced people, jobs in relocated enterprises, and participatory \
                  budgeting for the new neighbourhoods.",
        sectors: &["SOCIAL_SERVICES", "ECONOMIC_DEVELOPMENT", "PARTICIPATION"],
        years: (2025, 2030),
        programme: None,
        status: PlanStatus::Submitted,
    },
    PlanSpec {
        code: "UA32020010000093088",
        place: "Bila Tserkva",
        title: "Bila Tserkva Recovery and Modernisation Plan 2026–2029",
        summary: "A draft plan for the energy-efficient renovation of apartment blocks, a new school network plan, and \
                  local tax reform to fund recovery.",
        sectors: &["HOUSING", "EDUCATION", "PUBLIC_FINANCE"],
        years: (2026, 2029),
        programme: None,
        status: PlanStatus::Draft,
    },
    PlanSpec {
        code: "UA32060050000030591",
        place: "Brovary",
        title: "Brovary Recovery Plan 2024–2027",
        summary: "Restoring schools and kindergartens, public transport and road safety, and integrity safeguards for \
                  reconstruction spending.",
        sectors: &["EDUCATION", "MOBILITY", "PROCUREMENT_INTEGRITY"],
        years: (2024, 2027),
        programme: None,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA48040070000056126",
        place: "Voznesensk",
        title: "Voznesensk Community Recovery Plan 2025–2028",
        summary: "Repairing the bridges and roads damaged in 2022, modernising the water utility, and support for \
                  farmers and small businesses.",
        sectors: &["MOBILITY", "WATER_SANITATION", "ECONOMIC_DEVELOPMENT"],
        years: (2025, 2028),
        programme: SDLG,
        status: PlanStatus::Endorsed,
    },
    PlanSpec {
        code: "UA48020190000083597",
        place: "Snihurivka",
        title: "Snihurivka Recovery Plan 2025–2029",
        summary: "After eight months of occupation: clearing explosive ordnance, restoring the water supply and housing, \
                  and rebuilding the community's administration.",
        sectors: &["CIVIL_PROTECTION", "HOUSING", "WATER_SANITATION", "GOVERNANCE"],
        years: (2025, 2029),
        programme: None,
        status: PlanStatus::Submitted,
    },
    PlanSpec {
        code: "UA74040250000063494",
        place: "Nizhyn",
        title: "Nizhyn Heritage and Economy Recovery Plan 2026–2030",
        summary: "A draft plan to restore historic buildings, attract investment and support small enterprises, and \
                  build the administration's capacity for strategic planning.",
        sectors: &["SPATIAL_PLANNING", "ECONOMIC_DEVELOPMENT", "GOVERNANCE"],
        years: (2026, 2030),
        programme: None,
        status: PlanStatus::Draft,
    },
    PlanSpec {
        code: "UA32100130000093505",
        place: "Slavutych",
        title: "Slavutych Energy Resilience Plan 2023–2025",
        summary: "Backup heat and power for the city's utilities and public buildings; closed after its priority \
                  measures were completed.",
        sectors: &["ENERGY", "WATER_SANITATION"],
        years: (2023, 2025),
        programme: None,
        status: PlanStatus::Closed,
    },
    PlanSpec {
        code: "UA21100230000083101",
        place: "Uzhhorod",
        title: "Uzhhorod Reception and Integration Plan 2025–2027",
        summary: "Housing, schooling and jobs for displaced people, and cross-border cooperation on EU funds.",
        sectors: &["SOCIAL_SERVICES", "EDUCATION", "PUBLIC_FINANCE"],
        years: (2025, 2027),
        programme: None,
        status: PlanStatus::Endorsed,
    },
];

/// One role of a need template: title, essential skills and desired skills (code, minimum level).
pub struct RoleSpec {
    pub title: &'static str,
    pub essential: &'static [(&'static str, i32)],
    pub desired: &'static [(&'static str, i32)],
}

/// A need as a plan of the given sector asks it; `{place}` in the description becomes the place's name.
pub struct NeedSpec {
    pub sector: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub roles: &'static [RoleSpec],
}

const fn role(
    title: &'static str,
    essential: &'static [(&'static str, i32)],
    desired: &'static [(&'static str, i32)],
) -> RoleSpec {
    RoleSpec { title, essential, desired }
}

pub const NEEDS: &[NeedSpec] = &[
    NeedSpec {
        sector: "SPATIAL_PLANNING",
        title: "Revision of the general plan",
        description: "{place} is revising its general plan to guide reconstruction: where to rebuild, densify or \
                      relocate, and how to protect green and heritage areas. The team advises the planning department \
                      on method, public consultation and European practice.",
        roles: &[
            role("Senior spatial planner", &[("SPATIAL_PLANNING", 4)], &[("ZONING", 3), ("STRATEGIC_PLANNING", 3)]),
            role("GIS specialist", &[("GIS_SPATIAL_DATA", 3)], &[("SPATIAL_PLANNING", 2)]),
        ],
    },
    NeedSpec {
        sector: "SPATIAL_PLANNING",
        title: "Redesign of the central square and main streets",
        description: "The centre of {place} was badly damaged. The city wants a design for the square and the main \
                      streets that is safe, accessible and green, made together with residents.",
        roles: &[role("Urban designer", &[("URBAN_DESIGN", 3)], &[("ACCESSIBILITY", 3), ("CITIZEN_PARTICIPATION", 2)])],
    },
    NeedSpec {
        sector: "SPATIAL_PLANNING",
        title: "Guidelines for restoring historic buildings",
        description: "Damaged historic buildings in {place} need restoration guidelines that owners, architects and \
                      the permit office can follow, and a list of priorities.",
        roles: &[role("Heritage specialist", &[("HERITAGE_PROTECTION", 4)], &[("BUILDING_PERMITS", 3)])],
    },
    NeedSpec {
        sector: "SPATIAL_PLANNING",
        title: "Faster building permits for reconstruction",
        description: "Residents of {place} wait months for permits to repair their homes. The permit office wants to \
                      simplify its procedures and move them online without weakening building control.",
        roles: &[
            role("Building control advisor", &[("BUILDING_PERMITS", 3)], &[("E_SERVICES", 2)]),
            role("Municipal lawyer", &[("MUNICIPAL_LAW", 3)], &[("ZONING", 2)]),
        ],
    },
    NeedSpec {
        sector: "HOUSING",
        title: "Reconstruction programme for damaged apartment blocks",
        description: "Dozens of apartment blocks in {place} need structural repair or rebuilding. The housing \
                      department needs help to prioritise, tender and supervise the works and to keep residents \
                      informed.",
        roles: &[
            role("Housing reconstruction manager", &[("HOUSING_RECONSTRUCTION", 4)], &[("CONTRACT_MANAGEMENT", 3)]),
            role("Structural damage assessor", &[("DAMAGE_ASSESSMENT", 3)], &[]),
            role("Procurement advisor", &[("PUBLIC_PROCUREMENT", 3)], &[("ANTI_CORRUPTION", 2)]),
        ],
    },
    NeedSpec {
        sector: "HOUSING",
        title: "Social housing strategy for displaced residents",
        description: "{place} houses many displaced families in temporary accommodation. The city wants a strategy for \
                      municipal social housing: stock, allocation, rents and financing.",
        roles: &[role(
            "Housing policy advisor",
            &[("SOCIAL_HOUSING", 4)],
            &[("IDP_RECEPTION", 2), ("MUNICIPAL_BUDGETING", 2)],
        )],
    },
    NeedSpec {
        sector: "HOUSING",
        title: "Energy-efficient renovation with homeowners' associations",
        description: "Repairs to war-damaged buildings in {place} are a chance to insulate them. The city wants a \
                      renovation programme with the homeowners' associations, including co-financing.",
        roles: &[role(
            "Renovation programme advisor",
            &[("ENERGY_EFFICIENT_RENOVATION", 3)],
            &[("GRANT_MANAGEMENT", 2), ("CITIZEN_PARTICIPATION", 2)],
        )],
    },
    NeedSpec {
        sector: "ENERGY",
        title: "Decentralised heat supply and boiler house modernisation",
        description: "Attacks on large plants left {place} without heat. The utility plans smaller, distributed boiler \
                      houses and combined heat and power units, and needs help with design and tendering.",
        roles: &[
            role("Heat network engineer", &[("DISTRICT_HEATING", 4)], &[("ENERGY_EFFICIENCY", 2)]),
            role("Energy transition project leader", &[("ENERGY_EFFICIENCY", 3)], &[("RENEWABLE_ENERGY", 3)]),
        ],
    },
    NeedSpec {
        sector: "ENERGY",
        title: "Backup power for critical municipal services",
        description: "Hospitals, water pumps and administrative centres in {place} must keep working during blackouts. \
                      The city wants a plan for backup generation and storage, and its maintenance.",
        roles: &[role(
            "Energy resilience advisor",
            &[("GRID_RESILIENCE", 3)],
            &[("RENEWABLE_ENERGY", 3), ("EMERGENCY_PLANNING", 2)],
        )],
    },
    NeedSpec {
        sector: "ENERGY",
        title: "Municipal energy management office",
        description: "{place} wants to set up an energy management office that monitors the consumption of its \
                      schools, clinics and offices and plans savings.",
        roles: &[role(
            "Energy manager for public buildings",
            &[("ENERGY_EFFICIENCY", 3)],
            &[("PUBLIC_PROCUREMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "ENERGY",
        title: "Solar power on schools and clinics",
        description: "Rooftop solar with batteries on schools and clinics in {place}: feasibility, tender documents and \
                      the financing plan.",
        roles: &[role(
            "Renewable energy project developer",
            &[("RENEWABLE_ENERGY", 3)],
            &[("PUBLIC_PROCUREMENT", 3), ("GRANT_MANAGEMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "WATER_SANITATION",
        title: "Restoration of the drinking-water supply",
        description: "Parts of the water network of {place} were destroyed. The utility needs advice on restoring the \
                      supply, water quality monitoring and a sound tariff and maintenance plan.",
        roles: &[
            role("Water supply engineer", &[("WATER_SUPPLY", 4)], &[]),
            role("Utility management advisor", &[("WATER_UTILITY_MANAGEMENT", 3)], &[("MUNICIPAL_BUDGETING", 2)]),
        ],
    },
    NeedSpec {
        sector: "WATER_SANITATION",
        title: "Rehabilitation of the wastewater treatment plant",
        description: "The wastewater treatment plant of {place} works at a fraction of its capacity. The utility wants \
                      a phased rehabilitation plan that meets European standards.",
        roles: &[role(
            "Wastewater specialist",
            &[("WASTEWATER_TREATMENT", 4)],
            &[("ENVIRONMENTAL_ASSESSMENT", 2), ("EU_LAW_ALIGNMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "WATER_SANITATION",
        title: "Stormwater and flood management",
        description: "Heavy rain floods streets and basements in {place}. The city wants a stormwater plan that combines \
                      pipes with green solutions.",
        roles: &[role("Stormwater advisor", &[("STORMWATER_MANAGEMENT", 3)], &[("CLIMATE_ADAPTATION", 3)])],
    },
    NeedSpec {
        sector: "ENVIRONMENT",
        title: "Clearing and recycling demolition rubble",
        description: "Thousands of tonnes of rubble in {place} need to be cleared safely and, where possible, recycled \
                      into building material.",
        roles: &[role(
            "Demolition waste specialist",
            &[("CONSTRUCTION_DEMOLITION_WASTE", 3)],
            &[("SOLID_WASTE_MANAGEMENT", 3), ("ENVIRONMENTAL_ASSESSMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "ENVIRONMENT",
        title: "Separate waste collection",
        description: "{place} wants to introduce separate collection of household waste, with containers, contracts \
                      and a campaign for residents.",
        roles: &[role(
            "Waste management advisor",
            &[("SOLID_WASTE_MANAGEMENT", 3)],
            &[("PUBLIC_PROCUREMENT", 2), ("PUBLIC_COMMUNICATION", 2)],
        )],
    },
    NeedSpec {
        sector: "ENVIRONMENT",
        title: "Climate adaptation and urban greenery plan",
        description: "Heat and drought hit {place} harder every summer. The city wants an adaptation plan with trees, \
                      green spaces and water retention.",
        roles: &[role(
            "Climate adaptation advisor",
            &[("CLIMATE_ADAPTATION", 3)],
            &[("URBAN_DESIGN", 2), ("STORMWATER_MANAGEMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "ENVIRONMENT",
        title: "Strategic environmental assessment of the recovery plan",
        description: "The recovery plan of {place} needs a strategic environmental assessment that meets Ukrainian law \
                      and the requirements of European lenders.",
        roles: &[role(
            "Environmental assessment expert",
            &[("ENVIRONMENTAL_ASSESSMENT", 4)],
            &[("EU_LAW_ALIGNMENT", 2)],
        )],
    },
    NeedSpec {
        sector: "MOBILITY",
        title: "Reconstruction of bridges and main roads",
        description: "Several bridges and main roads of {place} were destroyed. The road department needs help with \
                      inspections, priorities and supervising the contractors.",
        roles: &[
            role("Bridge and road engineer", &[("ROAD_BRIDGE_RECONSTRUCTION", 4)], &[("CONTRACT_MANAGEMENT", 3)]),
            role("Traffic safety engineer", &[("TRAFFIC_SAFETY", 3)], &[]),
        ],
    },
    NeedSpec {
        sector: "MOBILITY",
        title: "Public transport network and fleet renewal",
        description: "{place} wants to redesign its bus and trolleybus network around the new population pattern and \
                      renew the fleet.",
        roles: &[role(
            "Public transport planner",
            &[("PUBLIC_TRANSPORT", 3)],
            &[("SUSTAINABLE_MOBILITY", 3), ("ACCESSIBILITY", 2)],
        )],
    },
    NeedSpec {
        sector: "MOBILITY",
        title: "Safe routes to school",
        description: "Rebuilt schools in {place} need safe walking and cycling routes and traffic calming around them.",
        roles: &[role("Traffic safety engineer", &[("TRAFFIC_SAFETY", 3)], &[("SUSTAINABLE_MOBILITY", 2)])],
    },
    NeedSpec {
        sector: "DIGITAL_GOVERNMENT",
        title: "Digital administrative services (one-stop shop)",
        description: "The administrative service centre of {place} wants residents to apply for most services online \
                      and in mobile offices, including people displaced elsewhere.",
        roles: &[
            role("Service design lead", &[("ADMIN_SERVICE_CENTRES", 3)], &[("E_SERVICES", 3)]),
            role("E-government specialist", &[("E_SERVICES", 3)], &[("CYBERSECURITY", 2)]),
        ],
    },
    NeedSpec {
        sector: "DIGITAL_GOVERNMENT",
        title: "Damage and reconstruction register in GIS",
        description: "{place} keeps damage records in spreadsheets. A GIS register would link damage, ownership, \
                      permits and reconstruction progress.",
        roles: &[role("GIS specialist", &[("GIS_SPATIAL_DATA", 3)], &[("DAMAGE_ASSESSMENT", 2)])],
    },
    NeedSpec {
        sector: "DIGITAL_GOVERNMENT",
        title: "Cybersecurity of municipal systems",
        description: "Municipal systems of {place} are targets of cyberattacks. The city needs a security baseline, \
                      backups and an incident response plan.",
        roles: &[role("Information security officer", &[("CYBERSECURITY", 4)], &[("IT_INFRASTRUCTURE", 3)])],
    },
    NeedSpec {
        sector: "GOVERNANCE",
        title: "Recovery programme management office",
        description: "{place} runs dozens of recovery projects with several donors. It wants a programme office with \
                      clear planning, reporting and risk management.",
        roles: &[
            role("Programme manager", &[("STRATEGIC_PLANNING", 4)], &[("GRANT_MANAGEMENT", 3), ("EU_FUNDS", 2)]),
            role("Grant manager", &[("GRANT_MANAGEMENT", 3)], &[("INTERNAL_AUDIT", 2)]),
        ],
    },
    NeedSpec {
        sector: "GOVERNANCE",
        title: "Barrier-free public buildings and streets",
        description: "Many residents of {place}, veterans among them, now live with a disability. The city wants its \
                      rebuilt buildings and streets to be barrier-free and needs standards and checks.",
        roles: &[role("Accessibility advisor", &[("ACCESSIBILITY", 3)], &[("URBAN_DESIGN", 2)])],
    },
    NeedSpec {
        sector: "GOVERNANCE",
        title: "Local regulations aligned with the EU acquis",
        description: "As Ukraine moves towards EU membership, {place} wants to review its local regulations against \
                      European law.",
        roles: &[role("Municipal lawyer (EU law)", &[("EU_LAW_ALIGNMENT", 3), ("MUNICIPAL_LAW", 3)], &[])],
    },
    NeedSpec {
        sector: "GOVERNANCE",
        title: "Organisational development of the city administration",
        description: "The administration of {place} lost staff and took on new tasks. It wants help with its \
                      organisation, job profiles and training.",
        roles: &[role("HR and organisation advisor", &[("HR_ORGANISATION", 3)], &[("GENDER_EQUALITY", 2)])],
    },
    NeedSpec {
        sector: "PARTICIPATION",
        title: "Residents' participation in the reconstruction plan",
        description: "{place} wants residents, including displaced people and young people, to help shape the \
                      reconstruction plan, with meetings, online tools and feedback.",
        roles: &[role("Participation specialist", &[("CITIZEN_PARTICIPATION", 3)], &[("PUBLIC_COMMUNICATION", 3)])],
    },
    NeedSpec {
        sector: "PARTICIPATION",
        title: "Participatory budgeting for recovery projects",
        description: "{place} wants to let residents decide on part of the recovery budget, fairly and transparently.",
        roles: &[role(
            "Participatory budgeting advisor",
            &[("PARTICIPATORY_BUDGETING", 3)],
            &[("MUNICIPAL_BUDGETING", 2)],
        )],
    },
    NeedSpec {
        sector: "PARTICIPATION",
        title: "Communication about reconstruction progress",
        description: "Residents of {place} want to know what is rebuilt, when and with whose money. The city wants a \
                      communication plan and a public dashboard.",
        roles: &[role("Communication advisor", &[("PUBLIC_COMMUNICATION", 3)], &[("CRISIS_COMMUNICATION", 2)])],
    },
    NeedSpec {
        sector: "PUBLIC_FINANCE",
        title: "Recovery budget and medium-term financial plan",
        description: "{place} needs a medium-term financial plan that fits reconstruction, donor money and loans into \
                      a sound budget.",
        roles: &[role(
            "Municipal finance advisor",
            &[("MUNICIPAL_BUDGETING", 4)],
            &[("CAPITAL_INVESTMENT_PLANNING", 3)],
        )],
    },
    NeedSpec {
        sector: "PUBLIC_FINANCE",
        title: "Grant acquisition from international donors",
        description: "{place} wants to apply for more international funding and needs a grants team that knows \
                      European programmes and donors' reporting.",
        roles: &[role("Grant manager", &[("GRANT_MANAGEMENT", 3)], &[("EU_FUNDS", 3)])],
    },
    NeedSpec {
        sector: "PUBLIC_FINANCE",
        title: "Local taxes and fees after the war",
        description: "Revenue from local taxes in {place} fell sharply. The city wants to review its property tax, \
                      fees and collection.",
        roles: &[role("Local taxation expert", &[("LOCAL_TAXATION", 3)], &[("MUNICIPAL_BUDGETING", 2)])],
    },
    NeedSpec {
        sector: "PROCUREMENT_INTEGRITY",
        title: "Transparent procurement of reconstruction works",
        description: "{place} tenders large reconstruction contracts in Prozorro. It wants better tender documents, \
                      quality criteria and contract management.",
        roles: &[
            role("Procurement advisor", &[("PUBLIC_PROCUREMENT", 4)], &[("ANTI_CORRUPTION", 3)]),
            role("Contract manager", &[("CONTRACT_MANAGEMENT", 3)], &[]),
        ],
    },
    NeedSpec {
        sector: "PROCUREMENT_INTEGRITY",
        title: "Integrity and anti-corruption safeguards",
        description: "Donors ask {place} for strong integrity safeguards in reconstruction spending: risk analysis, \
                      codes of conduct and reporting channels.",
        roles: &[role("Integrity officer", &[("ANTI_CORRUPTION", 3)], &[("INTERNAL_AUDIT", 3)])],
    },
    NeedSpec {
        sector: "PROCUREMENT_INTEGRITY",
        title: "Internal control for donor-funded projects",
        description: "{place} wants internal control and audit procedures that satisfy its international donors.",
        roles: &[role("Internal auditor", &[("INTERNAL_AUDIT", 3)], &[("GRANT_MANAGEMENT", 2)])],
    },
    NeedSpec {
        sector: "SOCIAL_SERVICES",
        title: "Reception centre for internally displaced persons",
        description: "{place} receives displaced people from the east and south. It wants to improve its reception \
                      centres: intake, housing, information and case management.",
        roles: &[
            role("Reception coordinator", &[("IDP_RECEPTION", 3)], &[("SOCIAL_SERVICES_PLANNING", 2)]),
            role("Social services planner", &[("SOCIAL_SERVICES_PLANNING", 3)], &[]),
        ],
    },
    NeedSpec {
        sector: "SOCIAL_SERVICES",
        title: "Integration of displaced families into the community",
        description: "Displaced families in {place} need housing, work, schools and contacts. The city wants an \
                      integration programme with local organisations.",
        roles: &[role(
            "Integration advisor",
            &[("IDP_INTEGRATION", 3)],
            &[("LABOUR_MARKET", 2), ("CHILD_PROTECTION", 2)],
        )],
    },
    NeedSpec {
        sector: "SOCIAL_SERVICES",
        title: "Services for veterans and their families",
        description: "{place} wants a veterans' service point that helps with housing, work, health care and \
                      psychosocial support.",
        roles: &[role(
            "Veteran support advisor",
            &[("VETERAN_REINTEGRATION", 3)],
            &[("MENTAL_HEALTH_PSYCHOSOCIAL", 2), ("LABOUR_MARKET", 2)],
        )],
    },
    NeedSpec {
        sector: "SOCIAL_SERVICES",
        title: "Home care for older people and people with disabilities",
        description: "Many older residents of {place} live alone after their families left. The city wants to organise \
                      home care and day activities.",
        roles: &[role(
            "Care services planner",
            &[("ELDERLY_DISABILITY_SUPPORT", 3)],
            &[("SOCIAL_SERVICES_PLANNING", 3)],
        )],
    },
    NeedSpec {
        sector: "SOCIAL_SERVICES",
        title: "Child protection and family support",
        description: "The child protection service of {place} faces more cases of children who lost a parent or home, \
                      and wants to strengthen family support.",
        roles: &[role("Child protection specialist", &[("CHILD_PROTECTION", 3)], &[("SOCIAL_SERVICES_PLANNING", 2)])],
    },
    NeedSpec {
        sector: "EDUCATION",
        title: "Rebuilding schools with shelters",
        description: "Schools in {place} can only hold classes in person when they have a shelter. The city needs help \
                      with designs and priorities for rebuilding schools with shelters.",
        roles: &[
            role(
                "School building advisor",
                &[("SCHOOL_RECONSTRUCTION", 3)],
                &[("CIVIL_PROTECTION_SHELTERS", 3), ("ENERGY_EFFICIENCY", 2)],
            ),
            role("Civil protection engineer", &[("CIVIL_PROTECTION_SHELTERS", 3)], &[]),
        ],
    },
    NeedSpec {
        sector: "EDUCATION",
        title: "School network plan after population change",
        description: "The population of {place} has changed district by district. The city wants a school network plan \
                      for the coming ten years.",
        roles: &[role("Education planner", &[("SCHOOL_NETWORK_PLANNING", 3)], &[("GIS_SPATIAL_DATA", 2)])],
    },
    NeedSpec {
        sector: "EDUCATION",
        title: "Inclusive education in rebuilt schools",
        description: "{place} wants its rebuilt schools to welcome children with disabilities and children who \
                      experienced trauma.",
        roles: &[role("Inclusive education advisor", &[("INCLUSIVE_EDUCATION", 3)], &[("ACCESSIBILITY", 2)])],
    },
    NeedSpec {
        sector: "HEALTH",
        title: "Psychosocial support network",
        description: "Residents of {place} live with loss and stress. The city wants a network of low-threshold \
                      psychosocial support with schools, clinics and community centres.",
        roles: &[role(
            "Mental health coordinator",
            &[("MENTAL_HEALTH_PSYCHOSOCIAL", 3)],
            &[("SOCIAL_SERVICES_PLANNING", 2)],
        )],
    },
    NeedSpec {
        sector: "HEALTH",
        title: "Rehabilitation services for injured residents and veterans",
        description: "{place} wants to organise rehabilitation close to home for injured residents and veterans, with \
                      aids and adapted housing.",
        roles: &[role(
            "Rehabilitation services advisor",
            &[("REHABILITATION", 3)],
            &[("ACCESSIBILITY", 2), ("VETERAN_REINTEGRATION", 2)],
        )],
    },
    NeedSpec {
        sector: "HEALTH",
        title: "Primary health care in restored clinics",
        description: "Restored clinics in {place} need a new organisation of primary care: staffing, appointments and \
                      links with social services.",
        roles: &[role("Primary care organisation advisor", &[("PRIMARY_HEALTH_CARE", 3)], &[])],
    },
    NeedSpec {
        sector: "CIVIL_PROTECTION",
        title: "Shelters in schools and public buildings",
        description: "{place} needs more and better shelters in schools, clinics and administrative buildings: \
                      inventory, standards and a building programme.",
        roles: &[role(
            "Civil protection engineer",
            &[("CIVIL_PROTECTION_SHELTERS", 3)],
            &[("SCHOOL_RECONSTRUCTION", 2)],
        )],
    },
    NeedSpec {
        sector: "CIVIL_PROTECTION",
        title: "Municipal emergency and continuity plan",
        description: "{place} wants an emergency plan that keeps its services going during attacks and blackouts, with \
                      exercises for its staff.",
        roles: &[role("Crisis management advisor", &[("EMERGENCY_PLANNING", 4)], &[("CRISIS_COMMUNICATION", 3)])],
    },
    NeedSpec {
        sector: "CIVIL_PROTECTION",
        title: "Public warning and crisis communication",
        description: "{place} wants to reach all residents quickly in an emergency: sirens, mobile alerts and clear \
                      messages.",
        roles: &[role("Crisis communication advisor", &[("CRISIS_COMMUNICATION", 3)], &[("PUBLIC_COMMUNICATION", 2)])],
    },
    NeedSpec {
        sector: "CIVIL_PROTECTION",
        title: "Coordination of explosive ordnance clearance",
        description: "Fields, forests and yards around {place} are contaminated with explosive ordnance. The \
                      administration wants to coordinate clearance priorities with the State Emergency Service and \
                      run risk education.",
        roles: &[role("Mine action coordinator", &[("MINE_ACTION_COORDINATION", 3)], &[("LAND_MANAGEMENT", 2)])],
    },
    NeedSpec {
        sector: "ECONOMIC_DEVELOPMENT",
        title: "Support for relocated and local small businesses",
        description: "Businesses that relocated to {place} and local entrepreneurs need premises, advice and access \
                      to finance. The city wants a business support desk.",
        roles: &[role("SME support advisor", &[("SME_SUPPORT", 3)], &[("LOCAL_ECONOMIC_DEVELOPMENT", 3)])],
    },
    NeedSpec {
        sector: "ECONOMIC_DEVELOPMENT",
        title: "Investment attraction and an industrial park",
        description: "{place} wants to attract investors to a new industrial park: site preparation, incentives and \
                      promotion.",
        roles: &[role("Investment promotion advisor", &[("INVESTMENT_ATTRACTION", 3)], &[("LAND_MANAGEMENT", 2)])],
    },
    NeedSpec {
        sector: "ECONOMIC_DEVELOPMENT",
        title: "Employment services for veterans and displaced people",
        description: "{place} wants to match veterans and displaced people with local employers, with training where \
                      needed.",
        roles: &[role("Labour market advisor", &[("LABOUR_MARKET", 3)], &[("VETERAN_REINTEGRATION", 2)])],
    },
    NeedSpec {
        sector: "ECONOMIC_DEVELOPMENT",
        title: "Local economic development strategy",
        description: "{place} wants an economic development strategy that builds on its strengths after the war.",
        roles: &[role(
            "Economic development strategist",
            &[("LOCAL_ECONOMIC_DEVELOPMENT", 4)],
            &[("STRATEGIC_PLANNING", 3)],
        )],
    },
];

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
