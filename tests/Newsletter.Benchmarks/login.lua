-- wrk script of `bench load`: password guessing on /login from one client address, as fast as wrk goes or, with
-- a pause in milliseconds as the argument, one guess per pause on each connection (`--logins-per-minute`).
-- The per-client limit answers all but the first few with 429, before any password hash is computed.
local pause = 0

function init(args)
  wrk.method = "POST"
  wrk.body = "user=admin&password=a-wrong-guess"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  pause = tonumber(args[1]) or 0
end

function delay()
  return pause
end
