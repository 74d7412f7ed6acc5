package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// resetLinkRE finds a reset link of the list "mine" in a page or a mail.
var resetLinkRE = regexp.MustCompile(`http://mine\.localhost:8080/reset/[A-Za-z0-9_-]{43}`)

// issueResetLinkAsAdmin has a new admin issue a reset link for the owner
// of "mine" in the admin app, and returns the page's link.
func issueResetLinkAsAdmin(t *testing.T, env *testEnv) string {
	t.Helper()
	env.createAdmin(testAdminEmail, testAdminPassword)
	admin := env.browser()
	admin.adminSignIn(testAdminEmail, testAdminPassword)
	page := admin.get(adminURL + "/tenants/mine")
	mustContain(t, page.Body, `id="tenant-users"`, accountEmail, "Issue reset link", `action="/tenants/mine/users/1/reset-link"`)
	r := admin.post(adminURL+"/tenants/mine/users/1/reset-link", nil)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.StatusCode, clipBody(r.Body))
	}
	link := resetLinkRE.FindString(r.Body)
	if link == "" {
		t.Fatalf("no link on the page:\n%s", clipBody(r.Body))
	}
	mustContain(t, r.Body, "only this once", accountEmail)
	entry := env.wantAudit("reset-link", "mine", app.AuditOK)
	if entry.Detail != accountEmail {
		t.Errorf("audit detail = %q, want the user's email", entry.Detail)
	}
	token := link[strings.LastIndexByte(link, '/')+1:]
	for _, path := range []string{"/tenants/mine", "/audit"} {
		mustNotContain(t, admin.get(adminURL+path).Body, token)
	}
	return link
}

// signsIn reports whether password signs the owner of "mine" in.
func signsIn(env *testEnv, password string) bool {
	r := env.browser().post(accountHost+"/login", url.Values{"email": {accountEmail}, "password": {password}})
	return r.StatusCode == http.StatusSeeOther && r.Header.Get("Location") == "/"
}

// wantLinkRefused fails unless link's page and form refuse it with the one
// message, leaving the password as it was.
func wantLinkRefused(t *testing.T, env *testEnv, link, password string) {
	t.Helper()
	v := env.browser()
	r := v.get(link)
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "This password reset link is not valid") ||
		strings.Contains(r.Body, `name="new_password"`) {
		t.Errorf("GET refused link: %d %s", r.StatusCode, clipBody(r.Body))
	}
	for _, np := range []string{"yet another secret", "short"} {
		r = v.post(link, url.Values{"new_password": {np}})
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "This password reset link is not valid") {
			t.Errorf("POST refused link: %d %s", r.StatusCode, clipBody(r.Body))
		}
	}
	if !signsIn(env, password) || signsIn(env, "yet another secret") {
		t.Errorf("a refused link changed the password")
	}
}

func TestResetLinkIssuedByAdmin(t *testing.T) {
	env, b := accountOwner(t)
	other := signInAgain(t, env, "curl/8.0")
	link := issueResetLinkAsAdmin(t, env)

	v := env.browser()
	r := v.get(link)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET link: %d %s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, r.Body, `<form id="reset" method="post"`, `name="new_password"`, `minlength="8"`)
	// Too short: refused, and the link still works.
	r = v.post(link, url.Values{"new_password": {"short"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "at least 8 characters") {
		t.Fatalf("short password: %d %s", r.StatusCode, clipBody(r.Body))
	}
	r = v.post(link, url.Values{"new_password": {"a brand new secret"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("reset: %d %s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, v.get(accountHost+"/login").Body, "Your password was changed")
	if opensList(b) || opensList(other) {
		t.Errorf("a session of the user survived the reset")
	}
	if signsIn(env, accountPassword) {
		t.Errorf("the old password still signs in")
	}
	if !signsIn(env, "a brand new secret") {
		t.Errorf("the new password does not sign in")
	}
	wantLinkRefused(t, env, link, "a brand new secret")
}

func TestResetLinkExpiredOrUnknownIsRefused(t *testing.T) {
	env, _ := accountOwner(t)
	token, key := newResetToken()
	tdb := env.acquireList("mine")
	if err := tdb.CreatePasswordReset(context.Background(), key, 1, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	wantLinkRefused(t, env, accountHost+"/reset/"+token, accountPassword)
	unknown, _ := newResetToken()
	wantLinkRefused(t, env, accountHost+"/reset/"+unknown, accountPassword)
	wantLinkRefused(t, env, accountHost+"/reset/x", accountPassword)
}

func TestResetLinkUseEndsTheUsersOtherLinks(t *testing.T) {
	env, _ := accountOwner(t)
	first := issueResetLinkAsAdmin(t, env)
	token, key := newResetToken()
	tdb := env.acquireList("mine")
	if err := tdb.CreatePasswordReset(context.Background(), key, 1, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	second := accountHost + "/reset/" + token
	if r := env.browser().post(first, url.Values{"new_password": {"a brand new secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.StatusCode, clipBody(r.Body))
	}
	wantLinkRefused(t, env, second, "a brand new secret")
}

func TestForgotWithoutSMTPSaysAskTheOperator(t *testing.T) {
	env, _ := accountOwner(t)
	v := env.browser()
	mustContain(t, v.get(accountHost+"/login").Body, `<a href="/forgot">Forgot your password?</a>`)
	for _, r := range []*response{v.get(accountHost + "/forgot"), v.post(accountHost+"/forgot", url.Values{"email": {accountEmail}})} {
		if r.StatusCode != http.StatusOK {
			t.Errorf("forgot: %d", r.StatusCode)
		}
		mustContain(t, r.Body, `id="ask-operator"`, "Ask the operator")
		mustNotContain(t, r.Body, `<form id="forgot"`, "we sent a link")
	}
}

func TestResetFormsNeedCSRF(t *testing.T) {
	env, _ := accountOwner(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	admin := env.browser()
	admin.adminSignIn(testAdminEmail, testAdminPassword)
	token, key := newResetToken()
	tdb := env.acquireList("mine")
	if err := tdb.CreatePasswordReset(context.Background(), key, 1, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	v := env.browser()
	for _, r := range []*response{
		v.do(http.MethodPost, accountHost+"/forgot", url.Values{"email": {accountEmail}}),
		v.do(http.MethodPost, accountHost+"/reset/"+token, url.Values{"new_password": {"a brand new secret"}}),
		admin.do(http.MethodPost, adminURL+"/tenants/mine/users/1/reset-link", url.Values{}),
	} {
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s without a token: %d", r.Request.Method, r.Request.URL, r.StatusCode)
		}
	}
	if len(env.audits(appAuditFilter("reset-link"))) != 0 {
		t.Errorf("a refused form issued a link")
	}
	if !signsIn(env, accountPassword) {
		t.Errorf("a refused form changed the password")
	}
	if r := v.get(accountHost + "/reset/" + token); r.StatusCode != http.StatusOK {
		t.Errorf("a refused form used the link: %d", r.StatusCode)
	}
}
