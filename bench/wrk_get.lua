-- GET one path, or cycle through several (one per line in $BENCH_PATHS).
-- With one path wrk sends a pre-built request (no Lua per request), as for nginx.
dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_report.lua")

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

if #paths == 1 then
  wrk.path = paths[1]
else
  local next_index = 0
  function init(args)
    next_index = math.random(#paths)
  end
  function request()
    next_index = next_index % #paths + 1
    return wrk.format("GET", paths[next_index])
  end
end
