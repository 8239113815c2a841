-- 90% views (GET a page from $BENCH_PATHS, cycling) and 10% creates (as wrk_create.lua).
dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_create_common.lua")

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local view_share = tonumber(os.getenv("BENCH_VIEW_SHARE") or "0.9")
local next_index = 0

function request()
  if math.random() < view_share then
    next_index = next_index % #paths + 1
    return wrk.format("GET", paths[next_index])
  end
  return create_request()
end
