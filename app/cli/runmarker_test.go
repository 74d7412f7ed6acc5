package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRunMarkerTellsACleanStopFromAnUncleanOne(t *testing.T) {
	dir := t.TempDir()
	live, err := startRunMarker(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(live.path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("marker %v, %v", info, err)
	}
	other, err := startRunMarker(dir) // a second server on the same data directory
	if err != nil {
		t.Fatal(err)
	}
	if dead, err := deadRuns(dir); err != nil || len(dead) != 0 {
		t.Fatalf("deadRuns while both run = %q, %v; want none", dead, err)
	}
	if err := live.finish(); err != nil { // a clean stop
		t.Fatal(err)
	}
	other.close() // the lock dies with the process, as on kill -9
	dead, err := deadRuns(dir)
	if err != nil || len(dead) != 1 || dead[0] != other.path {
		t.Fatalf("deadRuns = %q, %v; want only %s", dead, err, other.path)
	}
	if err := removeRuns(dead); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, runDir, "*")); len(files) != 0 {
		t.Errorf("files left: %q", files)
	}
}
