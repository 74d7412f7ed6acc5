package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
)

var rowRe = regexp.MustCompile(`<tr data-tenant="([^"]+)"`)

// rowNames lists the tenants of a tenants table, in order.
func rowNames(body string) []string {
	var out []string
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestAdminDashboard(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("bravo", "owner@example.com", "correct horse")
	for _, title := range []string{"one", "two", "three"} {
		owner.post("http://bravo.localhost:8080/todos", url.Values{"title": {title}})
	}
	env.createTenant("alpha")
	env.createTenant("charlie")
	env.flushActivity() // bravo's counters reach the control plane in batches

	r := b.get(adminURL + "/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	if got := rowNames(r.Body); strings.Join(got, ",") != "alpha,bravo,charlie" {
		t.Errorf("rows = %v", got)
	}
	bravo := env.tenant("bravo")
	row := r.Body[strings.Index(r.Body, `<tr data-tenant="bravo"`):]
	row = row[:strings.Index(row, "</tr>")]
	mustContain(t, row,
		`<a class="truncate" href="http://bravo.localhost:8080/" title="bravo">bravo</a>`,
		`<td class="region">This machine (local)</td>`, `<span class="badge active">active</span>`,
		`<time datetime="`+bravo.LastActiveAt.UTC().Format(time.RFC3339)+`"`, "just now",
		`<td class="num todos">3</td>`, `<td class="num completed">0</td>`,
		fmt.Sprintf(`<td class="num">%d</td>`, bravo.SchemaVersion),
		bravo.Location, "KiB",
		`href="/tenants/bravo"`, `href="/tenants/bravo/console"`)
	mustContain(t, r.Body, `input type="search" name="q"`, `href="/?desc=1"`, `href="/?desc=1&amp;sort=todos"`,
		`id="health-pool"`, `id="health-rpm"`, `id="activity-chart"`, `<rect class="bar"`,
		`form id="admin-create"`, `form id="admin-import"`, `enctype="multipart/form-data"`, `name="file"`, `type="file"`,
		`hx-get="/"`, `hx-trigger="tenants-changed from:body"`, `data-live-events="/events?v=`)
	mustNotContain(t, r.Body, "style=", "<script>")

	// Search, sort.
	mustContain(t, b.get(adminURL+"/?q=rav").Body, `data-tenant="bravo"`)
	if got := rowNames(b.get(adminURL + "/?q=rav").Body); len(got) != 1 {
		t.Errorf("search rows = %v", got)
	}
	if got := rowNames(b.get(adminURL + "/?sort=todos&desc=1").Body); len(got) != 3 || got[0] != "bravo" {
		t.Errorf("sorted by todos desc: %v", got)
	}
	if got := rowNames(b.get(adminURL + "/?sort=name&desc=1").Body); strings.Join(got, ",") != "charlie,bravo,alpha" {
		t.Errorf("sorted by name desc: %v", got)
	}
	sorted := b.get(adminURL + "/?sort=name&desc=1&q=a").Body
	mustContain(t, sorted, `aria-sort="descending"`, `hx-get="/?desc=1&amp;q=a"`)

	// The live view's request gets the table alone.
	r = b.get(adminURL+"/?q=rav", "HX-Request", "true")
	if !strings.HasPrefix(strings.TrimSpace(r.Body), `<section id="tenant-list"`) || strings.Contains(r.Body, "<html") {
		t.Errorf("fragment:\n%s", clipBody(r.Body))
	}
	if !strings.Contains(r.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary = %q", r.Header.Get("Vary"))
	}
}

func TestAdminDashboardPages(t *testing.T) {
	env, b := adminEnv(t)
	for i := range tenantPageSize + 2 {
		env.createTenant(fmt.Sprintf("t%03d", i))
	}
	first := b.get(adminURL + "/").Body
	if got := rowNames(first); len(got) != tenantPageSize || got[0] != "t000" {
		t.Fatalf("page 1: %d rows from %v", len(got), got[:1])
	}
	mustContain(t, first, "1–50 of 52 tenants", "Page 1 of 2", `href="/?page=2"`)
	second := b.get(adminURL + "/?page=2").Body
	if got := rowNames(second); strings.Join(got, ",") != "t050,t051" {
		t.Errorf("page 2: %v", got)
	}
	mustContain(t, second, "51–52 of 52 tenants", `href="/"`, `hx-get="/?page=2"`)
}

func TestAdminTrashView(t *testing.T) {
	env, b := adminEnv(t)
	env.createTenant("alpha")
	env.createTenant("bravo")
	if err := env.tenants.DeleteTenant(t.Context(), "bravo"); err != nil {
		t.Fatal(err)
	}
	if got := rowNames(b.get(adminURL + "/").Body); strings.Join(got, ",") != "alpha" {
		t.Errorf("tenants = %v", got)
	}
	trash := b.get(adminURL + "/?status=deleted").Body
	if got := rowNames(trash); strings.Join(got, ",") != "bravo" {
		t.Errorf("trash = %v", got)
	}
	mustContain(t, trash, "stay in the trash for 7 days", `action="/tenants/bravo/restore"`, `action="/tenants/bravo/purge"`,
		`name="confirm"`, "in 7 days")
}

func TestAdminTenantPage(t *testing.T) {
	env, b := adminEnv(t)
	tn := env.createTenant("acme")
	r := b.get(adminURL + "/tenants/acme")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("tenant page: %d", r.StatusCode)
	}
	mustContain(t, r.Body, tn.ID, tn.Location, `href="http://acme.localhost:8080/"`, `form id="admin-export" method="post" action="/tenants/acme/export"`,
		`form id="admin-clone"`, `form id="admin-suspend"`, `form id="admin-delete"`)
	if r := b.get(adminURL + "/tenants/nosuch"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown tenant page: %d", r.StatusCode)
	}
}

func TestAdminAuditPage(t *testing.T) {
	env, b := adminEnv(t)
	env.createTenant("acme")
	env.createTenant("bravo")
	b.post(adminURL+"/tenants/acme/suspend", nil)
	b.post(adminURL+"/tenants/bravo/suspend", nil)
	b.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {"wrong"}})
	if err := env.control.RecordAudit(t.Context(), app.AuditEntry{Actor: "cli", Action: "create", Tenant: "zulu", Outcome: app.AuditOK}); err != nil {
		t.Fatal(err)
	}

	r := b.get(adminURL + "/audit")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("audit: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `table id="audit"`, `data-action="suspend"`, `data-action="delete"`, `data-action="sign-in"`,
		"Nothing was deleted", `<span class="badge failed">failed</span>`, "zulu", "cli")
	r = b.get(adminURL + "/audit?tenant=acme")
	mustContain(t, r.Body, `data-action="suspend"`, `data-action="delete"`, `value="acme"`)
	mustNotContain(t, r.Body, "zulu", `data-action="sign-in"`)
	r = b.get(adminURL + "/audit?action=suspend&actor=" + url.QueryEscape(testAdminEmail))
	if n := strings.Count(r.Body, `data-action="suspend"`); n != 2 || strings.Contains(r.Body, `data-action="delete"`) {
		t.Errorf("filtered by action: %d suspend rows\n%s", n, clipBody(r.Body))
	}
	r = b.get(adminURL + "/audit?actor=cli")
	mustContain(t, r.Body, "zulu", "1–1 of 1 entry")

	for i := range auditPageSize + 5 {
		env.control.RecordAudit(t.Context(), app.AuditEntry{Actor: "cli", Action: "create", Tenant: fmt.Sprintf("x%d", i), Outcome: app.AuditOK})
	}
	r = b.get(adminURL + "/audit?actor=cli")
	mustContain(t, r.Body, "Page 1 of 2", `href="/audit?actor=cli&amp;page=2"`)
	r = b.get(adminURL + "/audit?actor=cli&page=2")
	if n := strings.Count(r.Body, "<tr data-action"); n != 6 {
		t.Errorf("page 2 rows = %d", n)
	}
}
