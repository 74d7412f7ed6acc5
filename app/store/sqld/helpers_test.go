package sqld

import (
	"context"
	"path/filepath"
	"testing"

	"todos/app/internal/providertest"
	"todos/app/internal/sqldtest"
)

var ctx = context.Background()

// newTestProvider returns a provider on srv, with cfg's timeouts.
func newTestProvider(t testing.TB, srv *sqldtest.Server, cfg Config) *Provider {
	t.Helper()
	cfg.URL, cfg.AdminURL, cfg.StagingDir = srv.URL, srv.AdminURL, filepath.Join(t.TempDir(), "staging")
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The contract suite's helpers, under the names this package's tests use.
var (
	wantCode   = providertest.WantCode
	mustCreate = providertest.MustCreate
	mustOpen   = providertest.MustOpen
	exec       = providertest.Exec
	titles     = providertest.Titles
)
