package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"todos/app"
)

var fieldTagRe = regexp.MustCompile(`<(?:input|select)[^>]*>`)

// fieldTag returns the first <input> or <select> tag of body that contains
// marker (such as `id="login-email"`), or fails.
func fieldTag(t *testing.T, body, marker string) string {
	t.Helper()
	for _, tag := range fieldTagRe.FindAllString(body, -1) {
		if strings.Contains(tag, marker) {
			return tag
		}
	}
	t.Fatalf("no field with %s in %s", marker, clipBody(body))
	return ""
}

// invalidField is what a field the page's error is about carries: marked
// invalid and described by the alert area or by its own error beside it.
const invalidField = `aria-invalid="true"`

// checkFields checks which fields of body are marked invalid and which one
// has autofocus: want lists the markers of the invalid ones, first focused.
func checkFields(t *testing.T, what, body string, all []string, want ...string) {
	t.Helper()
	for _, marker := range all {
		tag := fieldTag(t, body, marker)
		invalid := false
		for _, w := range want {
			invalid = invalid || w == marker
		}
		if got := strings.Contains(tag, invalidField); got != invalid {
			t.Errorf("%s: %s invalid = %v, want %v: %s", what, marker, got, invalid, tag)
		}
		if invalid && !strings.Contains(tag, "alerts") && !strings.Contains(tag, "-error") {
			t.Errorf("%s: %s is described neither by the alerts nor by its error: %s", what, marker, tag)
		}
	}
	if len(want) > 0 {
		if tag := fieldTag(t, body, want[0]); !strings.Contains(tag, "autofocus") {
			t.Errorf("%s: the first invalid field %s is not focused: %s", what, want[0], tag)
		}
		if n := strings.Count(body, "autofocus"); n != 1 {
			t.Errorf("%s: %d fields have autofocus, want 1", what, n)
		}
	}
}

func TestLoginErrorsAreTiedToTheirFields(t *testing.T) {
	_, b := signedIn(t, "acme")
	fields := []string{`id="login-email"`, `id="login-password"`}
	guest := b.env.browser()
	r := guest.get("http://acme.localhost:8080/login")
	checkFields(t, "login page", r.Body, fields)

	r = guest.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.StatusCode)
	}
	checkFields(t, "wrong password", r.Body, fields, fields...)

	r = guest.post("http://acme.localhost:8080/login", url.Values{"email": {"not an email"}, "password": {"x"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad email: %d", r.StatusCode)
	}
	checkFields(t, "bad email", r.Body, fields, fields[0])
}

func TestSignupErrorsAreTiedToTheirFields(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("taken", "owner@example.com", "correct horse")
	fields := []string{`id="signup-name"`, `id="signup-region"`, `id="signup-email"`, `id="signup-password"`, `id="find-name"`}
	checkFields(t, "home", b.get("http://localhost:8080/").Body, fields)

	good := url.Values{"name": {"fresh"}, "email": {"a@example.com"}, "password": {"correct horse"}, "region": {"local"}}
	for _, tt := range []struct{ field, value, want string }{
		{"name", "x", `id="signup-name"`},
		{"name", "taken", `id="signup-name"`},
		{"region", "mars", `id="signup-region"`},
		{"email", "not an email", `id="signup-email"`},
		{"password", "short", `id="signup-password"`},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tt.field, tt.value)
		r := b.post("http://localhost:8080/signup", form)
		if r.StatusCode == http.StatusSeeOther {
			t.Fatalf("%s %q: accepted", tt.field, tt.value)
		}
		checkFields(t, tt.field+" "+tt.value, r.Body, fields, tt.want)
	}

	r := b.get("http://localhost:8080/find?name=nobody-here")
	checkFields(t, "find", r.Body, fields, `id="find-name"`)
}

func TestTodoTitleErrorsAreTiedToTheirFields(t *testing.T) {
	_, b := signedIn(t, "acme")
	formPost(t, b, "/todos", url.Values{"title": {"keep me"}})
	body := page(t, b, "/")
	mustContain(t, body, `aria-live="polite"`, `<a href="/" class="selected" aria-current="page">All</a>`,
		`<a href="/active">Active</a>`)
	checkFields(t, "list", body, []string{`class="new-todo"`})
	long := strings.Repeat("x", app.TitleMaxLength+1)

	r := b.post("http://acme.localhost:8080/todos", url.Values{"title": {long}})
	checkFields(t, "refused new title", r.Body, []string{`class="new-todo"`}, `class="new-todo"`)

	id := itemID(t, body, "keep me")
	r = b.post("http://acme.localhost:8080/todos/"+id+"/edit", url.Values{"title": {long}})
	checkFields(t, "refused rename", r.Body, []string{`class="new-todo"`, `class="edit"`}, `class="edit"`)

	// The edit mode without JavaScript focuses the item's input, not the
	// new-todo input.
	body = page(t, b, "/?edit="+id)
	if tag := fieldTag(t, body, `class="edit"`); !strings.Contains(tag, "autofocus") || strings.Count(body, "autofocus") != 1 {
		t.Errorf("edit mode: the edit input is not the one focused: %s", tag)
	}
}
