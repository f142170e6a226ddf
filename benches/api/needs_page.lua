-- wrk script: POST the 20-needs page (plan, municipality, roles with required skills) with a bearer token.
-- TOKEN comes from the environment (see run.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = [[{"query":"{ needs(first: 20) { totalCount edges { node { id title priority status plan { title } municipality { name nameLocal } roles { title seats skills { minLevel essential skill { code labelEn } } } } } } }"}]]

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
