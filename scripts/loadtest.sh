#!/usr/bin/env bash
# Load test of a citygov server on this machine with wrk: one run per path, one line each.
#
#   scripts/loadtest.sh BASE_URL [--cookie 'citygov_session=…'] [--connections 50] [--duration 20s] PATH...
#   scripts/loadtest.sh http://127.0.0.1:8080 /api/v1/health '/api/v1/procedures?q=giay+phep'
#
# Exits non-zero when any path had a response that was not 2xx or a socket error.
set -euo pipefail

usage() {
  sed -n '4,5p' "$0" | sed 's/^#   //' >&2
  exit 2
}

base="" cookie="" connections=50 duration=20s paths=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cookie) cookie=${2:?}; shift 2 ;;
    --connections) connections=${2:?}; shift 2 ;;
    --duration) duration=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) if [ -z "$base" ]; then base=${1%/}; else paths+=("$1"); fi; shift ;;
  esac
done
[ -n "$base" ] && [ ${#paths[@]} -gt 0 ] || usage
command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: run .ci/run (or apt-get install wrk)" >&2; exit 2; }

# Only servers on this machine: a load test is no thing to aim at someone else's host.
case "$base" in
  http://127.* | http://localhost:* | http://localhost | http://\[::1\]*) ;;
  *) echo "BASE_URL must be a server on this machine (http://127.0.0.1:PORT, localhost or [::1]): $base" >&2; exit 2 ;;
esac

lua="$(cd "$(dirname "$0")" && pwd)/wrk-report.lua"
headers=()
[ -z "$cookie" ] || headers=(-H "Cookie: $cookie")
threads=2
[ "$connections" -ge "$threads" ] || threads=$connections

printf '%-48s %9s %10s %8s %8s %8s %8s %8s\n' path requests 'req/s' 'p50 ms' 'p95 ms' 'p99 ms' non-2xx errors
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for path in "${paths[@]}"; do
  case "$path" in /*) ;; *) path="/$path" ;; esac
  if ! WRK_LABEL="$path" wrk -t"$threads" -c"$connections" -d"$duration" --latency \
      "${headers[@]}" -s "$lua" "$base$path" >"$out" 2>&1; then
    cat "$out" >&2
    failed=1
    continue
  fi
  # The report's line is the last one; its last two columns are non-2xx and socket errors.
  line=$(tail -n 1 "$out")
  printf '%s\n' "$line"
  read -r non2xx errors < <(awk '{print $(NF-1), $NF}' <<<"$line")
  if [ "$non2xx" != 0 ] || [ "$errors" != 0 ]; then failed=1; fi
done
exit "$failed"
