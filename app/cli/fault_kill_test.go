package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFaultKillUnderWritesToManyTenants kills the real binary with SIGKILL
// while clients add and complete todos on many tenants, and starts it
// again (one cycle; four with TODOS_FAULT_LONG=1). After each restart,
// without anyone running "todos tenants recount", the control plane's
// counters come to match every database, and every acknowledged todo is
// on its list; at the end every database file passes integrity_check and
// holds every acknowledged add and completion.
func TestFaultKillUnderWritesToManyTenants(t *testing.T) {
	bin := faultBinary(t)
	tenantCount, cycles, addsPerCycle := faultSize(8, 16), faultSize(1, 4), faultSize(10, 40)
	dir := filepath.Join(t.TempDir(), "data")
	srv := startFaultServer(t, bin, dir, "--signup-per-hour", "0")
	tenants := signUpTenants(t, srv.port, "kill", tenantCount)
	l := newFaultLedger()
	for cycle := range cycles {
		w := startFaultWriters(tenants, 2, cycle, l)
		l.waitAdded(t, tenants, (cycle+1)*addsPerCycle)
		srv.kill9()
		w.stop()
		added, completed, unanswered := l.total()
		t.Logf("cycle %d: killed after %d adds and %d completions were acknowledged; %d writes got no answer",
			cycle+1, added, completed, unanswered)
		// Checked on a copy: a look at the files themselves would
		// checkpoint them, and the restarted server must find them as the
		// kill left them.
		crashCopy := t.TempDir()
		copyFiles(t, dir, crashCopy, ".db", ".db-wal")
		wantIntact(t, fmt.Sprintf("the files as kill %d left them", cycle+1), crashCopy)

		srv = srv.restart(bin, dir, "--signup-per-hour", "0")
		waitCountersConverge(t, dir, "after the kill")
		wantListsShowAcknowledged(t, tenants, l)
		for _, ft := range tenants {
			title := fmt.Sprintf("%s-after-kill%d", ft.name, cycle+1)
			a := ft.post(ft.browser(), "/todos", url.Values{"title": {title}}, false)
			l.note(ft.name, title, "add after the restart", a, a.err == nil && a.status == http.StatusSeeOther, false)
			if a.err != nil || a.status != http.StatusSeeOther {
				t.Errorf("after kill %d, %s does not take a write from the session and page it had before: %s", cycle+1, ft.name, a)
			}
		}
	}
	l.wantNoBadAnswers(t, "writes before the kill")
	if err := srv.term(); err != nil {
		t.Errorf("SIGTERM after the kill cycles: exit %v; log:\n%s", err, srv.logTail(20))
	}
	wantIntact(t, "after the kill cycles", dir)
	l.wantAcknowledged(t, "the databases after the kill cycles", storedState(t, dir, dir))
}

// waitCountersConverge waits until the control plane's counters of every
// live tenant in dir match its database, as a restarted server makes them
// on its own. It fails the test, listing the tenants that drift, if that
// takes over a minute: a server reconciles at start, so only a missing
// reconciliation reaches that bound.
func waitCountersConverge(t *testing.T, dir, when string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		drift := counterDrift(t, dir)
		if len(drift) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s, the control plane's counters did not converge within a minute without a recount:\n  %s",
				when, strings.Join(drift, "\n  "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// wantListsShowAcknowledged fails the test for every tenant whose list
// page does not show each todo the ledger says was acknowledged.
func wantListsShowAcknowledged(t *testing.T, tenants []*faultTenant, l *faultLedger) {
	t.Helper()
	for _, ft := range tenants {
		page := ft.browser().do(http.MethodGet, ft.base()+"/", nil)
		if page.err != nil || page.status != http.StatusOK {
			t.Errorf("%s's list after the restart: %s", ft.name, page)
			continue
		}
		l.mu.Lock()
		var missing []string
		for _, title := range l.added[ft.name] {
			if !strings.Contains(page.body, ">"+title+"<") {
				missing = append(missing, title)
			}
		}
		acked := len(l.added[ft.name])
		l.mu.Unlock()
		if len(missing) > 0 {
			t.Errorf("%s's list after the restart lacks %d of its %d acknowledged todos, e.g. %q",
				ft.name, len(missing), acked, missing[:min(5, len(missing))])
		}
	}
}
