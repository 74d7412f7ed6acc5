package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
	"todos/app/store"
)

// testRegions are the regions the region tests offer.
var testRegions = []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}

// newRegionEnv starts a server running in region here (empty: no routing)
// on the data directory dir, offering testRegions: two of them on one dir
// are two instances of one deployment sharing its control plane.
func newRegionEnv(t *testing.T, dir, here string) *testEnv {
	t.Helper()
	migrations, err := store.ParseMigrations(mustReadSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	control, err := store.OpenControl(filepath.Join(dir, "control.db"), store.WithPasswordParams(fastPasswords))
	if err != nil {
		t.Fatal(err)
	}
	provider := store.LocalProvider{Dir: filepath.Join(dir, "tenants"), Offered: testRegions}
	pool := store.NewTenantPool(provider, migrations, control, 8)
	tenants := store.NewTenants(control, provider, pool, fastPasswords)
	srv := NewServer(Config{Domain: "localhost", Keys: DeriveKeys([]byte("test secret test secret test sec")), Region: here, TempDir: t.TempDir()},
		Services{
			Tenants: tenants, Lists: pool, Handoffs: control, AdminSessionStore: control.SessionStore(),
			Ping: control.Ping, PoolCounters: func() PoolCounters { return PoolCounters(pool.Stats()) },
			Admins: control, TenantAdmin: tenants, Audit: control, ConsoleHistory: control, Activity: control,
			Console: newTestConsole(t, provider),
		}, os.DirFS("../../views"), os.DirFS("../../static"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.SetReady(true)
	t.Cleanup(func() {
		pool.Close()
		control.Close()
	})
	return &testEnv{t: t, srv: srv, tenants: tenants, pool: pool, control: control, dir: dir}
}

// on returns a browser that shares b's cookies but reaches env: the same
// person whose requests Fly's proxy sends to another instance.
func (b *browser) on(env *testEnv) *browser {
	return &browser{env: env, jar: b.jar, hdrs: b.hdrs, peer: b.peer}
}

// wantReplay fails unless r is a fly-replay to region with an empty body.
func wantReplay(t *testing.T, what string, r *response, region string) {
	t.Helper()
	if r.StatusCode != http.StatusConflict || r.Header.Get("fly-replay") != "region="+region || r.Body != "" {
		t.Errorf("%s: status %d, fly-replay %q, body %q; want 409, region=%s, empty",
			what, r.StatusCode, r.Header.Get("fly-replay"), clipBody(r.Body), region)
	}
}

// wantPoolUntouched fails unless env's pool never opened a tenant database.
func wantPoolUntouched(t *testing.T, env *testEnv) {
	t.Helper()
	if s := env.pool.Stats(); s.Open != 0 || s.Hits != 0 || s.Misses != 0 {
		t.Errorf("the wrong region's pool opened a tenant database: %+v", s)
	}
}

// tenantFiles counts the database files in dir's tenants directory.
func tenantFiles(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "tenants", "*.db"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// tmpFiles counts the files in env's temporary directory.
func tmpFiles(t *testing.T, env *testEnv) int {
	t.Helper()
	entries, err := os.ReadDir(env.srv.cfg.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// signUpIn signs up name in region through env's site, following the
// handoff, and returns the list page.
func signUpIn(t *testing.T, b *browser, name, region string) *response {
	t.Helper()
	r := b.post("http://localhost:8080/signup", url.Values{
		"name": {name}, "email": {"owner@example.com"}, "password": {"correct horse battery"}, "region": {region},
	})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up %s in %s: status %d %s", name, region, r.StatusCode, clipBody(r.Body))
	}
	if r = b.get(r.Header.Get("Location")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("handoff: %d %s", r.StatusCode, clipBody(r.Body))
	}
	return b.get("http://" + name + ".localhost:8080/")
}

func TestRegionTenantHostReplayed(t *testing.T) {
	dir := t.TempDir()
	ams, iad := newRegionEnv(t, dir, "ams"), newRegionEnv(t, dir, "iad")
	bAms := ams.browser()
	page := signUpIn(t, bAms, "dutch", "ams")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("home region: %d %s", page.StatusCode, clipBody(page.Body))
	}
	mustContain(t, page.Body, `<span data-testid="region">Amsterdam (ams)</span>`)
	if tn := ams.tenant("dutch"); tn.Region != "ams" {
		t.Fatalf("region recorded %q", tn.Region)
	}

	// The same browser, sent by the proxy to the other region.
	bIad := bAms.on(iad)
	wantReplay(t, "GET in the wrong region", bIad.get("http://dutch.localhost:8080/"), "ams")
	token := bAms.token("http://dutch.localhost:8080/")
	r := bIad.do(http.MethodPost, "http://dutch.localhost:8080/todos", url.Values{"_csrf": {token}, "title": {"stroopwafels"}})
	wantReplay(t, "POST in the wrong region", r, "ams")
	r = bIad.get("http://dutch.localhost:8080/login")
	wantReplay(t, "login page in the wrong region", r, "ams")
	wantPoolUntouched(t, iad)

	// A replayed request that still lands in the wrong region is not sent
	// on again.
	r = bIad.get("http://dutch.localhost:8080/", "Fly-Replay-Src", "instance=abc123;region=ams;t=1700000000000000")
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("fly-replay") != "" || !strings.Contains(r.Body, "Wrong region") {
		t.Errorf("replayed request in the wrong region: %d fly-replay %q %s", r.StatusCode, r.Header.Get("fly-replay"), clipBody(r.Body))
	}
	wantPoolUntouched(t, iad)

	// The home region serves a replayed request (fly-replay-src set) as any.
	page = bAms.get("http://dutch.localhost:8080/", "Fly-Replay-Src", "instance=abc123;region=iad;t=1700000000000000")
	if page.StatusCode != http.StatusOK || page.Header.Get("fly-replay") != "" {
		t.Errorf("home region, replayed: %d %q", page.StatusCode, page.Header.Get("fly-replay"))
	}
	if r := bAms.post("http://dutch.localhost:8080/todos", url.Values{"title": {"stroopwafels"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("add in the home region: %d", r.StatusCode)
	}
	mustContain(t, bAms.get("http://dutch.localhost:8080/").Body, "stroopwafels")
}

func TestRegionSignupReplayed(t *testing.T) {
	dir := t.TempDir()
	ams, iad := newRegionEnv(t, dir, "ams"), newRegionEnv(t, dir, "iad")
	b := ams.browser()
	form := func() url.Values {
		return url.Values{"name": {"yankee"}, "email": {"owner@example.com"}, "password": {"correct horse battery"},
			"region": {"iad"}, "_csrf": {b.token("http://localhost:8080/")}}
	}
	r := b.do(http.MethodPost, "http://localhost:8080/signup", form())
	wantReplay(t, "sign-up for iad in ams", r, "iad")
	r = b.do(http.MethodPost, "http://localhost:8080/signup", form(), "Fly-Replay-Src", "region=iad;t=1")
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("fly-replay") != "" {
		t.Errorf("replayed sign-up in the wrong region: %d %q", r.StatusCode, r.Header.Get("fly-replay"))
	}
	if n := ams.tenantCount(); n != 0 || tenantFiles(t, dir) != 0 || ams.tenant("yankee") != nil {
		t.Fatalf("the wrong region created something: %d tenants, %d files", n, tenantFiles(t, dir))
	}
	wantPoolUntouched(t, ams)

	// The proxy's replay reaches iad, which creates it.
	r = b.on(iad).do(http.MethodPost, "http://localhost:8080/signup", form(), "Fly-Replay-Src", "region=ams;t=1")
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up in its region: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if tn := iad.tenant("yankee"); tn == nil || tn.Region != "iad" {
		t.Fatalf("created: %+v", tn)
	}
	// An unknown region is refused by the form, wherever it lands.
	r = b.do(http.MethodPost, "http://localhost:8080/signup", url.Values{"name": {"nowhere"}, "email": {"o@example.com"},
		"password": {"correct horse battery"}, "region": {"mars"}, "_csrf": {b.token("http://localhost:8080/")}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.Header.Get("fly-replay") != "" {
		t.Errorf("unknown region: %d %q", r.StatusCode, r.Header.Get("fly-replay"))
	}
}

func TestRegionAdminReplayed(t *testing.T) {
	dir := t.TempDir()
	ams, iad := newRegionEnv(t, dir, "ams"), newRegionEnv(t, dir, "iad")
	if _, _, err := ams.tenants.CreateTenant(context.Background(), app.CreateTenantInput{
		Name: "dutch", Region: "ams", OwnerEmail: "owner@example.com", OwnerPassword: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	iad.createAdmin(testAdminEmail, testAdminPassword)
	b := iad.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)

	dash := b.get(adminURL + "/")
	mustContain(t, dash.Body, "Region routing: this server runs in Virginia (iad)", `<td class="region">Amsterdam (ams)</td>`)
	wantReplay(t, "tenant page", b.get(adminURL+"/tenants/dutch"), "ams")
	wantReplay(t, "console page", b.get(adminURL+"/tenants/dutch/console"), "ams")
	token := b.token(adminURL + "/")
	for _, action := range []string{"export", "clone", "console", "suspend", "delete"} {
		r := b.do(http.MethodPost, adminURL+"/tenants/dutch/"+action, url.Values{"_csrf": {token}, "name": {"dutchcopy"}, "sql": {"select 1"}})
		wantReplay(t, action, r, "ams")
	}
	r := b.do(http.MethodPost, adminURL+"/tenants", url.Values{"_csrf": {token}, "name": {"other"}, "region": {"ams"}, "email": {"o@example.com"}})
	wantReplay(t, "create in ams", r, "ams")
	// An import into the other region, once its form is read.
	export := b.on(ams).do(http.MethodPost, adminURL+"/tenants/dutch/export", url.Values{"_csrf": {token}})
	if export.StatusCode != http.StatusOK || !strings.HasPrefix(export.Body, "SQLite format 3") {
		t.Fatalf("export in the home region: %d", export.StatusCode)
	}
	r = b.upload(adminURL+"/tenants/import", map[string]string{"name": "imported", "region": "ams"}, "dutch.db", []byte(export.Body))
	wantReplay(t, "import into ams", r, "ams")
	wantPoolUntouched(t, iad)
	if n := iad.tenantCount(); n != 1 || tmpFiles(t, iad) != 0 {
		t.Errorf("the wrong region imported: %d tenants, %d temporary files", n, tmpFiles(t, iad))
	}
	if r = b.upload(adminURL+"/tenants/import", map[string]string{"name": "imported", "region": "iad"}, "dutch.db", []byte(export.Body)); r.StatusCode != http.StatusSeeOther || iad.tenant("imported") == nil {
		t.Fatalf("import into this region: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if n := iad.tenantCount(); n != 2 || iad.tenant("dutch").Status != app.TenantActive {
		t.Errorf("the wrong region changed tenants: %d", n)
	}

	// The home region serves the same admin (sessions are in the shared
	// control plane) and shows the tenant with its region's label.
	page := b.on(ams).get(adminURL + "/tenants/dutch")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("tenant page in its region: %d", page.StatusCode)
	}
	mustContain(t, page.Body, `<dd data-testid="region">Amsterdam (ams)</dd>`)
}

func TestRegionNoRouting(t *testing.T) {
	dir := t.TempDir()
	env := newRegionEnv(t, dir, "")
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	mustContain(t, b.get("http://localhost:8080/").Body, `<option value="ams">Amsterdam (ams)</option>`, `<option value="iad">Virginia (iad)</option>`)
	// One instance without a region serves every region.
	for _, region := range []string{"ams", "iad"} {
		name := "list" + region
		page := signUpIn(t, b, name, region)
		if page.StatusCode != http.StatusOK || page.Header.Get("fly-replay") != "" {
			t.Fatalf("%s: %d", name, page.StatusCode)
		}
	}
	b.adminSignIn(testAdminEmail, testAdminPassword)
	mustContain(t, b.get(adminURL+"/").Body, "No region routing in force", `<td class="region">Virginia (iad)</td>`)
}
