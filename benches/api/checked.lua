-- Shared by the page scripts: every response is checked (a 200 whose body has data and no errors), and the
-- summary prints requests/s, p50 and p99 latency, and the failures of every kind.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"data"', 1, true) or body:find('"errors"', 1, true) then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local unchecked = 0
  for _, t in ipairs(threads) do
    unchecked = unchecked + t:get("bad")
  end
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d, body %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    unchecked))
end
