package turso

import (
	"testing"
)

// TestBlockWrites: a region move asks Turso to refuse writes to the old
// database; reads go on, and writes come back when the block is lifted.
func TestBlockWrites(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	loc := mustCreate(t, p, "t_block")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('before')")
	_ = db.Close()
	if err := p.BlockWrites(ctx, loc, true); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, p, loc) // another server's handle
	if _, err := other.ExecContext(ctx, "INSERT INTO t (title) VALUES ('during')"); err == nil {
		t.Fatal("a write to a database whose writes are blocked succeeded")
	}
	if got := titles(t, other); len(got) != 1 || got[0] != "before" {
		t.Fatalf("reads while blocked: %q", got)
	}
	_ = other.Close()
	if err := p.BlockWrites(ctx, loc, false); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, p, loc)
	defer db.Close()
	exec(t, db, "INSERT INTO t (title) VALUES ('after')")
}
