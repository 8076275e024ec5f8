#!/usr/bin/env bash
# A system-wide CPU profile of one `send` (perf, from Debian's linux-perf): a window inside the ceiling loop
# and one inside the pipeline, each split by process and, for the sending process, into CPU per message by
# code (kernel, runtime, each managed assembly). Shows where the pipeline's extra CPU over the ceiling goes.
# Usage: profile-send.sh [RECIPIENTS] [OUT_DIR]   (build first: dotnet build -c Release tests/Newsletter.Benchmarks)
set -euo pipefail
cd "$(dirname "$0")/../.."
recipients=${1:-100000}
out=${2:-$(mktemp -d /tmp/newsletter-profile-XXXXXX)}
mkdir -p "$out"
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 1; }

# JIT-compiled methods get names in /tmp/perf-PID.map; without W^X the map's addresses are the ones executed.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet tests/Newsletter.Benchmarks/bin/Release/net10.0/Newsletter.Benchmarks.dll send --recipients "$recipients" \
  --connections 8 --sink fast --dkim off --ceiling-recipients 40000 --plain-recipients 0 > "$out/bench.log" 2>&1 &
bench=$!
until grep -q '^ceiling:' "$out/bench.log" 2>/dev/null; do sleep 0.2; done
sleep 1
perf record -a -g -F 499 -o "$out/ceiling.data" -- sleep 5 2>/dev/null
# The pipeline's first progress line comes 5 s after the scheduled moment.
until awk '/^ceiling:/{c=1} c && /sending:/{f=1} END{exit !f}' "$out/bench.log"; do sleep 0.2; done
perf record -a -g -F 499 -o "$out/pipeline.data" -- sleep 10 2>/dev/null
wait "$bench"

report=$(tail -1 "$out/bench.log")
for phase in ceiling pipeline; do
  seconds=$([ "$phase" = ceiling ] && echo 5 || echo 10)
  rate=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['ceiling_before_msgs_per_s'] if sys.argv[2]=='ceiling' else d['pipeline_msgs_per_s'])" "$report" "$phase")
  echo "== $phase ($seconds s at $rate msg/s)"
  perf script -i "$out/$phase.data" -F pid,comm,ip,sym,dso 2>/dev/null |
    python3 tests/Newsletter.Benchmarks/profile-summary.py "$bench" "$rate" "$seconds" 499
done
echo "perf data and the benchmark's log: $out"
