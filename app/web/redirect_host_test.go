package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// sendRaw sends a request to path with a Host header written as is (not
// parsed as a URL) and extra header pairs, with the CSRF cookie of the
// site's normal host so that a form can pass the token check.
func (b *browser) sendRaw(method, host, path string, form url.Values, headers ...string) *response {
	b.env.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Host = host
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for name, value := range b.jar["localhost:8080"] {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	resp, err := b.env.srv.App().Test(req, -1)
	if err != nil {
		b.env.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, Body: string(body)}
}

// onDomain reports why an absolute URL is not on the configured domain
// ("localhost") with a valid port and scheme, or "" if it is.
func onDomain(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return err.Error()
	}
	if u.User != nil {
		return "userinfo " + u.User.String()
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "scheme " + u.Scheme
	}
	if h := u.Hostname(); h != "localhost" && !strings.HasSuffix(h, ".localhost") {
		return "host " + h
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "port " + p
		}
	}
	if u.Host != u.Hostname() && u.Host != u.Hostname()+":"+u.Port() {
		return "host " + u.Host
	}
	return ""
}

func TestRedirectsUseOnlyValidatedHostParts(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "o@example.com", "correct horse")
	token := b.token("http://localhost:8080/")
	signup := func(name string) url.Values {
		return url.Values{"name": {name}, "email": {"o@example.com"}, "password": {"correct horse"},
			"region": {"local"}, "_csrf": {token}}
	}
	hostile := []string{
		"localhost:80@evil.com",
		"localhost:8080/evil",
		"localhost:8080\\@evil.com",
		"localhost:abc",
		"localhost:99999",
		"localhost:0",
		"localhost:8080?x=",
		"localhost:8080#x",
	}
	n := 0
	for _, host := range hostile {
		n++
		name := "victim" + strconv.Itoa(n)
		for _, r := range []*response{
			b.sendRaw("GET", host, "/find?name=acme", nil),
			b.sendRaw("POST", host, "/signup", signup(name)),
			b.sendRaw("GET", "acme."+host, "/", nil),
			b.sendRaw("GET", "admin."+host, "/", nil),
		} {
			if r.StatusCode != http.StatusBadRequest {
				t.Errorf("Host %q %s: status %d, Location %q; want 400", host, r.Request.URL, r.StatusCode, r.Header.Get("Location"))
			}
			if strings.Contains(r.Body, "evil") {
				t.Errorf("Host %q: the page repeats the host: %s", host, clipBody(r.Body))
			}
		}
		if _, err := env.tenants.FindTenantByName(t.Context(), name); err == nil {
			t.Errorf("Host %q: sign-up created %s", host, name)
		}
	}

	// Valid hosts keep their port, in canonical form.
	for host, want := range map[string]string{
		"localhost:8080":  "http://acme.localhost:8080/",
		"localhost":       "http://acme.localhost/",
		"LOCALHOST:08080": "http://acme.localhost:8080/",
	} {
		r := b.sendRaw("GET", host, "/find?name=acme", nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("Host %q: %d %q; want %q", host, r.StatusCode, r.Header.Get("Location"), want)
		}
	}

	// X-Forwarded-Host and -Proto from a peer that is not a trusted proxy
	// are ignored.
	r := b.sendRaw("GET", "localhost:8080", "/find?name=acme", nil,
		"X-Forwarded-Host", "evil.com:8080", "X-Forwarded-Proto", "javascript")
	if loc := r.Header.Get("Location"); loc != "http://acme.localhost:8080/" {
		t.Errorf("untrusted X-Forwarded-Host: Location %q", loc)
	}
}

func TestRedirectsBehindTrustedProxy(t *testing.T) {
	// fiber's in-memory test connection comes from 0.0.0.0.
	env := newTestEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	b := env.browser()
	b.signUp("acme", "o@example.com", "correct horse")
	tests := []struct {
		fwdHost, fwdProto string
		status            int
		location          string
	}{
		{"localhost:80@evil.com", "", http.StatusBadRequest, ""},
		{"localhost:99999", "", http.StatusBadRequest, ""},
		{"localhost:9443", "https", http.StatusSeeOther, "https://acme.localhost:9443/"},
		{"localhost", "javascript", http.StatusSeeOther, "http://acme.localhost/"},
		{"localhost", "https://evil.com/?", http.StatusSeeOther, "http://acme.localhost/"},
	}
	for _, tt := range tests {
		r := b.sendRaw("GET", "localhost:8080", "/find?name=acme", nil,
			"X-Forwarded-Host", tt.fwdHost, "X-Forwarded-Proto", tt.fwdProto)
		if r.StatusCode != tt.status || r.Header.Get("Location") != tt.location {
			t.Errorf("X-Forwarded-Host %q, -Proto %q: %d %q; want %d %q", tt.fwdHost, tt.fwdProto,
				r.StatusCode, r.Header.Get("Location"), tt.status, tt.location)
		}
		if loc := r.Header.Get("Location"); loc != "" && onDomain(loc) != "" {
			t.Errorf("redirect off the domain: %q (%s)", loc, onDomain(loc))
		}
		if strings.Contains(r.Body, "evil") {
			t.Errorf("X-Forwarded-Host %q: the page repeats it", tt.fwdHost)
		}
	}
}
