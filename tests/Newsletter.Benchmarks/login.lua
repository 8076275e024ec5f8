-- wrk script of `bench load`: password guessing on /login from one client address, as fast as wrk goes.
-- The per-client limit answers all but the first few with 429, before any password hash is computed.
function init(args)
  wrk.method = "POST"
  wrk.body = "user=admin&password=a-wrong-guess"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
