-- wrk script: POST the 20-needs page (plan, municipality, roles with required skills) with a bearer token, and
-- count every response that is not a 200 with data and no errors. TOKEN comes from the environment (run.sh,
-- compare.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = [[{"query":"{ needs(first: 20) { totalCount edges { node { id title priority status plan { title } municipality { name nameLocal } roles { title seats skills { minLevel essential skill { code labelEn } } } } } } }"}]]

dofile(os.getenv("PWD") .. "/benches/api/checked.lua")
