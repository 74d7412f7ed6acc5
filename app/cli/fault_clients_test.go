package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultEmail is the owner address of every tenant the fault suite signs up.
const faultEmail = "o@example.com"

// faultAnswer is a server's answer to one request, or the error of a
// request that got none (the server was killed or stopped).
type faultAnswer struct {
	status   int
	location string
	body     string
	err      error
}

// String describes the answer for failure messages: its status and the
// text of its page or fragment, without the markup.
func (a faultAnswer) String() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	text := pageHead.ReplaceAllString(a.body, " ")
	text = markup.ReplaceAllString(text, " ")
	text = strings.Join(strings.Fields(text), " ")
	if a.location != "" {
		text = "to " + a.location + " " + text
	}
	return fmt.Sprintf("%d %q", a.status, clip(text, 200))
}

var (
	pageHead = regexp.MustCompile(`(?s)<head>.*?</head>|<script.*?</script>|<svg.*?</svg>`)
	markup   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// clip shortens s to n bytes for messages.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// faultBrowser is one browser: a cookie jar, and a transport of its own so
// that no spare connection of another client holds a graceful shutdown
// (see signedInTenant). It is used by one goroutine at a time.
type faultBrowser struct {
	http *http.Client
}

// newFaultBrowser returns a browser with jar (a new one if nil) that keeps
// its connection open between requests. Its idle connections are closed
// when the test ends.
func newFaultBrowser(t *testing.T, jar http.CookieJar) *faultBrowser {
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	return browserOn(transport, jar)
}

// newClosingBrowser returns a browser with jar (a new one if nil) that
// opens a connection for each request and closes it after the answer, so
// that it leaves no idle connection (and no file descriptor) in the server:
// for one-off visits (sign-ups, sign-ins) and for counting the server's
// files.
func newClosingBrowser(jar http.CookieJar) *faultBrowser {
	return browserOn(&http.Transport{DisableKeepAlives: true}, jar)
}

// browserOn returns a browser with jar (a new one if nil) on transport.
func browserOn(transport *http.Transport, jar http.CookieJar) *faultBrowser {
	if jar == nil {
		jar, _ = cookiejar.New(nil)
	}
	return &faultBrowser{http: &http.Client{
		Jar: jar, Timeout: 30 * time.Second, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request with a form (nil: none) and extra header pairs.
func (b *faultBrowser) do(method, url string, form url.Values, header ...string) faultAnswer {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		return faultAnswer{err: err}
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", req.URL.Scheme+"://"+req.URL.Host)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return faultAnswer{err: err}
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return faultAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(got), err: err}
}

// csrfOf returns the CSRF token of a page, "" if it has none.
func csrfOf(page string) string {
	if m := csrfField.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// siteURL is the bare domain's address on port.
func siteURL(port string) string { return "http://localhost:" + port }

// tenantURL is tenant name's address on port.
func tenantURL(port, name string) string { return "http://" + name + ".localhost:" + port }

// signUp signs name up through the bare domain's form, as a new browser
// would, with password. sent reports whether the sign-up itself was sent:
// when it is and the answer is an error, the creation was cut off and its
// outcome is unknown.
func signUp(port, name, password string) (a faultAnswer, sent bool) {
	b := newClosingBrowser(nil)
	home := b.do(http.MethodGet, siteURL(port)+"/", nil)
	if home.err != nil || home.status != http.StatusOK || csrfOf(home.body) == "" {
		if home.err == nil {
			home.err = fmt.Errorf("the sign-up page answered %s", home)
		}
		return home, false
	}
	return b.do(http.MethodPost, siteURL(port)+"/signup", url.Values{
		"_csrf": {csrfOf(home.body)}, "name": {name}, "email": {faultEmail},
		"password": {password}, "region": {"local"},
	}), true
}

// faultTenant is a signed-in session on one tenant's host. Each goroutine
// gets its own browser on it from browser; they share the session cookie.
type faultTenant struct {
	t        *testing.T
	port     string
	name     string
	password string
	jar      http.CookieJar
	csrf     string
}

// closingBrowser returns a new browser signed in as ft that opens a
// connection for each request (see newClosingBrowser).
func (ft *faultTenant) closingBrowser() *faultBrowser { return newClosingBrowser(ft.jar) }

// base is the tenant's address.
func (ft *faultTenant) base() string { return tenantURL(ft.port, ft.name) }

// browser returns a new browser signed in as ft.
func (ft *faultTenant) browser() *faultBrowser { return newFaultBrowser(ft.t, ft.jar) }

// followHandoff follows a sign-up's hand-off link and returns the
// signed-in session, or why it did not land.
func followHandoff(t *testing.T, port, name, password, link string) (*faultTenant, error) {
	ft := &faultTenant{t: t, port: port, name: name, password: password}
	ft.jar, _ = cookiejar.New(nil)
	b := ft.closingBrowser()
	if a := b.do(http.MethodGet, link, nil); a.err != nil || a.status != http.StatusSeeOther || a.location != "/" {
		return nil, fmt.Errorf("the hand-off link of %s answered %s", name, a)
	}
	return ft, ft.loadCSRF(b)
}

// signIn signs in to tenant name with its owner's password.
func signIn(t *testing.T, port, name, password string) (*faultTenant, error) {
	ft := &faultTenant{t: t, port: port, name: name, password: password}
	ft.jar, _ = cookiejar.New(nil)
	b := ft.closingBrowser()
	page := b.do(http.MethodGet, ft.base()+"/login", nil)
	if page.err != nil || page.status != http.StatusOK || csrfOf(page.body) == "" {
		return nil, fmt.Errorf("the sign-in page of %s answered %s", name, page)
	}
	a := b.do(http.MethodPost, ft.base()+"/login", url.Values{
		"_csrf": {csrfOf(page.body)}, "email": {faultEmail}, "password": {password}})
	if a.err != nil || a.status != http.StatusSeeOther || a.location != "/" {
		return nil, fmt.Errorf("signing in to %s answered %s", name, a)
	}
	return ft, ft.loadCSRF(b)
}

// loadCSRF reads the list page and keeps its CSRF token.
func (ft *faultTenant) loadCSRF(b *faultBrowser) error {
	page := b.do(http.MethodGet, ft.base()+"/", nil)
	if page.err != nil || page.status != http.StatusOK || csrfOf(page.body) == "" {
		return fmt.Errorf("the list page of %s answered %s", ft.name, page)
	}
	ft.csrf = csrfOf(page.body)
	return nil
}

// post sends a form to the tenant with its CSRF token; htmx makes it an
// htmx request.
func (ft *faultTenant) post(b *faultBrowser, path string, form url.Values, htmx bool) faultAnswer {
	form.Set("_csrf", ft.csrf)
	if htmx {
		return b.do(http.MethodPost, ft.base()+path, form, "HX-Request", "true")
	}
	return b.do(http.MethodPost, ft.base()+path, form)
}

// signUpTenants signs up n tenants named prefix0, prefix1... in parallel
// and returns their sessions (from the hand-off); every sign-up must
// succeed.
func signUpTenants(t *testing.T, port, prefix string, n int) []*faultTenant {
	t.Helper()
	tenants := make([]*faultTenant, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				name, password := fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("password-%s%d", prefix, i)
				a, _ := signUp(port, name, password)
				if a.err != nil || a.status != http.StatusSeeOther {
					errs[i] = fmt.Errorf("sign-up of %s answered %s", name, a)
					continue
				}
				tenants[i], errs[i] = followHandoff(t, port, name, password, a.location)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return tenants
}

var itemIDOf = regexp.MustCompile(`data-id="(\d+)"`)

// addedID returns the id of the item titled title in an htmx answer to an
// add ("" if it is not there).
func addedID(body, title string) string {
	for _, li := range strings.Split(body, `<li data-testid="todo-item"`)[1:] {
		if strings.Contains(li, `<label data-testid="todo-title">`+title+`</label>`) {
			if m := itemIDOf.FindStringSubmatch(li); m != nil {
				return m[1]
			}
		}
	}
	return ""
}
