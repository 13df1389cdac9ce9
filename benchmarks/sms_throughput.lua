-- wrk script for benchmarks/sms_throughput.py: each thread has one connection and sends the
-- signed requests of its file (argument: the folder) in order, so one customer's texts arrive
-- one after another; a file used up starts again (only the anchors get that far).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  requests = {}
  ran_out = 0
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  for line in io.lines(args[1] .. "/" .. id .. ".txt") do
    local signature, body = line:match("^([^\t]*)\t(.*)$")
    headers["X-Twilio-Signature"] = signature
    table.insert(requests, wrk.format("POST", nil, headers, body))
  end
  index = 0
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    ran_out = 1
  end
  return requests[index]
end

function done(summary, latency, requests)
  local out = 0
  for _, thread in ipairs(threads) do
    if thread:get("ran_out") == 1 then out = 1 end
  end
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors, out))
end
