-- wrk script for bench/webhook-load (built on wrk's own scripts/post.lua).
-- Every request is a distinct GitLab delivery the service must store: a Push Hook creating branch
-- feature/wp-<n> (a real job, not an ignored event) with its own Idempotency-Key (no dedup hits).
-- Env: GITLAB_TOKEN; RATE (requests/s over all connections, 0 = as fast as possible); CONNECTIONS (the -c value).
local token = os.getenv("GITLAB_TOKEN") or "bench-secret"
local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
-- A per-run salt keeps runs (and the warm-up) from repeating each other's keys, which would be answered 200 as duplicates.
local salt = tonumber(os.getenv("SALT") or "0")

local body_tmpl = [[{"object_kind":"push","event_name":"push","before":"0000000000000000000000000000000000000000","after":"68d7a5528cf423dfaac37dd62a56ac9cc8a884e3","ref":"refs/heads/feature/wp-%d","checkout_sha":"68d7a5528cf423dfaac37dd62a56ac9cc8a884e3","user_username":"bench","project_id":42,"project":{"id":42,"path_with_namespace":"group/project","default_branch":"main","web_url":"https://gitlab.example.com/group/project"},"commits":[],"total_commits_count":0}]]

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Gitlab-Event"] = "Push Hook"
wrk.headers["X-Gitlab-Token"] = token

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n, non2xx = 0, 0
end

-- Fixed rate: each connection waits connections/rate seconds between its requests (wrk measures latency
-- from the send, so the wait is not counted).
if rate > 0 then
  function delay()
    return connections * 1000 / rate
  end
end

function request()
  n = n + 1
  local seq = salt * 1000000000 + id * 100000000 + n
  wrk.headers["Idempotency-Key"] = string.format("00000000-0000-4000-8000-%012d", seq)
  return wrk.format(nil, nil, nil, string.format(body_tmpl, seq))
end

function response(status, headers, body)
  if status ~= 202 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  io.write(string.format("RESULT requests=%d non202=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
