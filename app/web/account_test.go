package web

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
	"todos/app/store"
)

const (
	accountHost     = "http://mine.localhost:8080"
	accountEmail    = "owner@example.com"
	accountPassword = "correct horse"
)

// accountOwner signs up the list "mine" with two todos, one completed, in
// a browser that says it is Firefox on Linux.
func accountOwner(t *testing.T) (*testEnv, *browser) {
	env := newTestEnv(t)
	b := env.browser()
	b.hdrs["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	b.signUp("mine", accountEmail, accountPassword)
	for _, title := range []string{"buy milk", `say "hi", then leave`} {
		if r := b.post(accountHost+"/todos", url.Values{"title": {title}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %q: %d", title, r.StatusCode)
		}
	}
	tdb := env.acquireList("mine")
	todos, _, err := tdb.Todos(context.Background(), app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tdb.ToggleTodo(context.Background(), todos[0].ID); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	return env, b
}

// acquireList acquires tenant name's database; the caller releases it.
func (e *testEnv) acquireList(name string) *store.TenantDB {
	e.t.Helper()
	tdb, err := e.pool.Acquire(context.Background(), e.tenant(name))
	if err != nil {
		e.t.Fatal(err)
	}
	return tdb
}

// signInAgain signs the owner in from another browser.
func signInAgain(t *testing.T, env *testEnv, userAgent string) *browser {
	b := env.browser()
	b.hdrs["User-Agent"] = userAgent
	r := b.post(accountHost+"/login", url.Values{"email": {accountEmail}, "password": {accountPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("sign-in: %d %s", r.StatusCode, clipBody(r.Body))
	}
	return b
}

// opensList reports whether b's session still opens the list.
func opensList(b *browser) bool { return b.get(accountHost+"/").StatusCode == http.StatusOK }

// wantOwnerAudit fails unless the newest entry of action on "mine" is by
// the owner with outcome.
func wantOwnerAudit(t *testing.T, env *testEnv, action, outcome string) app.AuditEntry {
	t.Helper()
	entries := env.audits(app.AuditFilter{Action: action, Tenant: "mine", Limit: 1})
	if len(entries) == 0 {
		t.Fatalf("no audit entry %s", action)
	}
	if e := entries[0]; e.Actor != accountEmail || e.Outcome != outcome {
		t.Errorf("audit %s = %+v, want outcome %s by %s", action, e, outcome, accountEmail)
	}
	return entries[0]
}

func TestAccountPageLinkedFromTheList(t *testing.T) {
	env, b := accountOwner(t)
	signInAgain(t, env, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
	if r := b.get(accountHost + "/"); !strings.Contains(r.Body, `href="/account"`) {
		t.Fatalf("the list page has no link to /account")
	}
	r := b.get(accountHost + "/account")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /account: %d", r.StatusCode)
	}
	for _, want := range []string{"Export my list", "Change password", "Active sessions", "Delete my list",
		"Firefox on Linux", "Safari on iPhone", "This browser", "This machine (local)", "7 days", accountEmail} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if n := strings.Count(r.Body, `data-testid="session"`); n != 2 {
		t.Errorf("%d sessions listed, want 2", n)
	}
	if out := env.browser().get(accountHost + "/account"); out.StatusCode != http.StatusSeeOther ||
		out.Header.Get("Location") != "/login" {
		t.Errorf("signed out: GET /account = %d %q", out.StatusCode, out.Header.Get("Location"))
	}
}

func TestAccountExportDatabase(t *testing.T) {
	env, b := accountOwner(t)
	tdb := env.acquireList("mine")
	owner, err := tdb.UserByEmail(context.Background(), accountEmail)
	tdb.Release()
	if err != nil {
		t.Fatal(err)
	}
	if r := b.get(accountHost + "/account/export"); r.StatusCode == http.StatusOK {
		t.Errorf("GET /account/export = 200: an export must be a POST")
	}
	r := b.post(accountHost+"/account/export", nil)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/vnd.sqlite3" ||
		!strings.Contains(r.Header.Get("Content-Disposition"), `filename="mine-`) {
		t.Fatalf("export: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	token := b.jar["mine.localhost:8080"][sessionCookie]
	for _, secret := range []string{owner.PasswordHash, "$argon2id$", sessionKey(token)} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("the export holds %q", secret)
		}
	}
	path := filepath.Join(t.TempDir(), "mine.db")
	if err := os.WriteFile(path, []byte(r.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	connector, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var todos, done, sessions int
	var hashes string
	if err := db.QueryRow("SELECT count(*), coalesce(sum(completed), 0) FROM todos").Scan(&todos, &done); err != nil || todos != 2 || done != 1 {
		t.Errorf("export todos = %d (%d done), %v", todos, done, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM sessions").Scan(&sessions); err != nil || sessions != 0 {
		t.Errorf("export sessions = %d, %v", sessions, err)
	}
	if err := db.QueryRow("SELECT group_concat(password_hash, '') FROM users").Scan(&hashes); err != nil || hashes != "" {
		t.Errorf("export password hashes = %q, %v", hashes, err)
	}
	if e := wantOwnerAudit(t, env, "owner-export", app.AuditOK); !strings.HasPrefix(e.Detail, "sqlite") {
		t.Errorf("audit detail = %q", e.Detail)
	}
	if !opensList(b) {
		t.Errorf("the export ended the owner's session")
	}
}

func TestAccountExportCSVAndJSON(t *testing.T) {
	env, b := accountOwner(t)
	r := b.post(accountHost+"/account/export.csv", nil)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != "id,title,completed,created_at,updated_at" ||
		rows[1][1] != "buy milk" || rows[1][2] != "true" || rows[2][1] != `say "hi", then leave` || rows[2][2] != "false" ||
		rows[1][3] == "" || rows[1][4] < rows[1][3] {
		t.Errorf("csv = %q", rows)
	}
	if e := wantOwnerAudit(t, env, "owner-export", app.AuditOK); e.Detail != "csv, 2 todos" {
		t.Errorf("audit detail = %q", e.Detail)
	}

	r = b.post(accountHost+"/account/export.json", nil)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("json: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	var doc struct {
		List  string
		Todos []struct {
			Title     string `json:"title"`
			Completed bool   `json:"completed"`
			CreatedAt string `json:"created_at"`
			UpdatedAt string `json:"updated_at"`
		}
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.List != "mine" || len(doc.Todos) != 2 || doc.Todos[0].Title != "buy milk" || !doc.Todos[0].Completed ||
		doc.Todos[1].Completed || doc.Todos[0].CreatedAt == "" || doc.Todos[0].UpdatedAt == "" {
		t.Errorf("json = %+v", doc)
	}
}

func TestAccountPasswordChangeEndsOtherSessions(t *testing.T) {
	env, b := accountOwner(t)
	other := signInAgain(t, env, "curl/8.0")
	r := b.post(accountHost+"/account/password", url.Values{
		"current_password": {accountPassword}, "new_password": {"a brand new secret"},
	})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account" {
		t.Fatalf("change: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if page := b.get(accountHost + "/account"); !strings.Contains(page.Body, "Your password was changed") {
		t.Errorf("no notice after the change")
	}
	if !opensList(b) {
		t.Errorf("the change ended the session that made it")
	}
	if opensList(other) {
		t.Errorf("the other session survived the change")
	}
	wantOwnerAudit(t, env, "owner-password", app.AuditOK)
	if r := env.browser().post(accountHost+"/login", url.Values{"email": {accountEmail}, "password": {accountPassword}}); r.StatusCode == http.StatusSeeOther {
		t.Errorf("the old password still signs in")
	}
	signInAgain2 := env.browser()
	if r := signInAgain2.post(accountHost+"/login", url.Values{"email": {accountEmail}, "password": {"a brand new secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d", r.StatusCode)
	}
}

func TestAccountPasswordWrongCurrentChangesNothing(t *testing.T) {
	env, b := accountOwner(t)
	other := signInAgain(t, env, "curl/8.0")
	r := b.post(accountHost+"/account/password", url.Values{
		"current_password": {"not my password"}, "new_password": {"a brand new secret"},
	})
	if r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `aria-describedby="current_password-error"`) ||
		!strings.Contains(r.Body, `id="current_password-error">That is not your current password.`) {
		t.Fatalf("wrong password: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if !opensList(other) || !opensList(b) {
		t.Errorf("a refused change ended a session")
	}
	wantOwnerAudit(t, env, "owner-password", app.AuditFailed)
	if r := env.browser().post(accountHost+"/login", url.Values{"email": {accountEmail}, "password": {accountPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the old password no longer signs in: %d", r.StatusCode)
	}
	// A too-short new password, with the right current one: nothing changes.
	r = b.post(accountHost+"/account/password", url.Values{"current_password": {accountPassword}, "new_password": {"short"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="new_password-error"`) {
		t.Errorf("short password: %d", r.StatusCode)
	}
	if !opensList(other) {
		t.Errorf("a refused change ended a session")
	}
}

func TestAccountPasswordIsRateLimited(t *testing.T) {
	env, b := accountOwner(t)
	var r *response
	for range DefaultLoginFailuresPerClientAccount + 1 {
		r = b.post(accountHost+"/account/password", url.Values{"current_password": {"wrong wrong"}, "new_password": {"a brand new secret"}})
	}
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many failed sign-in attempts") {
		t.Errorf("after %d failures: %d %s", DefaultLoginFailuresPerClientAccount+1, r.StatusCode, clipBody(r.Body))
	}
	// The right password is refused too while the client is refused.
	r = b.post(accountHost+"/account/password", url.Values{"current_password": {accountPassword}, "new_password": {"a brand new secret"}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password while refused: %d", r.StatusCode)
	}
	_ = env
}

func TestAccountSignOutEverywhere(t *testing.T) {
	env, b := accountOwner(t)
	other := signInAgain(t, env, "curl/8.0")
	r := b.post(accountHost+"/account/sessions/end-all", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("end-all: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if opensList(b) || opensList(other) {
		t.Errorf("a session survived sign out everywhere")
	}
	wantOwnerAudit(t, env, "owner-sign-out-all", app.AuditOK)
}

func TestAccountDelete(t *testing.T) {
	env, b := accountOwner(t)
	other := signInAgain(t, env, "curl/8.0")
	for _, tc := range []struct{ name, password, field string }{
		{"Mine", accountPassword, "confirm_name-error"},
		{"", accountPassword, "confirm_name-error"},
		{"mine", "wrong password", "delete_password-error"},
	} {
		r := b.post(accountHost+"/account/delete", url.Values{"confirm_name": {tc.name}, "password": {tc.password}})
		if r.StatusCode == http.StatusSeeOther || !strings.Contains(r.Body, `id="`+tc.field+`"`) {
			t.Errorf("delete with %q/%q: %d, want the error %s", tc.name, tc.password, r.StatusCode, tc.field)
		}
		if !opensList(b) {
			t.Fatalf("delete with %q/%q: the list went away", tc.name, tc.password)
		}
	}
	r := b.post(accountHost+"/account/delete", url.Values{"confirm_name": {"mine"}, "password": {accountPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("delete: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if _, ok := b.jar["mine.localhost:8080"][sessionCookie]; ok {
		t.Errorf("the session cookie survived the deletion")
	}
	page := b.get(accountHost + "/")
	if page.StatusCode != http.StatusNotFound || !strings.Contains(page.Body, "This TODO list was deleted") {
		t.Errorf("the list's address after deletion: %d %s", page.StatusCode, clipBody(page.Body))
	}
	if other.get(accountHost+"/").StatusCode != http.StatusNotFound {
		t.Errorf("another session still reaches the deleted list")
	}
	if tn, err := env.tenants.FindTenantByNameIncludingTrash(context.Background(), "mine"); err != nil || tn.Status != app.TenantDeleted {
		t.Errorf("tenant after deletion = %+v, %v", tn, err)
	}
	if e := wantOwnerAudit(t, env, "owner-delete", app.AuditOK); e.Detail != "kept 7 days" {
		t.Errorf("audit detail = %q", e.Detail)
	}
	// An address that never had a list still says so.
	if r := b.get("http://never.localhost:8080/"); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "deleted") {
		t.Errorf("unknown list: %d", r.StatusCode)
	}
	// Restored, the list has no session left: its owner signs in again.
	if _, err := env.tenants.RestoreTenant(context.Background(), "mine"); err != nil {
		t.Fatal(err)
	}
	if opensList(other) {
		t.Errorf("a session came back with the restored list")
	}
}

func TestAccountFormsNeedCSRF(t *testing.T) {
	_, b := accountOwner(t)
	for _, path := range []string{"/account/export", "/account/export.csv", "/account/export.json",
		"/account/password", "/account/sessions/end-all", "/account/delete"} {
		r := b.do(http.MethodPost, accountHost+path, url.Values{
			"current_password": {accountPassword}, "new_password": {"a brand new secret"},
			"confirm_name": {"mine"}, "password": {accountPassword},
		})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without a token: %d", path, r.StatusCode)
		}
	}
	if !opensList(b) {
		t.Errorf("a refused form changed the session")
	}
}

func TestDeviceLabel(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0": "Edge on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15":    "Safari on macOS",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36":              "Chrome on Android",
		"curl/8.0": "curl",
		"":         "Unknown device",
	} {
		if got := deviceLabel(ua); got != want {
			t.Errorf("deviceLabel(%q) = %q, want %q", ua, got, want)
		}
	}
}

// TestSpreadsheetText: a title a spreadsheet would run as a formula is
// written as text in the CSV export; others are kept as typed.
func TestSpreadsheetText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","x")`: `'=HYPERLINK("http://evil.example","x")`,
		"+1":                                    "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"buy milk": "buy milk", "": "", "a=b": "a=b",
	} {
		if got := spreadsheetText(in); got != want {
			t.Errorf("spreadsheetText(%q) = %q, want %q", in, got, want)
		}
	}
}
