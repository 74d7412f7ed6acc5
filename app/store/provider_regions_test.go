package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"todos/app"
)

var twoRegions = []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}

// TestLocalProviderOffersRegions: every offered region is a file on this
// disk, in Dir; a region not offered is refused.
func TestLocalProviderOffersRegions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := LocalProvider{Dir: dir, Offered: twoRegions}
	if got := p.Regions(); len(got) != 2 || got[1] != twoRegions[1] {
		t.Fatalf("Regions() = %+v", got)
	}
	for i, region := range []string{"ams", "iad"} {
		loc, err := p.Create(ctx, "t_"+region, region)
		if err != nil || filepath.Dir(loc) != dir {
			t.Fatalf("create in %s: %q %v", region, loc, err)
		}
		staged, err := p.Stage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if loc, err := p.Adopt(ctx, "t_adopted"+region, region, staged); err != nil || filepath.Dir(loc) != dir {
			t.Fatalf("adopt %d in %s: %q %v", i, region, loc, err)
		}
	}
	if _, err := p.Create(ctx, "t_local", "local"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("create in a region not offered: %v", err)
	}
	if got := (LocalProvider{Dir: dir}).Regions(); len(got) != 1 || got[0] != LocalRegion {
		t.Errorf("default regions: %+v", got)
	}
}

// snapshotLocal is a LocalProvider that also snapshots, as the sqld one.
type snapshotLocal struct {
	LocalProvider
	calls *int
}

func (p snapshotLocal) Snapshot(ctx context.Context, db *sql.DB, dstPath string) error {
	*p.calls++
	return nil
}

// TestOneServerRegions: the offered regions all land in the wrapped
// provider's one region, which keeps being a Snapshotter.
func TestOneServerRegions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	local := LocalProvider{Dir: dir}
	if _, ok := OneServerRegions(local, nil).(LocalProvider); !ok {
		t.Errorf("no regions: not the provider itself")
	}
	calls := 0
	p := OneServerRegions(snapshotLocal{local, &calls}, twoRegions)
	if got := p.Regions(); len(got) != 2 || got[0] != twoRegions[0] {
		t.Fatalf("Regions() = %+v", got)
	}
	if loc, err := p.Create(ctx, "t_a", "ams"); err != nil || filepath.Dir(loc) != dir {
		t.Fatalf("create in ams: %q %v", loc, err)
	}
	staged, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Adopt(ctx, "t_b", "iad", staged); err != nil {
		t.Fatalf("adopt in iad: %v", err)
	}
	if _, err := p.Create(ctx, "t_c", "local"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("the wrapped region is not offered: %v", err)
	}
	sn, ok := p.(Snapshotter)
	if !ok {
		t.Fatal("lost Snapshotter")
	}
	if err := sn.Snapshot(ctx, nil, ""); err != nil || calls != 1 {
		t.Errorf("snapshot: %v, %d calls", err, calls)
	}
	if _, ok := OneServerRegions(local, twoRegions).(Snapshotter); ok {
		t.Error("became a Snapshotter")
	}
}
