package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestClientIP(t *testing.T) {
	// fiber's in-memory test connection comes from 0.0.0.0.
	tests := []struct {
		trusted []string
		header  string   // Config.ClientIPHeader
		sent    []string // header name, value pairs the request carries
		want    string
	}{
		{nil, "", nil, "0.0.0.0"},
		{nil, "", []string{"X-Forwarded-For", "1.2.3.4"}, "0.0.0.0"}, // no trusted proxy: the header is ignored
		{[]string{"0.0.0.0"}, "", nil, "0.0.0.0"},
		{[]string{"0.0.0.0"}, "", []string{"X-Forwarded-For", "1.2.3.4"}, "1.2.3.4"},
		{[]string{"0.0.0.0"}, "", []string{"X-Forwarded-For", "6.6.6.6, 1.2.3.4"}, "1.2.3.4"}, // the client wrote 6.6.6.6
		{[]string{"0.0.0.0/32", "10.0.0.0/8"}, "", []string{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.1.2.3"}, "1.2.3.4"},
		{[]string{"0.0.0.0"}, "", []string{"X-Forwarded-For", "garbage"}, "0.0.0.0"},
		{[]string{"0.0.0.0"}, "", []string{"X-Forwarded-For", "::ffff:1.2.3.4"}, "1.2.3.4"},
		{[]string{"0.0.0.0"}, "", []string{"Fly-Client-IP", "1.2.3.4"}, "0.0.0.0"}, // no header configured
		// A client-IP header: believed only from a trusted proxy, and then
		// it is the only source.
		{nil, "Fly-Client-IP", []string{"Fly-Client-IP", "9.9.9.9", "X-Forwarded-For", "9.9.9.9"}, "0.0.0.0"},
		{[]string{"10.0.0.0/8"}, "Fly-Client-IP", []string{"Fly-Client-IP", "9.9.9.9"}, "0.0.0.0"},
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "1.2.3.4"}, "1.2.3.4"},
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "2001:db8::7"}, "2001:db8::7"},
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "9.9.9.9, 1.2.3.4"}, "1.2.3.4"}, // the proxy's comes last
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "9.9.9.9", "Fly-Client-IP", "1.2.3.4"}, "1.2.3.4"},
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"X-Forwarded-For", "1.2.3.4"}, "0.0.0.0"}, // XFF is not used
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "garbage"}, "0.0.0.0"},
		{[]string{"0.0.0.0"}, "Fly-Client-IP", []string{"Fly-Client-IP", "fe80::1%eth0"}, "fe80::1"},
	}
	for _, tt := range tests {
		s := &Server{cfg: Config{ClientIPHeader: tt.header}, trusted: parsePrefixes(tt.trusted)}
		a := fiber.New()
		a.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientIP(c)) })
		req := httptest.NewRequest("GET", "/", nil)
		for i := 0; i+1 < len(tt.sent); i += 2 {
			req.Header.Add(tt.sent[i], tt.sent[i+1])
		}
		resp, err := a.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if string(got) != tt.want {
			t.Errorf("trusted %v, header %q, sent %q: client %q, want %q", tt.trusted, tt.header, tt.sent, got, tt.want)
		}
	}
}

// Rate limits count an IPv6 client by its /64, which one subscriber
// usually holds whole.
func TestClientKey(t *testing.T) {
	s := &Server{cfg: Config{ClientIPHeader: "Fly-Client-IP"}, trusted: parsePrefixes([]string{"0.0.0.0"})}
	a := fiber.New()
	a.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientKey(c)) })
	for sent, want := range map[string]string{
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::99":     "2001:db8:1:2::/64",
		"1.2.3.4":              "1.2.3.4",
		"::ffff:1.2.3.4":       "1.2.3.4",
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Fly-Client-IP", sent)
		resp, err := a.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(resp.Body); string(got) != want {
			t.Errorf("%s: key %q, want %q", sent, got, want)
		}
	}
}

// Without a trusted proxy, X-Forwarded-Proto is believed from nobody: a
// client cannot make the site redirect it to https or set Secure cookies.
func TestForwardedProtoIgnoredWithoutProxy(t *testing.T) {
	env := newTestEnv(t)
	env.browser().signUp("acme", "o@example.com", "correct horse")
	r := env.browser().get("http://localhost:8080/find?name=acme", "X-Forwarded-Proto", "https")
	if loc := r.Header.Get("Location"); loc != "http://acme.localhost:8080/" {
		t.Errorf("redirect = %q", loc)
	}
}

// flyEnv returns the [env] table of the shipped fly.toml.
func flyEnv(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../fly.toml")
	if err != nil {
		t.Fatal(err)
	}
	env, section := map[string]string{}, ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if section != "[env]" || !ok || strings.HasPrefix(line, "#") {
			continue
		}
		uq, err := strconv.Unquote(strings.TrimSpace(v))
		if err != nil {
			t.Fatalf("fly.toml [env] %s: %v", line, err)
		}
		env[strings.TrimSpace(k)] = uq
	}
	return env
}

// The attack reproduced against the shipped fly.toml: a stranger sends 50
// wrong passwords through Fly's proxy with a forged X-Forwarded-For, then
// the owner, from another address, signs in with the right password.
func TestFlyConfigSeparatesClients(t *testing.T) {
	fly := flyEnv(t)
	env := newTestEnvWith(t, func(c *Config) {
		for _, p := range strings.Split(fly["TODOS_TRUSTED_PROXIES"], ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
		}
		c.ClientIPHeader = fly["TODOS_CLIENT_IP_HEADER"]
	})
	// Nothing outside Fly's private proxy range is trusted.
	for _, a := range []string{"1.2.3.4", "6.6.6.6", "9.9.9.9", "127.0.0.1", "10.1.2.3", "192.168.1.1", "2a09:8280::1", "fdaa:0:18:a7b::2", "::1"} {
		if env.srv.isTrusted(netip.MustParseAddr(a)) {
			t.Errorf("fly.toml trusts %s as a proxy", a)
		}
	}
	const flyProxy = "172.19.14.2" // Fly's proxy reaches the machine on a private IPv4 address
	env.createTenant("acme")
	attacker := env.browserFrom(flyProxy)
	attacker.hdrs["Fly-Client-IP"] = "6.6.6.6"
	attacker.hdrs["X-Forwarded-For"] = "1.2.3.4, 6.6.6.6, 66.241.125.10"
	for i := 0; i < 50; i++ {
		r := attacker.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"nope nope"}})
		if r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	owner := env.browserFrom(flyProxy)
	owner.hdrs["Fly-Client-IP"] = "9.9.9.9"
	owner.hdrs["X-Forwarded-For"] = "9.9.9.9, 66.241.125.10"
	r := owner.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner after 50 forged failures: %d, want 303\n%s", r.StatusCode, clipBody(r.Body))
	}
}
