-- wrk script: the same page as needs_page.lua from PostGraphile 5's generated schema (compare.sh), ordered by id
-- as recovery-pool's list is; no token (PostGraphile connects as the database owner).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"query":"{ allNeeds(first: 20, orderBy: PRIMARY_KEY_ASC) { totalCount edges { node { rowId title priority status recoveryPlanByPlanId { title municipalityByMunicipalityId { name nameLocal } } needRolesByNeedId(orderBy: POSITION_ASC) { nodes { title seats roleSkillsByRoleId { nodes { minLevel essential skillBySkillId { code labelEn } } } } } } } } }"}]]

dofile(os.getenv("PWD") .. "/benches/api/checked.lua")
