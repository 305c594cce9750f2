-- wrk script: POST /recommend with a history of 1 to 20 random songs (internal ids), k = 10, exclude_seen = true.
-- SONGS (environment) is the model's song count (default 3168, yes_small). Each wrk thread has its own seed.
local songs = tonumber(os.getenv("SONGS") or "3168")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(7919 * seed)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  local n = math.random(1, 20)
  local ids = {}
  for i = 1, n do ids[i] = math.random(0, songs - 1) end
  return wrk.format(nil, nil, nil, '{"history": [' .. table.concat(ids, ",") .. '], "k": 10, "exclude_seen": true}')
end
