-- wrk script: POST a page of 20 experts with one skill (SKILL, the pool's most common skill, from compare.sh), with
-- municipality, skills and languages, with a bearer token; every response is checked (checked.lua).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = [[{"query":"{ experts(first: 20, filter: { skillId: \"SKILL_ID\" }) { totalCount edges { node { id name jobTitle municipality { name } skills { level skill { code labelEn } } languages { language level } } } } }"}]]
wrk.body = (string.gsub(wrk.body, "SKILL_ID", os.getenv("SKILL")))

dofile(os.getenv("PWD") .. "/benches/api/checked.lua")
