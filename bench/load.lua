-- `make load`: the request mix wrk sends to the plan service (bench/load.py writes the data file
-- this reads: plan tokens, their calendar ETags, request bodies). Each request is drawn by
-- weight; response() counts statuses, answered plans (201 from the API, a card from the skill's
-- filing turn) and anything unexpected, and done() prints one line bench/load.py parses.
--
-- Every skill turn is sent under a new Alexa user id, so runners do not share a state row: as
-- many runners talking at once, not one runner talking very fast.

local data
local counter = 0
-- Globals, not locals: done() reads each thread's `stats` with thread:get(), and setup() gives
-- each thread its `thread_id` with thread:set().
stats = { s200 = 0, s201 = 0, s304 = 0, unexpected = 0, filed_by_voice = 0, other_status = "" }
thread_id = 0
-- The token of every plan this thread saw answered (201, or the skill's card): bench/load.py
-- then looks each one up in the database, so "no plan lost" is checked plan by plan.
answered = {}

-- kind, weight: calendar polls dominate (phones poll feeds), then skill turns, creations, PDFs.
local MIX = {
   { "calendar", 25 }, { "calendar_if_none_match", 20 }, { "pdf", 10 }, { "create", 15 },
   { "skill_launch", 10 }, { "skill_answer", 15 }, { "skill_files_plan", 5 },
}
local TOTAL = 0
for _, entry in ipairs(MIX) do TOTAL = TOTAL + entry[2] end

local threads = {}

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   data = dofile(args[1])
   math.randomseed(os.time() * 100 + thread_id)
end

local function pick()
   local roll = math.random(TOTAL)
   for _, entry in ipairs(MIX) do
      roll = roll - entry[2]
      if roll <= 0 then return entry[1] end
   end
   return MIX[1][1]
end

local function new_user(body)
   counter = counter + 1
   local user = string.format("amzn1.ask.account.LOADRUNNER%02d%09d", thread_id, counter)
   return (body:gsub("LOADRUNNERID", user))
end

local JSON = { ["Content-Type"] = "application/json" }

function request()
   local kind = pick()
   local plan = math.random(#data.tokens)
   local token = data.tokens[plan]
   if kind == "calendar" then
      return wrk.format("GET", "/plans/" .. token .. ".ics")
   elseif kind == "calendar_if_none_match" then
      return wrk.format("GET", "/plans/" .. token .. ".ics", { ["If-None-Match"] = data.etags[plan] })
   elseif kind == "pdf" then
      return wrk.format("GET", "/plans/" .. token .. ".pdf")
   elseif kind == "create" then
      return wrk.format("POST", "/api/plans", JSON, data.create_body)
   elseif kind == "skill_launch" then
      return wrk.format("POST", "/alexa", JSON, new_user(data.launch_body))
   elseif kind == "skill_answer" then
      local answers = data.answer_bodies
      return wrk.format("POST", "/alexa", JSON, new_user(answers[math.random(#answers)]))
   else
      return wrk.format("POST", "/alexa", JSON, new_user(data.filing_body))
   end
end

function response(status, headers, body)
   if status == 200 then
      stats.s200 = stats.s200 + 1
      -- Only the skill's filing turn sends a card (it carries the plan's code and link).
      if body and body:find('"card"', 1, true) then
         stats.filed_by_voice = stats.filed_by_voice + 1
         table.insert(answered, body:match("/plans/([%w_-]+)") or "?")
      end
   elseif status == 201 then
      stats.s201 = stats.s201 + 1
      table.insert(answered, body and body:match('"token":%s*"([%w_-]+)"') or "?")
   elseif status == 304 then
      stats.s304 = stats.s304 + 1
   else
      stats.unexpected = stats.unexpected + 1
      if #stats.other_status < 200 then stats.other_status = stats.other_status .. status .. " " end
   end
end

function done(summary, latency, requests)
   local totals = { s200 = 0, s201 = 0, s304 = 0, unexpected = 0, filed_by_voice = 0 }
   local others = ""
   for _, thread in ipairs(threads) do
      local counted = thread:get("stats")
      for key, _ in pairs(totals) do totals[key] = totals[key] + counted[key] end
      others = others .. counted.other_status
   end
   local listing = io.open(os.getenv("LOAD_ANSWERED_FILE") or "/dev/null", "w")
   for _, thread in ipairs(threads) do
      for _, token in ipairs(thread:get("answered")) do listing:write(token, "\n") end
   end
   listing:close()
   local errors = summary.errors
   io.write(string.format(
      "LOAD_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d "
         .. "timeout=%d status=%d s200=%d s201=%d s304=%d unexpected=%d filed_by_voice=%d others=%s\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      totals.s200, totals.s201, totals.s304, totals.unexpected, totals.filed_by_voice,
      others == "" and "-" or others:gsub(" ", ",")))
end

