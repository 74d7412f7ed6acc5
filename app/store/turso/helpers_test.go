package turso

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"log/slog"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/providertest"
	"todos/app/internal/sqldtest"
	"todos/app/internal/tursofake"
)

var ctx = context.Background()

// testOrg is the organisation of every fake.
const testOrg = "acme"

// newTestProvider returns a provider on fake f, with cfg's settings; the
// regions are "ams" and "iad" unless cfg names some.
func newTestProvider(t testing.TB, f *tursofake.Fake, cfg Config) *Provider {
	t.Helper()
	cfg.APIURL, cfg.Org, cfg.APIToken = f.URL, testOrg, Secret(f.Token)
	cfg.StagingDir = filepath.Join(t.TempDir(), "staging")
	if cfg.Regions == nil {
		cfg.Regions = []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}
	}
	if cfg.APIBackoff == 0 {
		cfg.APIBackoff = 1 // retries at once: tests do not wait
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// startFake starts a fake with the groups ams and iad.
func startFake(t testing.TB) *tursofake.Fake {
	t.Helper()
	return tursofake.Start(t, testOrg, "ams", "iad")
}

// The contract suite's helpers, under the names this package's tests use.
var (
	wantCode   = providertest.WantCode
	mustCreate = providertest.MustCreate
	mustOpen   = providertest.MustOpen
	exec       = providertest.Exec
	titles     = providertest.Titles
)

// captureLogs sends the default logger's output, at every level, to a
// buffer until the test ends, and returns the buffer.
func captureLogs(t *testing.T) *sqldtest.Buffer {
	t.Helper()
	buf := &sqldtest.Buffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	return buf
}

// sqlOpen opens a one-connection handle on a local connector.
func sqlOpen(c driver.Connector) *sql.DB {
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db
}
