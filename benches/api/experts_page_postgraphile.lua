-- wrk script: the same page as experts_page.lua from PostGraphile 5's generated schema (compare.sh): the skill's
-- expert_skills rows in key order (expert id, as recovery-pool's list), each with its expert; no token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"query":"{ skillByRowId(rowId: \"SKILL_ID\") { expertSkillsBySkillId(first: 20, orderBy: PRIMARY_KEY_ASC) { totalCount nodes { expertByExpertId { rowId name jobTitle municipalityByMunicipalityId { name } expertSkillsByExpertId { nodes { level skillBySkillId { code labelEn } } } expertLanguagesByExpertId { nodes { language level } } } } } } }"}]]
wrk.body = (string.gsub(wrk.body, "SKILL_ID", os.getenv("SKILL")))

dofile(os.getenv("PWD") .. "/benches/api/checked.lua")
