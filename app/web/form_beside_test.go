package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// card returns the part of body from the element with id to the end of
// its <details> card, or fails.
func card(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %s in %s", id, clipBody(body))
	}
	j := strings.Index(body[i:], "</details>")
	if j < 0 {
		t.Fatalf("%s has no end", id)
	}
	return body[i : i+j]
}

// wantBeside checks that a refused admin form came back with its error
// (containing message) inside its own card, not in the page's alert area,
// with field marked invalid, described by the error and the one focused.
func wantBeside(t *testing.T, what, body, panel, errID, message, field string) {
	t.Helper()
	c := card(t, body, panel)
	mustContain(t, c, `<p class="alert" role="alert" id="`+errID+`">`, message)
	mustNotContain(t, body, `class="flashes"`)
	tag := fieldTag(t, c, `id="`+field+`"`)
	for _, want := range []string{invalidField, errID, "autofocus"} {
		if !strings.Contains(tag, want) {
			t.Errorf("%s: %s lacks %s: %s", what, field, want, tag)
		}
	}
	if n := strings.Count(body, "autofocus"); n != 1 {
		t.Errorf("%s: %d fields have autofocus, want 1", what, n)
	}
	if n := strings.Count(body, invalidField); n != 1 {
		t.Errorf("%s: %d fields are marked invalid, want 1", what, n)
	}
}

func TestAdminCreateErrorIsBesideItsForm(t *testing.T) {
	env, b := adminEnv(t)
	env.createTenant("acme")
	for _, tt := range []struct {
		what         string
		form         url.Values
		message, fld string
	}{
		{"taken name", url.Values{"name": {"acme"}, "region": {"local"}, "email": {"x@example.com"}}, "already taken", "create-name"},
		{"bad name", url.Values{"name": {"a!"}, "region": {"local"}, "email": {"x@example.com"}}, "3 to 30 characters", "create-name"},
		{"bad email", url.Values{"name": {"fresh"}, "region": {"local"}, "email": {"nope"}}, "not a valid email", "create-email"},
		{"bad region", url.Values{"name": {"fresh"}, "region": {"mars"}, "email": {"x@example.com"}}, "choose a region", "create-region"},
	} {
		r := b.post(adminURL+"/tenants", tt.form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", tt.what, r.StatusCode)
		}
		body := b.follow(r)
		wantBeside(t, tt.what, body, "create-panel", "create-error", tt.message, tt.fld)
		mustContain(t, card(t, body, "create-panel"), `id="create-panel" open`)
	}
	// The next page is as before: no error, nothing marked.
	body := b.get(adminURL + "/").Body
	mustNotContain(t, body, `id="create-error"`, invalidField, "autofocus")
}

func TestAdminImportErrorIsBesideItsForm(t *testing.T) {
	_, b := adminEnv(t)
	for _, tt := range []struct {
		what, name, file string
		data             []byte
		message, fld     string
	}{
		{"not a database", "junk", "junk.db", bytes.Repeat([]byte("not a database "), 100), "not a SQLite database", "import-file"},
		{"no file", "empty", "", nil, "Choose a database file", "import-file"},
		{"bad name", "bad name!", "x.db", []byte("SQLite format 3\x00"), "not a valid name", "import-name"},
	} {
		r := b.upload(adminURL+"/tenants/import", map[string]string{"name": tt.name, "region": "local"}, tt.file, tt.data)
		body := b.follow(r)
		wantBeside(t, tt.what, body, "import-panel", "import-error", tt.message, tt.fld)
		c := card(t, body, "import-panel")
		mustContain(t, c, `id="import-panel" open`, `id="import-name" name="name" value="`+htmlEscape(tt.name)+`"`)
		// The upload's progress is there for the script, hidden without it.
		mustContain(t, c, `<div class="upload-progress" id="import-progress" hidden>`, `<progress id="import-progress-bar"`)
	}
}

func TestSignupShowsEveryErrorAtOnce(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	before := env.tenantCount()
	r := b.post("http://localhost:8080/signup", url.Values{
		"name": {"a!"}, "email": {"nope"}, "password": {"short"}, "region": {"mars"},
	})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.StatusCode)
	}
	for field, message := range map[string]string{
		"name": "3 to 30 characters", "email": "not a valid email",
		"password": "at least 8", "region": "choose a region",
	} {
		mustContain(t, r.Body, `<p class="field-error" role="alert" id="signup-`+field+`-error">`)
		i := strings.Index(r.Body, `id="signup-`+field+`-error">`)
		if !strings.Contains(r.Body[i:i+200], message) {
			t.Errorf("%s: its error does not say %q: %s", field, message, r.Body[i:i+200])
		}
		tag := fieldTag(t, r.Body, `id="signup-`+field+`"`)
		if !strings.Contains(tag, invalidField) || !strings.Contains(tag, "signup-"+field+"-error") {
			t.Errorf("%s is not marked invalid and described by its error: %s", field, tag)
		}
	}
	// The first in the page's order is focused, and only it.
	checkFields(t, "all wrong", r.Body, []string{`id="signup-name"`, `id="signup-email"`, `id="signup-password"`, `id="signup-region"`},
		`id="signup-name"`, `id="signup-email"`, `id="signup-password"`, `id="signup-region"`)
	mustContain(t, r.Body, `value="nope"`)
	if got := env.tenantCount(); got != before {
		t.Errorf("tenants = %d, want %d", got, before)
	}
}
