package cli

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"todos/app/internal/sqldtest"
)

// TestTwoServersShareAControlPlane runs two "todos serve" on their own
// data directories, with the tenants on one libSQL server and the control
// plane on a namespace of it that each keeps as an embedded replica: a
// list signed up for on one is served by the other, a suspension made on
// the other is refused by the first, and with the server stopped the
// admin dashboard (a control-plane read) still renders while creating a
// list fails with a clear message.
func TestTwoServersShareAControlPlane(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	args := []string{"--shutdown-timeout", "5s", "--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL,
		"--control-url", srv.NamespaceURL("control"), "--control-sync-interval", "100ms"}
	dirA, dirB := t.TempDir(), t.TempDir()
	a := startServe(t, dirA, args...)
	t.Cleanup(func() { a.stop(t) })
	b := startServe(t, dirB, args...)
	t.Cleanup(func() { b.stop(t) })

	c, listA := signUpAndAdd(t, a, "written through A")
	// The session lives in the tenant's database and the cookie is signed
	// with the secret both servers read from the control plane: B serves
	// the list to the same browser once its replica has the tenant.
	listB := "http://acme.localhost:" + b.port
	waitFor(t, "B serves the list signed up for on A", func() bool {
		_, _, page := c.do(http.MethodGet, listB+"/", nil)
		return strings.Contains(page, "written through A")
	})

	// An admin made with the CLI (which talks to the primary directly)
	// signs in on B and suspends the list there; A refuses it.
	out := mustRun(t, dirA, append([]string{"admin", "create", "boss@example.com"}, args[2:]...)...)
	password := regexp.MustCompile(`Password \(shown once\): (\S+)`).FindStringSubmatch(out)
	if password == nil {
		t.Fatalf("no password in %q", out)
	}
	adminB := "http://admin.localhost:" + b.port
	var status int
	waitFor(t, "B knows the new admin", func() bool {
		status, _, _ = c.do(http.MethodPost, adminB+"/login", url.Values{
			"_csrf": {c.csrf(adminB + "/login")}, "email": {"boss@example.com"}, "password": {password[1]}})
		return status == http.StatusSeeOther
	})
	if status, _, body := c.do(http.MethodPost, adminB+"/tenants/acme/suspend", url.Values{
		"_csrf": {c.csrf(adminB + "/tenants/acme")}, "reason": {"Maintenance"}, "confirm": {"acme"}}); status != http.StatusSeeOther {
		t.Fatalf("suspend on B: %d\n%.800s", status, body)
	}
	waitFor(t, "A refuses the list suspended on B", func() bool {
		status, _, page := c.do(http.MethodGet, listA+"/", nil)
		return status != http.StatusOK && strings.Contains(page, "suspended")
	})

	// With the libSQL server down, B's dashboard still renders from its
	// replica, and creating a list fails with a message saying why.
	srv.Stop()
	if status, _, page := c.do(http.MethodGet, adminB+"/", nil); status != http.StatusOK || !strings.Contains(page, "acme") {
		t.Fatalf("dashboard with the server down: %d\n%.800s", status, page)
	}
	status, _, body := c.do(http.MethodPost, adminB+"/tenants", url.Values{
		"_csrf": {c.csrf(adminB + "/")}, "name": {"beta"}, "email": {"b@example.com"},
		"password": {"a long enough password"}, "region": {"local"}})
	if status == http.StatusSeeOther {
		_, _, body = c.do(http.MethodGet, adminB+"/", nil)
	}
	if !strings.Contains(body, "not answering") {
		t.Fatalf("create with the server down: %d, no clear message:\n%.1500s", status, body)
	}
	// The failed syncs are counted in /metrics and logged once.
	waitFor(t, "B's metrics count failed syncs", func() bool {
		_, _, m := c.do(http.MethodGet, adminB+"/metrics", nil)
		return strings.Contains(m, "todos_control_sync_total") && regexp.MustCompile(`todos_control_sync_failures_total [1-9]`).MatchString(m)
	})
	if n := strings.Count(b.stderr.String(), "control plane replica cannot sync"); n != 1 {
		t.Errorf("the failing syncs were logged %d times, want once", n)
	}
	if strings.Contains(b.stderr.String(), "panic") {
		t.Fatalf("B panicked:\n%s", b.stderr.String())
	}
}

// TestRegionRoutingAcrossServers runs a server in ams and one in iad on
// one control plane, as on Fly: a sign-up for ams sent to iad is handed
// back to Fly's proxy (fly-replay, empty body) and creates nothing; a
// list of ams is never served by iad, which replays its pages and its
// admin page to ams; a request Fly already replayed that still lands in
// the wrong region gets 503, never a second replay.
func TestRegionRoutingAcrossServers(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	args := []string{"--shutdown-timeout", "5s", "--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL,
		"--control-url", srv.NamespaceURL("control"), "--control-sync-interval", "100ms", "--regions", "ams=Amsterdam,iad=Virginia"}
	ams := startServe(t, t.TempDir(), append(args, "--region", "ams")...)
	t.Cleanup(func() { ams.stop(t) })
	iad := startServe(t, t.TempDir(), append(args, "--region", "iad")...)
	t.Cleanup(func() { iad.stop(t) })

	// A sign-up for ams that reached iad.
	c := newSqldClient(t)
	site := "http://localhost:" + iad.port
	form := url.Values{"_csrf": {c.csrf(site + "/")}, "name": {"acme"}, "email": {"o@example.com"},
		"password": {"a long enough password"}, "region": {"ams"}}
	resp := replayCheck(t, c, http.MethodPost, site+"/signup", form, nil)
	if resp.replay != "region=ams" || resp.body != "" {
		t.Fatalf("sign-up for ams on iad: %d, fly-replay %q, body %q", resp.status, resp.replay, resp.body)
	}
	if n := len(namespacesOf(t, srv.Dir)); n != 1 { // the control plane's only
		t.Fatalf("%d namespaces after a sign-up replayed elsewhere, want 1 (control)", n)
	}

	// Fly replays it in ams, which creates the list there.
	c, _ = signUpAndAddIn(t, ams, "ams", "kept in Amsterdam")
	listOnIad := "http://acme.localhost:" + iad.port + "/"
	waitFor(t, "iad replays the ams list's page to ams", func() bool {
		r := replayCheck(t, c, http.MethodGet, listOnIad, nil, nil)
		return r.replay == "region=ams"
	})
	r := replayCheck(t, c, http.MethodGet, listOnIad, nil, nil)
	if r.body != "" || strings.Contains(r.body, "kept in Amsterdam") {
		t.Fatalf("iad served a body for an ams list: %d %q", r.status, r.body)
	}
	r = replayCheck(t, c, http.MethodGet, listOnIad, nil, map[string]string{"Fly-Replay-Src": "region=ams;instance=x"})
	if r.status != http.StatusServiceUnavailable || r.replay != "" || strings.Contains(r.body, "kept in Amsterdam") {
		t.Fatalf("a replayed request in the wrong region: %d, fly-replay %q", r.status, r.replay)
	}
}

// replayed is a response as Fly's proxy sees it.
type replayed struct {
	status int
	replay string // the fly-replay header
	body   string
}

// replayCheck sends a request (a form when not nil) with extra headers.
func replayCheck(t *testing.T, c *sqldClient, method, rawURL string, form url.Values, headers map[string]string) replayed {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		u, _ := url.Parse(rawURL)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", u.Scheme+"://"+u.Host)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return replayed{status: resp.StatusCode, replay: resp.Header.Get("fly-replay"), body: string(b)}
}
