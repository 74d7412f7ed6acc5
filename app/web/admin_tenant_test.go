package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
)

var passwordRe = regexp.MustCompile(`<code id="owner-password" class="secret">([^<]+)</code>`)

func TestAdminCreateShowsPasswordOnce(t *testing.T) {
	env, b := adminEnv(t)
	r := b.post(adminURL+"/tenants", url.Values{"name": {"Acme"}, "region": {"local"}, "email": {"boss@example.com"}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	m := passwordRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no password on the result page:\n%s", clipBody(r.Body))
	}
	password := m[1]
	mustContain(t, r.Body, "only this once", "boss@example.com", `href="http://acme.localhost:8080/"`)
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	for _, c := range r.Cookies() {
		if strings.Contains(c.Value, password) {
			t.Errorf("the password is in cookie %s", c.Name)
		}
	}
	// Nowhere else, ever.
	for _, path := range []string{"/", "/tenants/acme", "/audit"} {
		mustNotContain(t, b.get(adminURL+path).Body, password)
	}
	for _, e := range env.audits(app.AuditFilter{Limit: 100}) {
		if strings.Contains(e.Detail, password) {
			t.Errorf("the password is in the audit log: %+v", e)
		}
	}
	env.wantAudit("create", "acme", app.AuditOK)

	// The owner can sign in with it.
	owner := env.browser()
	r = owner.post("http://acme.localhost:8080/login", url.Values{"email": {"boss@example.com"}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Errorf("owner login with the generated password: %d %q", r.StatusCode, r.Header.Get("Location"))
	}

	// A refused create says why and is audited.
	r = b.post(adminURL+"/tenants", url.Values{"name": {"acme"}, "region": {"local"}, "email": {"x@example.com"}})
	page := b.follow(r)
	mustContain(t, page, "alert", "acme")
	// What the admin typed is back in the form, opened.
	mustContain(t, page, `id="create-panel" open`, `id="create-name" name="name" value="acme"`,
		`id="create-email" name="email" type="email" value="x@example.com"`)
	env.wantAudit("create", "acme", app.AuditFailed)
	// Shown once: the next page has an empty form again.
	mustNotContain(t, b.get(adminURL+"/").Body, `value="x@example.com"`)
	r = b.post(adminURL+"/tenants", url.Values{"name": {"admin"}, "region": {"local"}, "email": {"x@example.com"}})
	mustContain(t, b.follow(r), "reserved")
	if n := env.tenantCount(); n != 1 {
		t.Errorf("tenants = %d; want 1", n)
	}
}

func TestAdminClone(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"ship it"}})

	r := b.post(adminURL+"/tenants/acme/clone", url.Values{"name": {"acme-copy"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/acme-copy" {
		t.Fatalf("clone: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustContain(t, b.follow(r), "Cloned acme into acme-copy.")
	env.wantAudit("clone", "acme", app.AuditOK)
	clone := env.tenant("acme-copy")
	if clone == nil || clone.Status != app.TenantActive {
		t.Fatalf("clone record: %+v", clone)
	}
	// The clone has the data, and the owner can sign in there.
	copyOwner := env.browser()
	copyOwner.post("http://acme-copy.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	mustContain(t, copyOwner.get("http://acme-copy.localhost:8080/").Body, "ship it")

	// Into a taken name: refused, nothing changes.
	r = b.post(adminURL+"/tenants/acme/clone", url.Values{"name": {"acme-copy"}})
	if r.Header.Get("Location") != "/tenants/acme" {
		t.Errorf("refused clone went to %q", r.Header.Get("Location"))
	}
	mustContain(t, b.follow(r), `class="alert"`, `id="clone-name" name="name" value="acme-copy"`)
	env.wantAudit("clone", "acme", app.AuditFailed)
	if n := env.tenantCount(); n != 2 {
		t.Errorf("tenants = %d; want 2", n)
	}
}

func TestAdminSuspendResume(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")

	r := b.post(adminURL+"/tenants/acme/suspend", suspendValues("Maintenance", "acme"))
	mustContain(t, b.follow(r), "Suspended acme.", `form id="admin-resume"`)
	env.wantAudit("suspend", "acme", app.AuditOK)
	if tn := env.tenant("acme"); tn.Status != app.TenantSuspended {
		t.Errorf("status after suspend = %s", tn.Status)
	}
	if r := owner.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusForbidden {
		t.Errorf("suspended tenant's host: %d", r.StatusCode)
	} else {
		mustContain(t, r.Body, "This list is suspended", "Its data is safe")
	}
	// Its users can change nothing: every request, writes included, is
	// answered with the suspended page before anything else runs.
	if r := owner.do(http.MethodPost, "http://acme.localhost:8080/todos", url.Values{"title": {"sneaky"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("write to a suspended tenant: %d", r.StatusCode)
	} else {
		mustContain(t, r.Body, "This list is suspended")
	}
	if tn := env.tenant("acme"); tn.TodoCount != 0 {
		t.Errorf("a suspended tenant got %d todos", tn.TodoCount)
	}
	mustContain(t, b.get(adminURL+"/").Body, `<span class="badge suspended">suspended</span>`)

	r = b.post(adminURL+"/tenants/acme/resume", nil)
	mustContain(t, b.follow(r), "Resumed acme.", `form id="admin-suspend"`)
	env.wantAudit("resume", "acme", app.AuditOK)
	if r := owner.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Errorf("resumed tenant's host: %d", r.StatusCode)
	}

	// An unknown tenant: refused with a message.
	r = b.post(adminURL+"/tenants/nosuch/suspend", suspendValues("Maintenance", "nosuch"))
	if r.Header.Get("Location") != "/" {
		t.Errorf("suspend unknown went to %q", r.Header.Get("Location"))
	}
	mustContain(t, b.follow(r), `class="alert"`)
	env.wantAudit("suspend", "nosuch", app.AuditFailed)
}

func TestAdminDeleteRestorePurge(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"keep me"}})

	page := b.get(adminURL + "/tenants/acme").Body
	mustContain(t, page, `form id="admin-delete"`, `name="confirm"`, "7 days")

	// The wrong name: refused, nothing changes.
	r := b.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {"acm"}})
	if r.Header.Get("Location") != "/tenants/acme" {
		t.Errorf("refused delete went to %q", r.Header.Get("Location"))
	}
	mustContain(t, b.follow(r), "Nothing was deleted: type the tenant&#39;s name, acme, to confirm.")
	env.wantAudit("delete", "acme", app.AuditFailed)
	if tn := env.tenant("acme"); tn.Status != app.TenantActive {
		t.Fatalf("status after a refused delete = %s", tn.Status)
	}

	r = b.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {"acme"}})
	if r.Header.Get("Location") != "/?status=deleted" {
		t.Errorf("delete went to %q", r.Header.Get("Location"))
	}
	trash := b.follow(r)
	mustContain(t, trash, "Moved acme to the trash.", `<tr data-tenant="acme">`, `class="purge-at"`, "in 7 days", "Restore", "Purge")
	env.wantAudit("delete", "acme", app.AuditOK)
	if tn := env.tenant("acme"); tn == nil || tn.Status != app.TenantDeleted {
		t.Fatalf("after delete: %+v", tn)
	}
	if r := owner.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusNotFound {
		t.Errorf("deleted tenant's host: %d", r.StatusCode)
	}
	mustNotContain(t, b.get(adminURL+"/").Body, `data-tenant="acme"`)

	r = b.post(adminURL+"/tenants/acme/restore", nil)
	mustContain(t, b.follow(r), "Restored acme.")
	env.wantAudit("restore", "acme", app.AuditOK)
	mustContain(t, owner.get("http://acme.localhost:8080/").Body, "keep me")

	// Purge: only from the trash, only with the name typed.
	r = b.post(adminURL+"/tenants/acme/purge", url.Values{"confirm": {"acme"}})
	mustContain(t, b.follow(r), `class="alert"`)
	env.wantAudit("purge", "acme", app.AuditFailed)
	b.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {"acme"}})
	r = b.post(adminURL+"/tenants/acme/purge", url.Values{"confirm": {"ACME "}})
	mustContain(t, b.follow(r), "Nothing was purged")
	if env.tenant("acme") == nil {
		t.Fatal("purged without the name")
	}
	r = b.post(adminURL+"/tenants/acme/purge", url.Values{"confirm": {"acme"}})
	mustContain(t, b.follow(r), "Purged acme for good.", "The trash is empty.")
	env.wantAudit("purge", "acme", app.AuditOK)
	if env.tenant("acme") != nil {
		t.Error("acme still exists after purge")
	}
	r = b.post(adminURL+"/tenants/acme/restore", nil)
	mustContain(t, b.follow(r), `class="alert"`)
	env.wantAudit("restore", "acme", app.AuditFailed)
}

func TestAdminExport(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"exported"}})

	r := b.post(adminURL+"/tenants/acme/export", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", r.StatusCode, clipBody(r.Body))
	}
	want := `attachment; filename="acme-` + time.Now().UTC().Format("2006-01-02") + `.db"`
	if got := r.Header.Get("Content-Disposition"); got != want {
		t.Errorf("Content-Disposition = %q; want %q", got, want)
	}
	if !strings.HasPrefix(r.Body, "SQLite format 3\x00") {
		t.Errorf("export is not a SQLite file: %q", r.Body[:min(len(r.Body), 32)])
	}
	if r.ContentLength != int64(len(r.Body)) || len(r.Body) < 4096 {
		t.Errorf("Content-Length %d, body %d bytes", r.ContentLength, len(r.Body))
	}
	e := env.wantAudit("export", "acme", app.AuditOK)
	if !strings.Contains(e.Detail, "KiB") {
		t.Errorf("export audit detail = %q; want the size", e.Detail)
	}

	// The export imports back as a new tenant with the data.
	r = b.upload(adminURL+"/tenants/import", map[string]string{"name": "acme-back", "region": "local"}, "acme.db", []byte(r.Body))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/acme-back" {
		t.Fatalf("import of an export: %d %q %s", r.StatusCode, r.Header.Get("Location"), b.follow(r))
	}
	env.wantAudit("import", "acme-back", app.AuditOK)
	back := env.browser()
	back.post("http://acme-back.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	mustContain(t, back.get("http://acme-back.localhost:8080/").Body, "exported")

	// Export is a POST with the CSRF token: the old GET address, a link on
	// another site or a form without the token start no download.
	r = b.get(adminURL + "/tenants/acme/export")
	if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != http.MethodPost || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("GET export: %d Allow %q %q", r.StatusCode, r.Header.Get("Allow"), r.Header.Get("Content-Disposition"))
	}
	r = b.do(http.MethodPost, adminURL+"/tenants/acme/export", url.Values{})
	if r.StatusCode != http.StatusForbidden || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("export without a CSRF token: %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	if n := len(env.audits(appAuditFilter("export"))); n != 1 {
		t.Errorf("export audit entries = %d; want the one export", n)
	}

	// An unknown tenant: no download, a message.
	r = b.post(adminURL+"/tenants/nosuch/export", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("export of an unknown tenant: %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	env.wantAudit("export", "nosuch", app.AuditFailed)
}

func TestAdminImportRefusesGarbage(t *testing.T) {
	env, b := adminEnv(t)
	for _, tt := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"junk", "junk.db", bytes.Repeat([]byte("not a database "), 1000), "not a SQLite database"},
		{"empty", "", nil, "Choose a database file"},
		{"bad name!", "x.db", []byte("SQLite format 3\x00"), "not a valid name"},
	} {
		r := b.upload(adminURL+"/tenants/import", map[string]string{"name": tt.name, "region": "local"}, tt.file, tt.data)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Errorf("%s: %d %q", tt.name, r.StatusCode, r.Header.Get("Location"))
			continue
		}
		body := b.follow(r)
		mustContain(t, body, `class="alert"`, tt.want)
	}
	env.wantAudit("import", "junk", app.AuditFailed)
	if n := env.tenantCount(); n != 0 {
		t.Errorf("tenants after refused imports = %d", n)
	}
}

func TestAdminImportSizeLimit(t *testing.T) {
	env := newTestEnv(t)
	env.srv.cfg.ImportMaxBytes = 8 << 10
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	r := b.upload(adminURL+"/tenants/import", map[string]string{"name": "big", "region": "local"}, "big.db", make([]byte, 9<<10))
	mustContain(t, b.follow(r), "the largest database that can be imported is 8.0 KiB")
	// A body over the admin limit is refused by the server; other hosts keep
	// the 1 MiB limit.
	big := strings.Repeat("x", 2<<20)
	for _, target := range []string{"http://acme.localhost:8080/todos", adminURL + "/tenants", adminURL + "/login"} {
		u, _ := url.Parse(target)
		req := httptest.NewRequest(http.MethodPost, u.Path, strings.NewReader("title="+big))
		req.Host = u.Host
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// fiber's test transport reports fasthttp's refusal as an error; a
		// real connection gets 413.
		if resp, err := env.srv.App().Test(req, -1); err == nil && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB body to %s: %d", target, resp.StatusCode)
		} else if err != nil && !strings.Contains(err.Error(), "body size exceeds") {
			t.Errorf("2 MiB body to %s: %v", target, err)
		}
	}
	// The admin host takes it, and the store says what is wrong with it.
	env.srv.cfg.ImportMaxBytes = 50 << 20
	r = b.upload(adminURL+"/tenants/import", map[string]string{"name": "big", "region": "local"}, "big.db", []byte(big))
	mustContain(t, b.follow(r), `class="alert"`)
	if e := env.wantAudit("import", "big", app.AuditFailed); strings.Contains(e.Error, "largest database") {
		t.Errorf("2 MiB import refused for its size: %q", e.Error)
	}
}

// upload posts a multipart form with a file, and a valid CSRF token.
func (b *browser) upload(rawURL string, fields map[string]string, filename string, data []byte) *response {
	b.env.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", b.token(rawURL))
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("file", filename)
		fw.Write(data)
	}
	w.Close()
	u, _ := url.Parse(rawURL)
	req := httptest.NewRequest(http.MethodPost, u.RequestURI(), &body)
	req.Host = u.Host
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.send(req)
}

// tenantsVersion is the control plane's change marker.
func (e *testEnv) tenantsVersion() string {
	e.t.Helper()
	v, err := e.control.TenantsVersion(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}
