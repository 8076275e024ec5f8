-- wrk script of `bench load`: RFC 8058 one-click unsubscribes, each request with a different signed token.
-- Arguments: the token file (one per line), wrk's thread count and optionally a number of lines to skip;
-- thread k of n takes lines k, k+n, … so no two threads post the same token. Past its last token a thread
-- starts again (repeats change nothing).
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local threads = tonumber(args[2])
  local skip = tonumber(args[3] or "0")
  tokens = {}
  local line_number = 0
  for token in io.lines(args[1]) do
    if line_number >= skip and (line_number - skip) % threads == id then
      tokens[#tokens + 1] = token
    end
    line_number = line_number + 1
  end
  position = 0
  wrk.method = "POST"
  wrk.body = "List-Unsubscribe=One-Click"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  position = position % #tokens + 1
  return wrk.format(nil, "/unsubscribe?token=" .. tokens[position])
end
