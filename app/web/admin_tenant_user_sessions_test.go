package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"todos/app"
)

// TestAdminSignsUserOutEverywhere: "sign out everywhere" for one user of a
// tenant, from its admin page, ends every session of that user (two
// browsers here) and no other user's, says how many ended, is audited,
// and needs the form's CSRF token.
func TestAdminSignsUserOutEverywhere(t *testing.T) {
	env, _ := accountOwner(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	admin := env.browser()
	admin.adminSignIn(testAdminEmail, testAdminPassword)

	const otherEmail, otherPassword = "second@example.com", "another password"
	hash, err := app.HashPassword(otherPassword, fastPasswords)
	if err != nil {
		t.Fatal(err)
	}
	tdb := env.acquireList("mine")
	other, err := tdb.CreateUser(context.Background(), otherEmail, hash)
	tdb.Release()
	if err != nil {
		t.Fatal(err)
	}
	phone := signInAgain(t, env, "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36")
	laptop := signInAgain(t, env, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
	second := env.browser()
	if r := second.post(accountHost+"/login", url.Values{"email": {otherEmail}, "password": {otherPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second user's sign-in: %d", r.StatusCode)
	}

	page := admin.get(adminURL + "/tenants/mine").Body
	mustContain(t, page, `action="/tenants/mine/users/1/sign-out"`, `aria-label="Sign out everywhere for `+accountEmail+`"`,
		">Sign out everywhere</button>")

	// Without the form's token: refused, nobody signed out.
	if r := admin.do(http.MethodPost, adminURL+"/tenants/mine/users/1/sign-out", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d", r.StatusCode)
	}
	if !opensList(phone) || !opensList(laptop) {
		t.Fatal("a refused request signed the owner out")
	}

	// accountOwner's own browser is signed in too: three sessions end.
	r := admin.post(adminURL+"/tenants/mine/users/1/sign-out", nil)
	mustContain(t, admin.follow(r), "Signed "+accountEmail+" out everywhere: 3 sessions ended.")
	if opensList(phone) || opensList(laptop) {
		t.Error("the owner is still signed in somewhere")
	}
	if !opensList(second) {
		t.Error("the other user of the list was signed out")
	}
	if e := env.wantAudit("user-sign-out-all", "mine", app.AuditOK); e.Detail != accountEmail+" (3 sessions)" {
		t.Errorf("audit detail = %q", e.Detail)
	}
	// The owner can sign in again; nothing else changed.
	signInAgain(t, env, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")

	// Again for the other user: one session.
	r = admin.post(adminURL+"/tenants/mine/users/"+strconv.FormatInt(other.ID, 10)+"/sign-out", nil)
	mustContain(t, admin.follow(r), "Signed "+otherEmail+" out everywhere: 1 session ended.")
	if opensList(second) {
		t.Error("the second user is still signed in")
	}

	// An unknown user: refused with a message, audited as failed.
	r = admin.post(adminURL+"/tenants/mine/users/99/sign-out", nil)
	mustContain(t, admin.follow(r), `class="alert"`)
	env.wantAudit("user-sign-out-all", "mine", app.AuditFailed)
}
