package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Cancel stops a running console query on the server: its child process is
// killed and its request answers at once with "cancelled", not at the
// 5-second limit with "stopped".
func TestAdminConsoleCancelStopsTheQuery(t *testing.T) {
	env, b := adminEnv(t)
	env.browser().signUp("acme", "owner@example.com", "correct horse")
	admin, err := env.control.AdminByEmail(context.Background(), testAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	const runID = "run-0123456789"
	endless := "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n) SELECT count(*) FROM n"
	token := b.token(adminURL + "/tenants/acme/console")

	answered := make(chan *response, 1)
	go func() {
		answered <- b.do(http.MethodPost, adminURL+"/tenants/acme/console", url.Values{"sql": {endless}, "run_id": {runID}, "_csrf": {token}})
	}()
	waitUntil(t, "the query is running", func() bool { return env.srv.consoleRuns.running(admin.ID, runID) })

	// Another admin's run id, or a made-up one, cancels nothing.
	if r := b.post(adminURL+"/tenants/acme/console/cancel", url.Values{"run_id": {"run-not-mine-000"}}); r.StatusCode != 404 {
		t.Errorf("cancel of an unknown run: %d", r.StatusCode)
	}
	if env.srv.consoleRuns.cancel(admin.ID+1, runID) {
		t.Error("another admin cancelled the run")
	}
	if r := b.post(adminURL+"/tenants/acme/console/cancel", url.Values{"run_id": {runID}}); r.StatusCode != 204 {
		t.Fatalf("cancel: %d %s", r.StatusCode, r.Body)
	}
	select {
	case r := <-answered:
		mustContain(t, r.Body, "The query was cancelled.")
		mustNotContain(t, r.Body, "stopped after")
	case <-time.After(30 * time.Second):
		t.Fatal("the query's request did not answer after Cancel")
	}
	if env.srv.consoleRuns.running(admin.ID, runID) {
		t.Error("the run is still registered")
	}
	env.wantAudit("console-cancel", "acme", "ok")
	// Over: a second cancel finds nothing.
	if r := b.post(adminURL+"/tenants/acme/console/cancel", url.Values{"run_id": {runID}}); r.StatusCode != 404 {
		t.Errorf("second cancel: %d", r.StatusCode)
	}
}
