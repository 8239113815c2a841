-- What wrk_create.lua and wrk_mix.lua share: the report and one create request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_report.lua")

local create_path = os.getenv("BENCH_CREATE_PATH")
local body_file = io.open(os.getenv("BENCH_BODY"), "rb")
local body_json = body_file:read("*a")
body_file:close()
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Token " .. os.getenv("BENCH_TOKEN"),
}
local counter = 0
local next_thread = 0

-- setup() runs in the main Lua state; thread:set() writes a global of that thread's state.
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end
thread_number = 0

function init(args)
  math.randomseed(thread_number * 7919 + os.time())
end

function create_request()
  counter = counter + 1
  local body = string.format('{"title":"bench-%d-%d.py","body":%s}', thread_number, counter,
                             body_json)
  return wrk.format("POST", create_path, headers, body)
end
