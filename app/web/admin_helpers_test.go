package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"todos/app"
)

// adminURL is the admin host as tests address it.
const adminURL = "http://admin.localhost:8080"

// Credentials of the admin that adminEnv creates.
const (
	testAdminEmail    = "root@example.com"
	testAdminPassword = "admin password"
)

// createAdmin adds an admin account to the control plane.
func (e *testEnv) createAdmin(email, password string) *app.Admin {
	e.t.Helper()
	a, err := e.control.CreateAdmin(context.Background(), email, password)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// adminSignIn signs the browser in on the admin host.
func (b *browser) adminSignIn(email, password string) {
	b.env.t.Helper()
	r := b.post(adminURL+"/login", url.Values{"email": {email}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		b.env.t.Fatalf("admin sign-in: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
}

// adminEnv returns an environment with an admin, and a browser signed in
// as that admin.
func adminEnv(t *testing.T) (*testEnv, *browser) {
	t.Helper()
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	return env, b
}

// createTenant creates a tenant directly in the store.
func (e *testEnv) createTenant(name string) *app.Tenant {
	e.t.Helper()
	t, _, err := e.tenants.CreateTenant(context.Background(), app.CreateTenantInput{
		Name: name, Region: "local", OwnerEmail: "owner@example.com", OwnerPassword: "correct horse",
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return t
}

// tenant returns the tenant's record, trash included, or nil.
func (e *testEnv) tenant(name string) *app.Tenant {
	e.t.Helper()
	t, err := e.tenants.FindTenantByNameIncludingTrash(context.Background(), name)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil
	} else if err != nil {
		e.t.Fatal(err)
	}
	return t
}

// audits returns the audit entries that match f, newest first.
func (e *testEnv) audits(f app.AuditFilter) []app.AuditEntry {
	e.t.Helper()
	entries, _, err := e.control.ListAudit(context.Background(), f)
	if err != nil {
		e.t.Fatal(err)
	}
	return entries
}

// wantAudit fails unless the newest entry of action on tenant has outcome
// (and, when failed, an error message).
func (e *testEnv) wantAudit(action, tenant, outcome string) app.AuditEntry {
	e.t.Helper()
	entries := e.audits(app.AuditFilter{Action: action, Tenant: tenant, Limit: 1})
	if len(entries) == 0 {
		e.t.Fatalf("no audit entry %s %s", action, tenant)
	}
	got := entries[0]
	if got.Outcome != outcome || got.Actor != testAdminEmail || (outcome == app.AuditFailed) != (got.Error != "") {
		e.t.Errorf("audit %s %s = %+v; want outcome %s by %s", action, tenant, got, outcome, testAdminEmail)
	}
	return got
}

// followFlash loads the page a redirect points to and returns its body.
func (b *browser) follow(r *response) string {
	b.env.t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		b.env.t.Fatalf("want a redirect, got %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	return b.get(adminURL + r.Header.Get("Location")).Body
}

// appAuditFilter selects the latest entries of one action.
func appAuditFilter(action string) app.AuditFilter {
	return app.AuditFilter{Action: action, Limit: 100}
}

// basicAuth is an Authorization header value.
func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}
