package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// op is the kind of request a load run sends.
type op int

// The requests of the cases.
const (
	opList     op = iota // GET / on a tenant host: the whole list page
	opFragment           // GET / with HX-Request: true
	opAdd                // POST /todos, a form without htmx
	opAdmin              // GET / on the admin host
)

// String names the op in the report.
func (o op) String() string {
	return [...]string{"list page", "list fragment", "add todo", "admin dashboard"}[o]
}

// session is what a client keeps for one host: its cookies and CSRF token.
// The comparison servers need neither. It is safe for concurrent use.
type session struct {
	host   string // Host header, e.g. t00001.localhost:PORT
	origin string // http://{host}
	csrf   string // the form token of the product's pages

	mu      sync.Mutex
	cookies map[string]string
	header  atomic.Pointer[string] // the Cookie header built from cookies
}

// newSession returns an empty session for host.
func newSession(host string) *session {
	s := &session{host: host, origin: "http://" + host, cookies: map[string]string{}}
	empty := ""
	s.header.Store(&empty)
	return s
}

// tenantHost is the Host header of tenant name on port.
func tenantHost(name string, port int) string {
	return name + ".localhost:" + strconv.Itoa(port)
}

// keep stores the cookies a response sets (and drops expired ones).
func (s *session) keep(resp *http.Response) {
	cs := resp.Cookies()
	if len(cs) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cs {
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(s.cookies, c.Name)
		} else {
			s.cookies[c.Name] = c.Value
		}
	}
	var b strings.Builder
	for k, v := range s.cookies {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + "=" + v)
	}
	h := b.String()
	s.header.Store(&h)
}

// cookie returns the value of cookie name.
func (s *session) cookie(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cookies[name]
}

// newHTTPClient returns a client for conns concurrent requests to one
// server that never follows redirects.
func newHTTPClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// reply is a response, body read.
type reply struct {
	status int
	body   []byte
	header http.Header
}

// send sends a request to the server at addr for session s's host, with
// its cookies, and keeps the cookies of the response.
func send(ctx context.Context, c *http.Client, addr, method, path string, s *session, form url.Values, headers ...string) (*reply, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path, body)
	if err != nil {
		return nil, err
	}
	req.Host = s.host
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", s.origin)
	}
	if h := *s.header.Load(); h != "" {
		req.Header.Set("Cookie", h)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	s.keep(resp)
	return &reply{status: resp.StatusCode, body: data, header: resp.Header}, nil
}

// listMarker is in every list page and fragment of the product and the
// comparison servers.
var listMarker = []byte(`class="todo-list"`)

// addSeq numbers the todos the load runs add.
var addSeq atomic.Int64

// answer is what do learned from a good response.
type answer struct {
	bytes     int  // body size
	setCookie bool // the response set a cookie
}

// addKeyPrefix makes the idempotency keys of this run's adds unique
// across runs on the same data.
var addKeyPrefix = "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-"

// do sends one request of kind o for session s and checks its status (and
// that a list is a list), or returns an error that says what was wrong.
func do(ctx context.Context, c *http.Client, addr string, o op, s *session) (answer, error) {
	var r *reply
	var err error
	switch o {
	case opList, opAdmin:
		r, err = send(ctx, c, addr, http.MethodGet, "/", s, nil)
	case opFragment:
		r, err = send(ctx, c, addr, http.MethodGet, "/", s, nil, "HX-Request", "true")
	case opAdd:
		seq := strconv.FormatInt(addSeq.Add(1), 10)
		// Each add carries a fresh idempotency key, as the product's form
		// does in a browser; the floor and the shared design ignore it.
		form := url.Values{"title": {"bench todo " + seq}, "filter": {"all"},
			"idempotency_key": {addKeyPrefix + seq}}
		if s.csrf != "" {
			form.Set("_csrf", s.csrf)
		}
		r, err = send(ctx, c, addr, http.MethodPost, "/todos", s, form)
	}
	if err != nil {
		return answer{}, err
	}
	ok := r.status == http.StatusOK
	switch o {
	case opAdd:
		// A 303 elsewhere than the list (e.g. to /login) is not an add.
		ok = r.status == http.StatusSeeOther && r.header.Get("Location") == "/" || r.status == http.StatusOK
	case opList, opFragment:
		ok = ok && bytes.Contains(r.body, listMarker)
	}
	if !ok {
		return answer{}, fmt.Errorf("%s %s: status %d%s: %s", o, s.host, r.status,
			locationOf(r), clip(r.body, 160))
	}
	return answer{bytes: len(r.body), setCookie: len(r.header.Values("Set-Cookie")) > 0}, nil
}

// locationOf returns " to LOCATION" for a redirect.
func locationOf(r *reply) string {
	if l := r.header.Get("Location"); l != "" {
		return " to " + l
	}
	return ""
}

// clip returns the start of b on one line.
func clip(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
