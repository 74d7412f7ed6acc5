package web

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientIPForwardedForEdges: X-Forwarded-For from a trusted proxy (here
// fiber's in-memory peer, 0.0.0.0).
//
// A proxy may add its hop as a header line of its own rather than at the
// end of the client's line (HAProxy's "option forwardfor" does; HTTP says
// the lines are one comma-separated list). Reading the first line only
// believed the address the client wrote, so a client could pick its own
// rate-limit key for every attempt.
//
// A proxy that writes the hop with its port ("203.0.113.5:4711", Azure's
// gateways do) must not make every client fall back to the proxy's own
// address: they would all share one bucket, and a stranger's failures
// would lock out everyone (issue 7, finding 2).
func TestClientIPForwardedForEdges(t *testing.T) {
	tests := []struct {
		header string   // Config.ClientIPHeader
		sent   []string // header name, value pairs, in order
		want   string
	}{
		{"", []string{"X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "1.2.3.4"}, "1.2.3.4"},
		{"", []string{"X-Forwarded-For", "7.7.7.7, 6.6.6.6", "X-Forwarded-For", "1.2.3.4"}, "1.2.3.4"},
		{"", []string{"X-Forwarded-For", "203.0.113.5:4711"}, "203.0.113.5"},
		{"", []string{"X-Forwarded-For", "6.6.6.6, [2001:db8::5]:4711"}, "2001:db8::5"},
		{"", []string{"X-Forwarded-For", " 1.2.3.4 "}, "1.2.3.4"},
		{"", []string{"X-Forwarded-For", "1.2.3.4:99999"}, "0.0.0.0"}, // not an address and port
		{"", []string{"X-Forwarded-For", "[2001:db8::5]"}, "0.0.0.0"},
		{"Fly-Client-IP", []string{"Fly-Client-IP", "203.0.113.5:4711"}, "203.0.113.5"},
		{"Fly-Client-IP", []string{"Fly-Client-IP", "[2001:db8::5]:4711"}, "2001:db8::5"},
	}
	for _, tt := range tests {
		s := &Server{cfg: Config{ClientIPHeader: tt.header}, trusted: parsePrefixes([]string{"0.0.0.0"})}
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
			t.Errorf("header %q, sent %q: client %q, want %q", tt.header, tt.sent, got, tt.want)
		}
	}
}
