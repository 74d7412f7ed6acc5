package turso

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"

	"todos/app"
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

// wantCode fails unless err is an app error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// mustCreate creates tenantID's database in ams.
func mustCreate(t *testing.T, p *Provider, tenantID string) string {
	t.Helper()
	loc, err := p.Create(ctx, tenantID, "ams")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	return loc
}

// mustOpen opens location and closes it when the test ends.
func mustOpen(t *testing.T, p *Provider, loc string) *sql.DB {
	t.Helper()
	db, err := p.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs statements on db.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// titles returns the titles of table t in id order.
func titles(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT title FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

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
