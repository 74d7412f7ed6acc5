package cli

import (
	"path/filepath"
	"testing"
)

// TestFaultShutdownUnderWrites stops the real binary with SIGTERM while
// clients are still adding and completing todos on several tenants (one
// stop; three with TODOS_FAULT_LONG=1). The server exits 0, and its *.db
// files alone, copied without their -wal and -shm files as a careless
// backup would, pass integrity_check and hold every acknowledged add and
// completion: the server checkpoints each database when it closes it.
func TestFaultShutdownUnderWrites(t *testing.T) {
	bin := faultBinary(t)
	tenantCount, stops, addsPerStop := faultSize(6, 12), faultSize(1, 3), faultSize(10, 40)
	dir := filepath.Join(t.TempDir(), "data")
	srv := startFaultServer(t, bin, dir, "--signup-per-hour", "0")
	tenants := signUpTenants(t, srv.port, "term", tenantCount)
	l := newFaultLedger()
	for stop := range stops {
		w := startFaultWriters(tenants, 2, stop, l)
		l.waitAdded(t, tenants, (stop+1)*addsPerStop)
		err := srv.term() // the writers go on until the server is gone
		w.stop()
		if err != nil {
			t.Errorf("stop %d: SIGTERM under writes exited %v, not 0; log:\n%s", stop+1, err, srv.logTail(20))
		}
		l.wantNoBadAnswers(t, "writes before SIGTERM")
		added, completed, _ := l.total()
		t.Logf("stop %d: SIGTERM after %d adds and %d completions were acknowledged", stop+1, added, completed)

		dbOnly := t.TempDir()
		copyDBFiles(t, dir, dbOnly)
		wantIntact(t, "the *.db files alone after SIGTERM", dbOnly)
		l.wantAcknowledged(t, "the *.db files alone (without -wal) after SIGTERM", storedState(t, dbOnly, dir))
		if t.Failed() || stop == stops-1 {
			return
		}
		srv = srv.restart(bin, dir, "--signup-per-hour", "0")
	}
}
