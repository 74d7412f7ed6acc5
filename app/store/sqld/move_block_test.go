package sqld

import (
	"context"
	"errors"
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// racingProvider is the sqld provider, through which another server (a
// handle of its own on the source namespace) tries to write while a move
// copies the database: its Adopt runs between the copy and the switch.
type racingProvider struct {
	*Provider
	source    string // the namespace being moved
	raced     error  // what the other server's write got
	failAdopt bool   // make the move fail after the write was tried
}

func (p *racingProvider) Adopt(ctx context.Context, tenantID, region, path string) (string, error) {
	db, err := p.Provider.Open(ctx, p.source)
	if err != nil {
		return "", err
	}
	_, p.raced = db.ExecContext(ctx, "INSERT INTO todos (title, created_at, updated_at) VALUES ('late write', 1, 1)")
	_ = db.Close()
	if p.failAdopt {
		return "", errors.New("adopt failed")
	}
	return p.Provider.Adopt(ctx, tenantID, region, path)
}

// TestMoveBlocksWritesOfOtherServers: a move tells the libSQL server to
// refuse writes to the old namespace before copying it, so another server
// that has not heard of the move gets an error saying so, not a write
// that would vanish with the old namespace; a move that fails lets writes
// in again.
func TestMoveBlocksWritesOfOtherServers(t *testing.T) {
	srv := sqldtest.Start(t)
	regions := []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}
	for _, fail := range []bool{false, true} {
		rp := &racingProvider{Provider: newTestProvider(t, srv, Config{}), failAdopt: fail}
		p := store.OneServerRegions(rp, regions)
		tenants, _ := newTenantsOn(t, p)
		before, err := tenants.FindTenant(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		rp.source = before.Location
		_, err = tenants.MoveTenant(ctx, "acme", "iad", "cli")
		if fail != (err != nil) {
			t.Fatalf("fail=%v: move: %v", fail, err)
		}
		if rp.raced == nil || !strings.Contains(app.ErrorMessage(rp.raced), "being moved") {
			t.Fatalf("fail=%v: another server's write during the move: %v (%s)", fail, rp.raced, app.ErrorMessage(rp.raced))
		}
		if !fail {
			continue
		}
		// The move failed: the tenant is where it was, and takes writes.
		db := mustOpen(t, rp.Provider, before.Location)
		exec(t, db, "INSERT INTO todos (title, created_at, updated_at) VALUES ('after a failed move', 1, 1)")
		_ = db.Close()
	}
}
