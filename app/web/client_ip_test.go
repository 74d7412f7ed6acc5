package web

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestClientIP(t *testing.T) {
	// fiber's in-memory test connection comes from 0.0.0.0.
	tests := []struct {
		trusted []string
		xff     string
		want    string
	}{
		{nil, "", "0.0.0.0"},
		{nil, "1.2.3.4", "0.0.0.0"}, // no trusted proxy: the header is ignored
		{[]string{"0.0.0.0"}, "", "0.0.0.0"},
		{[]string{"0.0.0.0"}, "1.2.3.4", "1.2.3.4"},
		{[]string{"0.0.0.0"}, "6.6.6.6, 1.2.3.4", "1.2.3.4"}, // the client wrote 6.6.6.6
		{[]string{"0.0.0.0/32", "10.0.0.0/8"}, "6.6.6.6, 1.2.3.4, 10.1.2.3", "1.2.3.4"},
		{[]string{"0.0.0.0"}, "garbage", "0.0.0.0"},
		{[]string{"0.0.0.0"}, "::ffff:1.2.3.4", "1.2.3.4"},
	}
	for _, tt := range tests {
		s := &Server{trusted: parsePrefixes(tt.trusted)}
		a := fiber.New()
		a.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientIP(c)) })
		req := httptest.NewRequest("GET", "/", nil)
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		resp, err := a.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if string(got) != tt.want {
			t.Errorf("trusted %v, X-Forwarded-For %q: client %q, want %q", tt.trusted, tt.xff, got, tt.want)
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
