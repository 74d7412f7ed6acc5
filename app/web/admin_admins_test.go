package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// inviteLink matches the invitation link the invite answer shows once.
var inviteLink = regexp.MustCompile(`<code id="invite-link" class="secret">(https?://admin\.localhost:8080/invite/([A-Za-z0-9_-]+))</code>`)

// invite invites email through the admin app and returns the link's path.
func (b *browser) invite(email string) string {
	b.env.t.Helper()
	r := b.post(adminURL+"/admins/invite", url.Values{"email": {email}})
	m := inviteLink.FindStringSubmatch(r.Body)
	if r.StatusCode != http.StatusCreated || m == nil {
		b.env.t.Fatalf("invite: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	return "/invite/" + m[2]
}

func TestAdminsListShowsAdmins(t *testing.T) {
	env, b := adminEnv(t)
	env.createAdmin("second@example.com", "correct horse")
	r := b.get(adminURL + "/admins")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /admins: %d", r.StatusCode)
	}
	mustContain(t, r.Body, testAdminEmail, "second@example.com", `action="/admins/invite"`, `action="/admins/remove"`, `href="/admins" aria-current="page"`)
	if r := env.browser().get(adminURL + "/admins"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("signed out GET /admins: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestAdminInviteSetPasswordSignIn(t *testing.T) {
	env, b := adminEnv(t)
	path := b.invite("New@Example.com")
	env.wantAudit("admin-invite", "", app.AuditOK)
	// The link is shown once: the list does not show it again.
	if strings.Contains(b.get(adminURL+"/admins").Body, path) {
		t.Error("the invitation link is shown again")
	}

	guest := env.browser()
	r := guest.get(adminURL + path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET invite: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, r.Body, "new@example.com", `name="password"`)
	if r := guest.post(adminURL+path, url.Values{"password": {"short"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("short password: %d", r.StatusCode)
	}
	r = guest.post(adminURL+path, url.Values{"password": {"new admin password"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("accept: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
	mustContain(t, guest.get(adminURL+"/").Body, "new@example.com")
	// The new admin can sign in with the password chosen.
	env.browser().adminSignIn("new@example.com", "new admin password")

	// Used: refused, on both the page and the form.
	other := env.browser()
	for _, r := range []*response{other.get(adminURL + path), other.post(adminURL+path, url.Values{"password": {"another password"}})} {
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "not valid") || strings.Contains(r.Body, `name="password"`) {
			t.Errorf("used link: %d\n%s", r.StatusCode, clipBody(r.Body))
		}
	}
	if r := other.get(adminURL + "/invite/unknown-token"); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "not valid") {
		t.Errorf("unknown link: %d", r.StatusCode)
	}
}

func TestAdminInviteRefusesExistingAdmin(t *testing.T) {
	env, b := adminEnv(t)
	r := b.post(adminURL+"/admins/invite", url.Values{"email": {testAdminEmail}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite existing: %d", r.StatusCode)
	}
	mustContain(t, b.follow(r), "already an admin")
	env.wantAudit("admin-invite", "", app.AuditFailed)
}

func TestAdminRemoveEndsSessionsAtOnce(t *testing.T) {
	env, b := adminEnv(t)
	env.createAdmin("gone@example.com", "correct horse")
	gone := env.browser()
	gone.adminSignIn("gone@example.com", "correct horse")

	// A wrong confirmation removes nobody.
	r := b.post(adminURL+"/admins/remove", url.Values{"email": {"gone@example.com"}, "confirm": {"nope"}})
	mustContain(t, b.follow(r), "to confirm")
	if r := gone.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Fatalf("still signed in: %d", r.StatusCode)
	}

	r = b.post(adminURL+"/admins/remove", url.Values{"email": {"gone@example.com"}, "confirm": {"gone@example.com"}})
	mustContain(t, b.follow(r), "Removed admin gone@example.com")
	env.wantAudit("admin-remove", "", app.AuditOK)
	if r := gone.get(adminURL + "/"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("removed admin's next request: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	// Its session is gone from the store, not only refused.
	key := storeKey(gone.jar["admin.localhost:8080"][sessionCookie])
	if _, found, _ := env.control.SessionStore().FindCtx(t.Context(), key); found {
		t.Error("the removed admin's session is still stored")
	}

	// The last admin stays.
	r = b.post(adminURL+"/admins/remove", url.Values{"email": {testAdminEmail}, "confirm": {testAdminEmail}})
	mustContain(t, b.follow(r), "only admin")
	if r := b.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Errorf("last admin signed out: %d", r.StatusCode)
	}
}

func TestAdminRemoveSelfSignsOut(t *testing.T) {
	env, b := adminEnv(t)
	env.createAdmin("other@example.com", "correct horse")
	r := b.post(adminURL+"/admins/remove", url.Values{"email": {testAdminEmail}, "confirm": {testAdminEmail}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("remove self: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := b.get(adminURL + "/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in: %d", r.StatusCode)
	}
}

func TestAdminRemoveEndsEventStream(t *testing.T) {
	// The re-check would take an hour: only the removal can end it in time.
	env, admin, addr := streamEnv(t, time.Hour)
	env.createAdmin("gone@example.com", "correct horse")
	gone := env.browser()
	gone.adminSignIn("gone@example.com", "correct horse")
	stream := openAdminStream(t, addr, gone)
	stream.waitFor(": heartbeat")
	admin.post(adminURL+"/admins/remove", url.Values{"email": {"gone@example.com"}, "confirm": {"gone@example.com"}})
	stream.waitEnded()
}

func TestAdminChangeOwnPassword(t *testing.T) {
	env, b := adminEnv(t)
	other := env.browser()
	other.adminSignIn(testAdminEmail, testAdminPassword)

	r := b.post(adminURL+"/password", url.Values{"current_password": {"wrong password"}, "new_password": {"brand new password"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `id="current_password-error"`, "not your current password")
	env.wantAudit("admin-password", "", app.AuditFailed)
	// Nothing changed: the old password signs in, the other session works.
	env.browser().adminSignIn(testAdminEmail, testAdminPassword)
	if r := other.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Fatalf("other session after a wrong current password: %d", r.StatusCode)
	}

	r = b.post(adminURL+"/password", url.Values{"current_password": {testAdminPassword}, "new_password": {"brand new password"}})
	mustContain(t, b.follow(r), "Your password was changed")
	env.wantAudit("admin-password", "", app.AuditOK)
	if r := b.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Errorf("this session ended: %d", r.StatusCode)
	}
	if r := other.get(adminURL + "/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("other session still works: %d", r.StatusCode)
	}
	env.browser().adminSignIn(testAdminEmail, "brand new password")
	if r := env.browser().post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}}); r.StatusCode == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
}

func TestAdminAccountsRefuseMissingCSRF(t *testing.T) {
	env, b := adminEnv(t)
	env.createAdmin("gone@example.com", "correct horse")
	path := b.invite("guest@example.com")
	for _, rt := range []struct {
		path string
		form url.Values
	}{
		{"/admins/invite", url.Values{"email": {"x@example.com"}}},
		{"/admins/remove", url.Values{"email": {"gone@example.com"}, "confirm": {"gone@example.com"}}},
		{"/password", url.Values{"current_password": {testAdminPassword}, "new_password": {"brand new password"}}},
		{path, url.Values{"password": {"guest password"}}},
	} {
		rt.form.Set("_csrf", "forged")
		if r := b.do(http.MethodPost, adminURL+rt.path, rt.form); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s with a forged token: %d", rt.path, r.StatusCode)
		}
	}
	if len(env.audits(appAuditFilter("admin-remove"))) != 0 || len(env.audits(appAuditFilter("admin-password"))) != 0 {
		t.Error("a forged form was acted on")
	}
	// The invitation still works: the forged form did not consume it.
	if r := env.browser().get(adminURL + path); r.StatusCode != http.StatusOK {
		t.Errorf("invite after forged accept: %d", r.StatusCode)
	}
}

func TestAdminInviteLimitsFailedTokens(t *testing.T) {
	env, b := adminEnv(t)
	path := b.invite("guest@example.com")
	guesser := env.browser()
	for i := range DefaultLoginFailuresPerClientAccount {
		if r := guesser.get(adminURL + "/invite/guess-" + string(rune('a'+i))); r.StatusCode != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, r.StatusCode)
		}
	}
	// Past the limit even a real token is refused to this client...
	if r := guesser.get(adminURL + path); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d", DefaultLoginFailuresPerClientAccount, r.StatusCode)
	}
	// ...and refused before any password is looked at.
	if r := guesser.post(adminURL+path, url.Values{"password": {"guest password"}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("accept after the limit: %d", r.StatusCode)
	}
	if n := len(env.audits(appAuditFilter("admin-invite-accept"))); n != 0 {
		t.Errorf("%d accept attempts went ahead", n)
	}
}
