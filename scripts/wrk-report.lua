-- wrk script for scripts/loadtest.sh: counts the responses that are not 2xx and, when the
-- run is done, prints one line for the path in WRK_LABEL:
--   path requests requests/s p50 p95 p99 (ms) non-2xx socket-errors
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local function ms(p) return latency:percentile(p) / 1000 end
  io.write(string.format("%-48s %9d %10.1f %8.2f %8.2f %8.2f %8d %8d\n",
    os.getenv("WRK_LABEL") or wrk.path, summary.requests, summary.requests / seconds,
    ms(50), ms(95), ms(99), non2xx, socket_errors))
end
