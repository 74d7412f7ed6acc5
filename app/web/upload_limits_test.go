package web

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"todos/app"
)

// limitsHeader is the header of a request to the admin host, as the
// HeaderReceived hook sees it.
func limitsHeader(method, path, session string, contentLength int) *fasthttp.RequestHeader {
	h := &fasthttp.RequestHeader{}
	h.SetMethod(method)
	h.SetRequestURI(path)
	h.SetHost("admin.localhost:8080")
	h.SetContentType("multipart/form-data; boundary=x")
	h.SetContentLength(contentLength)
	if session != "" {
		h.SetCookie(sessionCookie, session)
	}
	return h
}

// storeAdminSession writes a session of admin a straight into the control
// plane, as signInAdmin would, and returns its token: deadline is the
// session's absolute end, expiry the record's.
func (e *testEnv) storeAdminSession(a *app.Admin, deadline, expiry time.Time) string {
	e.t.Helper()
	token := fmt.Sprintf("stored-%d-%d", a.ID, time.Now().UnixNano())
	data, err := sessionCodec{}.Encode(deadline, map[string]any{
		sessionAdminID: a.ID, sessionAdminSince: a.CreatedAt.UnixMilli(), sessionRenewed: time.Now().UnixMilli()})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.control.SessionStore().CommitCtx(context.Background(), storeKey(token), data, expiry); err != nil {
		e.t.Fatal(err)
	}
	return token
}

// TestRequestLimitsNeedAnAdminSession: the hook grants the import's large
// body and long read, the export's and the event stream's long writes only
// to a request whose cookie names a live admin session. Everyone else gets
// fiber's limits (the zero RequestConfig), so a header alone never makes the
// server reserve more than the normal body limit.
func TestRequestLimitsNeedAnAdminSession(t *testing.T) {
	env := newTestEnv(t)
	a := env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	s := env.srv
	admin := b.jar["admin.localhost:8080"][sessionCookie]
	if admin == "" {
		t.Fatal("no admin session")
	}
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	signedOut := env.browser()
	signedOut.adminSignIn(testAdminEmail, testAdminPassword)
	gone := signedOut.jar["admin.localhost:8080"][sessionCookie]
	signedOut.post(adminURL+"/logout", nil)
	removed := *a
	removed.ID += 1000
	now := time.Now()

	for _, tt := range []struct{ name, session string }{
		{"no cookie", ""},
		{"forged token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"signed out", gone},
		{"expired record", env.storeAdminSession(a, now.Add(time.Hour), now.Add(-time.Minute))},
		{"past its lifetime", env.storeAdminSession(a, now.Add(-time.Minute), now.Add(time.Hour))},
		{"removed admin", env.storeAdminSession(&removed, now.Add(time.Hour), now.Add(time.Hour))},
		{"tenant session", owner.jar["acme.localhost:8080"][sessionCookie]},
	} {
		for _, h := range []*fasthttp.RequestHeader{
			limitsHeader(http.MethodPost, "/tenants/import", tt.session, 52_000_000),
			limitsHeader(http.MethodPost, "/tenants/acme/export", tt.session, 10),
			limitsHeader(http.MethodGet, "/events", tt.session, 0),
		} {
			got := s.requestLimits(h)
			if got != (fasthttp.RequestConfig{}) {
				t.Errorf("%s: %s %s granted %+v; want the normal limits", tt.name, h.Method(), h.RequestURI(), got)
			}
		}
	}

	// A client cannot pass for a granted import by writing the hook's
	// header itself: the hook removes it.
	h := limitsHeader(http.MethodPost, "/tenants/import", "", 1000)
	h.Set(bodyModeHeader, bodyStreamed)
	if s.requestLimits(h); len(h.Peek(bodyModeHeader)) != 0 {
		t.Errorf("a client's %s: %s survived the hook", bodyModeHeader, h.Peek(bodyModeHeader))
	}

	// A live admin session gets the long limits, on those routes only: the
	// browser's, and one stored as the expired ones above were.
	stored := env.storeAdminSession(a, now.Add(time.Hour), now.Add(time.Hour))
	if got := s.requestLimits(limitsHeader(http.MethodPost, "/tenants/import", stored, 1000)); got.MaxRequestBodySize <= int(s.cfg.ImportMaxBytes) {
		t.Errorf("admin import with a stored session: %+v", got)
	}
	if got := s.requestLimits(limitsHeader(http.MethodPost, "/tenants/import", admin, 1000)); got.MaxRequestBodySize <= int(s.cfg.ImportMaxBytes) || got.ReadTimeout < time.Minute {
		t.Errorf("admin import: %+v", got)
	}
	if got := s.requestLimits(limitsHeader(http.MethodPost, "/tenants/acme/export", admin, 10)); got.WriteTimeout < time.Minute {
		t.Errorf("admin export: %+v", got)
	}
	if got := s.requestLimits(limitsHeader(http.MethodGet, "/events", admin, 0)); got.WriteTimeout < eventStreamMaxAge {
		t.Errorf("admin events: %+v", got)
	}
	for _, h := range []*fasthttp.RequestHeader{
		limitsHeader(http.MethodPost, "/tenants", admin, 52_000_000),
		limitsHeader(http.MethodGet, "/tenants/import", admin, 0),
		limitsHeader(http.MethodPost, "/tenants/import/x", admin, 52_000_000),
	} {
		if got := s.requestLimits(h); got.MaxRequestBodySize != 0 || got.ReadTimeout != 0 {
			t.Errorf("admin %s %s granted %+v", h.Method(), h.RequestURI(), got)
		}
	}
}

// TestAnonymousUploadHeadersReserveNothing sends, on real connections, only
// the header of an import with a 52 MB Content-Length, as the attack did.
// Each connection must be answered 413 at once (not left waiting for a body
// it may never get), and the server must not allocate anything near the
// declared sizes: before the fix, each header made fasthttp allocate the
// whole 52 MB.
func TestAnonymousUploadHeadersReserveNothing(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	addr := env.serve(t)
	const conns, declared = 10, 52_000_000

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var open []net.Conn
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		ctype := "multipart/form-data; boundary=x"
		if i%2 == 1 {
			ctype = "application/octet-stream"
		}
		fmt.Fprintf(c, "POST /tenants/import HTTP/1.1\r\nHost: admin.localhost:8080\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", ctype, declared)
	}
	// Not a timing assertion: the answers are due at once; the deadline
	// only keeps a broken server from hanging the test.
	deadline := time.Now().Add(20 * time.Second)
	for i, c := range open {
		c.SetReadDeadline(deadline)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Errorf("connection %d: no answer to the header: %v", i, err)
			continue
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Errorf("connection %d: %d close=%v; want 413 and the connection closed", i, resp.StatusCode, resp.Close)
		}
		resp.Body.Close()
	}
	runtime.ReadMemStats(&after)
	for _, c := range open {
		c.Close()
	}
	// Everything the process allocated meanwhile (the server, this test):
	// far below one declared body, let alone ten.
	grew := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d header-only requests allocated %d KiB", conns, grew>>10)
	if grew > 8<<20 {
		t.Errorf("the server allocated %d MiB for %d header-only requests", grew>>20, conns)
	}
	if r := env.browser().get(adminURL + "/login"); r.StatusCode != http.StatusOK {
		t.Errorf("server after the flood: %d", r.StatusCode)
	}
}

// rawRequest sends a raw request on a new connection and returns the
// response's status line and headers.
func rawRequest(t *testing.T, addr, req string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: %v", strings.SplitN(req, "\r\n", 2)[0], err)
	}
	return resp
}

// TestForwardedHostDoesNotStreamElsewhere: with proxies trusted, the hook
// believes X-Forwarded-Host without knowing the peer, so a signed-in
// admin's request to a tenant host that claims to be for the admin host's
// import is granted its limit there. boundRequestBody checks the peer: the
// body is not handed on as a stream to the tenant app, but read within
// the normal limit, and refused beyond it.
func TestForwardedHostDoesNotStreamElsewhere(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"10.0.0.0/8"} })
	env.createAdmin(testAdminEmail, testAdminPassword)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	b := env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	admin := b.jar["admin.localhost:8080"][sessionCookie]
	h := limitsHeader(http.MethodPost, "/tenants/import", admin, 2<<20)
	h.SetHost("acme.localhost:8080")
	h.Set(fiber.HeaderXForwardedHost, "admin.localhost:8080")
	if got := env.srv.requestLimits(h); got.MaxRequestBodySize == 0 {
		t.Fatalf("the hook did not grant the forwarded import (the case this test is about): %+v", got)
	}
	req := httptest.NewRequest(http.MethodPost, "/tenants/import", strings.NewReader(strings.Repeat("x", 2<<20)))
	req.Host = "acme.localhost:8080"
	req.Header.Set(fiber.HeaderXForwardedHost, "admin.localhost:8080")
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: admin})
	resp, err := env.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB to a tenant host as a forwarded import, from an untrusted peer: %d; want 413", resp.StatusCode)
	}
}
