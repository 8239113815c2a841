-- POST /api/paste/ creating one paste per request, with a token.
--   $BENCH_CREATE_PATH   the path to POST to
--   $BENCH_TOKEN         the API token
--   $BENCH_BODY          a file holding the paste body as a JSON string literal ("...")
-- Titles differ per request (thread number and counter) like real clients' would.
dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_create_common.lua")

function request()
  return create_request()
end
