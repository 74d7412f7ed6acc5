package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// wireTimeout is the longest any request of the hostile suite waits for an
// answer: a server that takes longer is hung (every request here is
// answered in milliseconds by a healthy server).
const wireTimeout = 10 * time.Second

// wireNet reaches the server on its listener whatever host a URL names,
// as a browser whose DNS points every host of the product at it.
type wireNet struct {
	t      *testing.T
	addr   string
	client *http.Client
}

func newWireNet(t *testing.T, addr string) *wireNet {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		DisableCompression:  true,
		MaxIdleConnsPerHost: 4,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &wireNet{t: t, addr: addr, client: &http.Client{
		Transport:     tr,
		Timeout:       wireTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// wire is a browser on the wire: a host-only cookie jar and headers sent
// with every request.
type wire struct {
	h    *hostileEnv
	mu   sync.Mutex
	jar  map[string]map[string]string // host -> name -> value
	hdrs map[string]string
}

// wire returns a new client with no cookies, sending headers (name, value
// pairs) with every request.
func (h *hostileEnv) wire(headers ...string) *wire {
	w := &wire{h: h, jar: map[string]map[string]string{}, hdrs: map[string]string{}}
	for i := 0; i+1 < len(headers); i += 2 {
		w.hdrs[headers[i]] = headers[i+1]
	}
	return w
}

// cookie returns the value of the cookie name that host set.
func (w *wire) cookie(host, name string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.jar[host][name]
}

// setCookie puts a cookie in the jar of host, as if host had set it.
func (w *wire) setCookie(host, name, value string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.jar[host] == nil {
		w.jar[host] = map[string]string{}
	}
	w.jar[host][name] = value
}

// copyCookies gives this client the cookies another has for host from, as
// cookies of host to: a stolen or replayed cookie.
func (w *wire) copyCookies(from *wire, fromHost, toHost string) {
	from.mu.Lock()
	defer from.mu.Unlock()
	for name, value := range from.jar[fromHost] {
		w.setCookie(toHost, name, value)
	}
}

// tryDo sends a request to rawURL (whose host is the Host header) with an
// optional urlencoded form and returns the answer, or an error when none
// came.
func (w *wire) tryDo(method, rawURL string, form url.Values, headers ...string) (*response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return w.trySend(req)
}

// trySend sends req with its host's cookies and keeps the cookies the
// answer sets.
func (w *wire) trySend(req *http.Request) (*response, error) {
	host := strings.ToLower(req.URL.Host)
	w.mu.Lock()
	for k, v := range w.hdrs {
		if req.Header.Get(k) == "" {
			req.Header.Set(k, v)
		}
	}
	for name, value := range w.jar[host] {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	w.mu.Unlock()
	resp, err := w.h.net.client.Do(req)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range resp.Cookies() {
		if w.jar[host] == nil {
			w.jar[host] = map[string]string{}
		}
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(w.jar[host], c.Name)
		} else {
			w.jar[host][c.Name] = c.Value
		}
	}
	return &response{Response: resp, Body: string(data)}, nil
}

// do is tryDo that fails the case when no answer comes.
func (w *wire) do(method, rawURL string, form url.Values, headers ...string) *response {
	w.h.t.Helper()
	r, err := w.tryDo(method, rawURL, form, headers...)
	if err != nil {
		w.h.t.Fatalf("%s %s: no answer: %v", method, rawURL, err)
	}
	return r
}

func (w *wire) get(rawURL string, headers ...string) *response {
	w.h.t.Helper()
	return w.do(http.MethodGet, rawURL, nil, headers...)
}

// token loads a page of the host of rawURL (following one redirect, to a
// login page) and returns its CSRF token.
func (w *wire) token(rawURL string) string {
	w.h.t.Helper()
	tok, err := w.tryToken(rawURL)
	if err != nil {
		w.h.t.Fatal(err)
	}
	return tok
}

func (w *wire) tryToken(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	page := "http://" + u.Host + "/"
	r, err := w.tryDo(http.MethodGet, page, nil)
	if err == nil && r.StatusCode == http.StatusSeeOther {
		page = "http://" + u.Host + r.Header.Get("Location")
		r, err = w.tryDo(http.MethodGet, page, nil)
	}
	if err != nil {
		return "", fmt.Errorf("csrf token from %s: %v", page, err)
	}
	m := csrfMeta.FindStringSubmatch(r.Body)
	if m == nil {
		return "", fmt.Errorf("no csrf token on %s (status %d)", page, r.StatusCode)
	}
	return m[1], nil
}

// post sends a form with a valid CSRF token.
func (w *wire) post(rawURL string, form url.Values, headers ...string) *response {
	w.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set(csrfField, w.token(rawURL))
	return w.do(http.MethodPost, rawURL, form, headers...)
}

// tryPost is post without failing: for many clients at once.
func (w *wire) tryPost(rawURL string, form url.Values, headers ...string) (*response, error) {
	tok, err := w.tryToken(rawURL)
	if err != nil {
		return nil, err
	}
	form.Set(csrfField, tok)
	return w.tryDo(http.MethodPost, rawURL, form, headers...)
}

// login posts the sign-in form of a tenant host (base is its URL).
func (w *wire) login(base, email, password string) *response {
	w.h.t.Helper()
	return w.post(base+"/login", url.Values{"email": {email}, "password": {password}})
}

// signIn signs in on a tenant host, or fails the case.
func (w *wire) signIn(base, email, password string) {
	w.h.t.Helper()
	if r := w.login(base, email, password); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		w.h.t.Fatalf("sign-in on %s: %d %q\n%s", base, r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
}

// adminSignIn signs in as the test admin, or fails the case.
func (w *wire) adminSignIn() {
	w.h.t.Helper()
	r := w.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		w.h.t.Fatalf("admin sign-in: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
}

// addTodo adds a todo through the form, or fails the case.
func (w *wire) addTodo(base, title string) {
	w.h.t.Helper()
	if r := w.post(base+"/todos", url.Values{"title": {title}}); r.StatusCode != http.StatusSeeOther {
		w.h.t.Fatalf("add %q on %s: %d\n%s", title, base, r.StatusCode, clipBody(r.Body))
	}
}

// upload posts a multipart form with a file (none when filename is "") and,
// unless csrf is "", that CSRF token.
func (w *wire) upload(rawURL, csrf string, fields map[string]string, filename string, data []byte) *response {
	w.h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "" {
		mw.WriteField(csrfField, csrf)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, rawURL, &body)
	if err != nil {
		w.h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r, err := w.trySend(req)
	if err != nil {
		w.h.t.Fatalf("upload to %s: no answer: %v", rawURL, err)
	}
	return r
}

// importFile uploads data as a tenant database to import under name, as
// the signed-in admin.
func (w *wire) importFile(name string, data []byte) *response {
	w.h.t.Helper()
	return w.upload(adminURL+"/tenants/import", w.token(adminURL), map[string]string{"name": name, "region": "local"}, "hostile.db", data)
}

// follow loads the page a redirect on the admin host points to.
func (w *wire) follow(r *response) string {
	w.h.t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		w.h.t.Fatalf("want a redirect, got %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	return w.get(adminURL + r.Header.Get("Location")).Body
}

// rawAnswer is what the server sent back to a raw request.
type rawAnswer struct {
	Status int
	Header http.Header
	Body   string
}

// raw writes request (a whole HTTP/1.1 request head, and whatever body it
// carries) on a new connection and reads one answer. It returns an error
// when no answer comes within wait: the server is reading a body that is
// not coming, or is hung.
func (h *hostileEnv) raw(request string, wait time.Duration) (*rawAnswer, error) {
	conn, err := net.DialTimeout("tcp", h.addr, wait)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(wait))
	if _, err := io.WriteString(conn, request); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return &rawAnswer{Status: resp.StatusCode, Header: resp.Header, Body: string(data)}, nil
}

// head builds a request head with the cookies a client has for host.
func (w *wire) head(method, host, path string, headers ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host)
	w.mu.Lock()
	var cookies []string
	for name, value := range w.jar[strings.ToLower(host)] {
		cookies = append(cookies, name+"="+value)
	}
	w.mu.Unlock()
	if len(cookies) > 0 {
		fmt.Fprintf(&b, "Cookie: %s\r\n", strings.Join(cookies, "; "))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	b.WriteString("\r\n")
	return b.String()
}
