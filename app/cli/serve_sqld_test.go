package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app/internal/sqldtest"
)

// sqldClient is a browser with a cookie jar that does not follow
// redirects.
type sqldClient struct {
	t    *testing.T
	http *http.Client
}

var sqldCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request (a form when not nil, with the page's Origin) and
// returns the status, the Location header and the body.
func (c *sqldClient) do(method, rawURL string, form url.Values) (int, string, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, rawURL, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		u, _ := url.Parse(rawURL)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", u.Scheme+"://"+u.Host)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// csrf returns the CSRF token of the page at rawURL.
func (c *sqldClient) csrf(rawURL string) string {
	c.t.Helper()
	status, _, page := c.do(http.MethodGet, rawURL, nil)
	m := sqldCSRF.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		c.t.Fatalf("GET %s: %d, no CSRF token:\n%.800s", rawURL, status, page)
	}
	return m[1]
}

// TestServeOnSqld runs "todos serve --provider sqld" against a real libSQL
// server: a sign-up creates the tenant's namespace there, and a todo added
// in the list is read back from it, also after the server restarted.
func TestServeOnSqld(t *testing.T) { serveOnSqld(t, sqldtest.Start(t)) }

// serveOnSqld runs TestServeOnSqld's steps against srv, the server started
// with extra arguments.
func serveOnSqld(t *testing.T, srv *sqldtest.Server, extra ...string) *servedProcess {
	dir := t.TempDir()
	sp := startServe(t, dir, append([]string{"--shutdown-timeout", "5s",
		"--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL}, extra...)...)
	t.Cleanup(func() { sp.stop(t) })

	c, list := signUpAndAdd(t, sp, "stored on sqld")

	// The data lives on the server, not under --data: its namespace has it.
	var n int
	for _, ns := range namespacesOf(t, srv.Dir) {
		n++
		if !strings.HasPrefix(ns, "t_") {
			t.Errorf("unexpected namespace %q", ns)
		}
	}
	if n != 1 {
		t.Errorf("%d tenant namespaces on the server, want 1", n)
	}
	srv.Restart()
	if status, _, page := c.do(http.MethodGet, list+"/", nil); !strings.Contains(page, "stored on sqld") {
		t.Fatalf("after the server restarted, the todo is not on the list page: %d\n%.2000s\n%s", status, page, sp.stderr.String())
	}
	return sp
}

// namespacesOf lists the namespaces sqld keeps under its --db-path.
func namespacesOf(t *testing.T, sqldDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(sqldDir, "dbs"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// signUpAndAdd walks a newcomer through the real server sp: sign up for
// "acme" on the site, follow the hand-off to the list, add a todo titled
// title without JavaScript and find it on the list page. It returns the
// signed-in client and the list's address.
func signUpAndAdd(t *testing.T, sp *servedProcess, title string) (*sqldClient, string) {
	t.Helper()
	return signUpAndAddIn(t, sp, "local", title)
}

// newSqldClient returns a client with an empty cookie jar.
func newSqldClient(t *testing.T) *sqldClient {
	jar, _ := cookiejar.New(nil)
	return &sqldClient{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signUpAndAddIn is signUpAndAdd with the list in region.
func signUpAndAddIn(t *testing.T, sp *servedProcess, region, title string) (*sqldClient, string) {
	t.Helper()
	c := newSqldClient(t)
	site := "http://localhost:" + sp.port
	status, link, body := c.do(http.MethodPost, site+"/signup", url.Values{
		"_csrf": {c.csrf(site + "/")}, "name": {"acme"}, "email": {"o@example.com"},
		"password": {"a long enough password"}, "region": {region},
	})
	if status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d\n%.800s\n%s", status, body, sp.stderr.String())
	}
	if status, to, _ := c.do(http.MethodGet, link, nil); status != http.StatusSeeOther || to != "/" {
		t.Fatalf("hand-off: %d to %q", status, to)
	}
	list := "http://acme.localhost:" + sp.port
	if status, _, body := c.do(http.MethodPost, list+"/todos", url.Values{
		"_csrf": {c.csrf(list + "/")}, "title": {title},
	}); status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%.800s", status, body)
	}
	if _, _, page := c.do(http.MethodGet, list+"/", nil); !strings.Contains(page, title) {
		t.Fatalf("the todo is not on the list page:\n%.2000s", page)
	}
	return c, list
}
