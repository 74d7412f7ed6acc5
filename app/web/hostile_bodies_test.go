package web

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// headerWait is how long a request head that declares a body it does not
// send may wait for its answer. A server that refuses before reading
// answers in milliseconds; one that waits is reading (and has made room
// for) a body.
const headerWait = 5 * time.Second

// hugeBody is the body size the attacks declare: over the import limit's
// default (50 MiB), as in the issue.
const hugeBody = 52_000_000

// headerOnly sends w's request head (its cookies for host) declaring a
// body of n bytes, sends none of it, and returns the answer. The body is
// declared as not multipart: fasthttp reserves such a body whole as soon
// as it starts reading it.
func (h *hostileEnv) headerOnly(w *wire, method, host, path string, n int, headers ...string) (*rawAnswer, error) {
	headers = append([]string{"Content-Length", strconv.Itoa(n), "Content-Type", "application/octet-stream"}, headers...)
	return h.raw(w.head(method, host, path, headers...), headerWait)
}

// wantAnsweredWithoutBody fails unless the server refused the request
// before its body came: a 4xx or a redirect to sign in.
func wantAnsweredWithoutBody(t *testing.T, what string, ans *rawAnswer, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: no answer within %s without the body (%v): the server waits for a body it has not checked it wants", what, headerWait, err)
		return
	}
	if ans.Status != http.StatusSeeOther && (ans.Status < 400 || ans.Status >= 500) {
		t.Errorf("%s: %d", what, ans.Status)
	}
}

// TestHostileBodies: no client makes the server hold more than the normal
// body limit before it knows who the client is.
func TestHostileBodies(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "body-import-header-only-anonymous", finding: "1", attack: func(t *testing.T, h *hostileEnv) {
			ans, err := h.headerOnly(h.wire(), "POST", "admin.localhost:8080", "/tenants/import", hugeBody)
			wantAnsweredWithoutBody(t, "anonymous import", ans, err)
		}},
		{name: "body-import-header-only-memory", finding: "1", serial: true, attack: func(t *testing.T, h *hostileEnv) {
			// The reproduction, scaled down: connections that send
			// only a head must not make the server allocate their bodies.
			const conns = 4
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var wg sync.WaitGroup
			errs := make([]error, conns)
			for i := range conns {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = h.headerOnly(h.wire(), "POST", "admin.localhost:8080", "/tenants/import", hugeBody)
				}()
			}
			wg.Wait()
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
				t.Errorf("%d anonymous import heads made the process allocate %d MiB", conns, grew>>20)
			}
			for _, err := range errs {
				if err != nil {
					t.Errorf("an anonymous import head got no answer: %v", err)
				}
			}
		}},
		{name: "body-import-header-only-tenant-cookie", finding: "1", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost:8080")
			ans, err := h.headerOnly(thief, "POST", "admin.localhost:8080", "/tenants/import", hugeBody)
			wantAnsweredWithoutBody(t, "import with acme's session cookie", ans, err)
		}},
		{name: "body-import-header-only-forged-session", finding: "1", attack: func(t *testing.T, h *hostileEnv) {
			w := h.wire()
			w.setCookie("admin.localhost:8080", sessionCookie, strings.Repeat("x", 43))
			ans, err := h.headerOnly(w, "POST", "admin.localhost:8080", "/tenants/import", hugeBody)
			wantAnsweredWithoutBody(t, "import with a made-up session cookie", ans, err)
			// The signed-out admin's own cookie.
			old := h.wire()
			old.copyCookies(h.admin, "admin.localhost:8080", "admin.localhost:8080")
			h.admin.post(adminURL+"/logout", nil)
			ans, err = h.headerOnly(old, "POST", "admin.localhost:8080", "/tenants/import", hugeBody)
			wantAnsweredWithoutBody(t, "import with a signed-out admin's cookie", ans, err)
		}},
		{name: "body-import-header-only-forged-forwarded-host", finding: "1", configure: trustProxies("10.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			// A proxy is trusted, but not this peer: its X-Forwarded-Host
			// must not give a tenant host's request the admin's limits.
			ans, err := h.headerOnly(h.acme, "POST", "acme.localhost:8080", "/tenants/import", hugeBody,
				"X-Forwarded-Host", "admin.localhost:8080")
			wantAnsweredWithoutBody(t, "import on acme with X-Forwarded-Host admin", ans, err)
		}},
		{name: "body-import-header-only-absolute-uri", finding: "1", attack: func(t *testing.T, h *hostileEnv) {
			head := h.acme.head("POST", "acme.localhost:8080", "http://admin.localhost:8080/tenants/import",
				"Content-Length", strconv.Itoa(hugeBody), "Content-Type", "multipart/form-data; boundary=x")
			ans, err := h.raw(head, headerWait)
			wantAnsweredWithoutBody(t, "absolute admin import URI with Host acme", ans, err)
		}},
		{name: "body-import-chunked-anonymous", finding: "1", attack: func(t *testing.T, h *hostileEnv) {
			// No length declared: the server must stop reading at the
			// normal limit, not the import's.
			for _, target := range [][2]string{{"admin.localhost:8080", "/tenants/import"}, {"acme.localhost:8080", "/todos"}} {
				if status, err := h.chunked(target[0], target[1], 16<<20); err == nil && status != http.StatusRequestEntityTooLarge {
					t.Errorf("16 MiB chunked, anonymous, to %s%s: read whole, then %d", target[0], target[1], status)
				}
			}
		}},
		{name: "body-import-over-limit-admin", attack: func(t *testing.T, h *hostileEnv) {
			ans, err := h.headerOnly(h.admin, "POST", "admin.localhost:8080", "/tenants/import", int(h.srv.cfg.ImportMaxBytes)+4<<20)
			wantAnsweredWithoutBody(t, "admin import over the limit", ans, err)
			if err == nil && ans.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("admin import over the limit: %d; want 413", ans.Status)
			}
		}},
		{name: "body-long-form-values", finding: "new", attack: func(t *testing.T, h *hostileEnv) {
			// Values far over what a field takes, within the body limit:
			// refused with a message, never "Something went wrong".
			long := strings.Repeat("x", 100<<10)
			id := strconv.FormatInt(h.todos("acme")[0].ID, 10)
			for _, tc := range []struct {
				who  *wire
				url  string
				form url.Values
			}{
				{h.wire(), siteURL + "/signup", url.Values{"name": {long}, "email": {long}, "password": {long}, "region": {long}}},
				{h.wire(), acmeURL + "/login", url.Values{"email": {long}, "password": {long}}},
				{h.acme, acmeURL + "/todos", url.Values{"title": {long}}},
				{h.acme, acmeURL + "/todos/" + id + "/edit", url.Values{"title": {long}}},
				{h.wire(), adminURL + "/login", url.Values{"email": {long}, "password": {long}}},
				{h.admin, adminURL + "/tenants", url.Values{"name": {long}, "region": {"local"}, "email": {"x@example.com"}}},
				{h.admin, adminURL + "/tenants/acme/clone", url.Values{"name": {long}}},
				{h.admin, adminURL + "/tenants/acme/delete", url.Values{"confirm": {long}}},
				{h.admin, adminURL + "/tenants/acme/console", url.Values{"sql": {long}}},
			} {
				if r := tc.who.post(tc.url, tc.form); r.StatusCode >= 500 {
					t.Errorf("100 KiB values to %s: %d", tc.url, r.StatusCode)
				}
			}
			if r := h.admin.importFile(long, craftDB(t)); r.StatusCode >= 500 {
				t.Errorf("import named with 100 KiB: %d", r.StatusCode)
			}
		}},
		{name: "body-header-only-normal-hosts", attack: func(t *testing.T, h *hostileEnv) {
			for _, tc := range []struct {
				who        *wire
				host, path string
			}{
				{h.wire(), "localhost:8080", "/signup"},
				{h.wire(), "acme.localhost:8080", "/login"},
				{h.acme, "acme.localhost:8080", "/todos"},
				{h.wire(), "admin.localhost:8080", "/login"},
				{h.admin, "admin.localhost:8080", "/tenants"},
				{h.admin, "admin.localhost:8080", "/tenants/acme/console"},
				{h.admin, "admin.localhost:8080", "/tenants/acme/export"},
				{h.wire(), "nobody.localhost:8080", "/todos"},
				{h.wire(), "evil.example", "/"},
			} {
				ans, err := h.headerOnly(tc.who, "POST", tc.host, tc.path, hugeBody)
				what := fmt.Sprintf("POST %s%s", tc.host, tc.path)
				wantAnsweredWithoutBody(t, what, ans, err)
				if err == nil && ans.Status != http.StatusRequestEntityTooLarge {
					t.Errorf("%s declaring %d bytes: %d; want 413", what, hugeBody, ans.Status)
				}
			}
		}},
	})
}

// chunked sends a chunked body of n bytes to host and path and returns the
// answer's status. An error means the server stopped reading the body
// before its end (it closed, or the write stalled for headerWait): it did
// not take it.
func (h *hostileEnv) chunked(host, path string, n int) (int, error) {
	conn, err := net.DialTimeout("tcp", h.addr, headerWait)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(headerWait))
	head := h.wire().head("POST", host, path, "Transfer-Encoding", "chunked", "Content-Type", "application/x-www-form-urlencoded")
	if _, err := io.WriteString(conn, head); err != nil {
		return 0, err
	}
	chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, strings.Repeat("x", 64<<10))
	for sent := 0; sent < n; sent += 64 << 10 {
		if _, err := io.WriteString(conn, chunk); err != nil {
			return 0, err
		}
	}
	if _, err := io.WriteString(conn, "0\r\n\r\n"); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
