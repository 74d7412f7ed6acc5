package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"todos/app"
)

// moveEnv is a server offering testRegions without routing, an admin
// signed in, and acme, signed up in ams by its owner with one todo.
func moveEnv(t *testing.T) (env *testEnv, admin, owner *browser) {
	t.Helper()
	env = newRegionEnv(t, t.TempDir(), "")
	env.createAdmin(testAdminEmail, testAdminPassword)
	admin = env.browser()
	admin.adminSignIn(testAdminEmail, testAdminPassword)
	owner = env.browser()
	r := owner.post("http://localhost:8080/signup", url.Values{
		"name": {"acme"}, "email": {"owner@example.com"}, "password": {"correct horse"}, "region": {"ams"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d %s", r.StatusCode, clipBody(r.Body))
	}
	owner.get(r.Header.Get("Location"))
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"ship it"}})
	return env, admin, owner
}

func TestAdminTenantMove(t *testing.T) {
	env, b, owner := moveEnv(t)
	before := env.tenant("acme")

	// The form offers the other regions only.
	page := b.get(adminURL + "/tenants/acme").Body
	mustContain(t, page, `id="admin-move"`, `<option value="iad">Virginia (iad)</option>`)
	mustNotContain(t, page, `<option value="ams"`)

	// Refusals are shown beside the form, which keeps the region; nothing moves.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"region": {"iad"}, "confirm": {"acm"}}, "type the tenant&#39;s name, acme, to confirm"},
		{url.Values{"region": {"mars"}, "confirm": {"acme"}}, `Unknown region &#34;mars&#34;. Valid regions: ams, iad.`},
		{url.Values{"region": {"ams"}, "confirm": {"acme"}}, "already in region ams"},
	} {
		page := b.follow(b.post(adminURL+"/tenants/acme/move", tc.form))
		mustContain(t, page, `id="move-error">`, tc.want)
		env.wantAudit("move", "acme", app.AuditFailed)
		if got := env.tenant("acme"); got.Region != "ams" || got.Location != before.Location {
			t.Fatalf("a refused move changed the tenant: %+v", got)
		}
	}
	page = b.follow(b.post(adminURL+"/tenants/acme/move", url.Values{"region": {"iad"}, "confirm": {"acm"}}))
	mustContain(t, page, `<option value="iad" selected>`)

	// Without the CSRF token: refused.
	r := b.do(http.MethodPost, adminURL+"/tenants/acme/move", url.Values{"region": {"iad"}, "confirm": {"acme"}})
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("move without a CSRF token: %d", r.StatusCode)
	}

	// Done: a flash says what moved; the record, audit and data follow.
	r = b.post(adminURL+"/tenants/acme/move", url.Values{"region": {"iad"}, "confirm": {" acme "}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/acme" {
		t.Fatalf("move: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page = b.follow(r)
	mustContain(t, page, "Moved acme from Amsterdam (ams) to Virginia (iad):", "copied and verified.",
		`data-testid="region">Virginia (iad)`, `<option value="ams">Amsterdam (ams)</option>`)
	mustNotContain(t, page, `id="move-error"`)
	after := env.tenant("acme")
	if after.Region != "iad" || after.Location == before.Location {
		t.Fatalf("after the move: %+v", after)
	}
	a := env.wantAudit("move", "acme", app.AuditOK)
	if !strings.Contains(a.Detail, "from ams to iad") || !strings.Contains(a.Detail, "todos 1") {
		t.Errorf("audit detail = %q", a.Detail)
	}
	// The owner is still signed in and finds the todo.
	mustContain(t, owner.get("http://acme.localhost:8080/").Body, "ship it")
}

// A move is about the tenant's database, so an instance of another region
// sends it to the tenant's home, as every other tenant action.
func TestAdminTenantMoveIsReplayedToTheHomeRegion(t *testing.T) {
	dir := t.TempDir()
	ams := newRegionEnv(t, dir, "ams")
	ams.createAdmin(testAdminEmail, testAdminPassword)
	iad := newRegionEnv(t, dir, "iad")
	if _, _, err := iad.tenants.CreateTenant(t.Context(), app.CreateTenantInput{Name: "acme", Region: "iad",
		OwnerEmail: "owner@example.com", OwnerPassword: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	b := ams.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	r := b.post(adminURL+"/tenants/acme/move", url.Values{"region": {"ams"}, "confirm": {"acme"}})
	wantReplay(t, "move from the wrong region", r, "iad")
	if got := ams.tenant("acme"); got.Region != "iad" {
		t.Fatalf("moved by the wrong region: %+v", got)
	}
}
