#!/usr/bin/env bash
# Load benchmark: builds the product (bin/todos) and the benchmark program
# (bin/bench), then runs every case against the product and its two
# comparison servers and prints a Markdown report (also written to
# bench-report.md, or -out FILE). Arguments go to "bench run":
#
#   scripts/bench.sh               the full run (a few minutes)
#   scripts/bench.sh -smoke        every case, tiny, in well under a minute
#   scripts/bench.sh -big=0 -duration 5s -keep
#
# See docs/benchmarks.md, "Under load: the product against its floor".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

cc="$(go env CC)"
if ! command -v "${cc:-gcc}" >/dev/null 2>&1; then
  echo "bench: no C compiler (${cc:-gcc}): go-libsql links with cgo; install one with \"apt-get install gcc\" (scripts/test.sh does)" >&2
  exit 1
fi
echo "building bin/todos and bin/bench…" >&2
go build -o bin/todos .
go build -o bin/bench ./scripts/bench
exec bin/bench run "$@"
