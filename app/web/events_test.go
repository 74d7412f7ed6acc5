package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// fakeStats is an ActivityStats whose version the test sets.
type fakeStats struct {
	mu      sync.Mutex
	version string
	err     error
}

func (f *fakeStats) set(v string, err error) { f.mu.Lock(); f.version, f.err = v, err; f.mu.Unlock() }

func (f *fakeStats) TenantsVersion(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, f.err
}

func (f *fakeStats) HourlyActivity(context.Context, int) ([]app.ActivityPoint, error) {
	return nil, nil
}

// wake waits for a signal (or the close) of a subscriber.
func wake(t *testing.T, sub *eventSub) (open bool) {
	t.Helper()
	select {
	case _, ok := <-sub.ch:
		return ok
	case <-time.After(5 * time.Second):
		t.Fatal("no signal")
		return false
	}
}

func TestTenantEventsBroadcast(t *testing.T) {
	stats := &fakeStats{version: "v1"}
	e := newTenantEvents(stats, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Start()
	e.Start() // idempotent
	for e.Version() != "v1" {
		time.Sleep(time.Millisecond)
	}
	a, v := e.Subscribe("")
	b, _ := e.Subscribe("")
	if v != "v1" {
		t.Errorf("Subscribe version = %q", v)
	}
	stats.set("v2", nil)
	if !wake(t, a) || !wake(t, b) || e.Version() != "v2" {
		t.Fatalf("no wake-up for v2 (version %q)", e.Version())
	}
	// Errors keep the last version and wake nobody.
	stats.set("", errors.New("database is locked"))
	time.Sleep(50 * time.Millisecond)
	select {
	case <-a.ch:
		t.Error("woken by an error")
	default:
	}
	// A subscriber that does not read gets one pending signal, and does not
	// hold the others up.
	e.unsubscribe(b)
	stats.set("v3", nil)
	wake(t, a)
	stats.set("v4", nil)
	wake(t, a)

	e.Stop()
	e.Stop()
	if wake(t, a) {
		t.Error("channel still open after Stop")
	}
	late, _ := e.Subscribe("")
	if wake(t, late) {
		t.Error("Subscribe after Stop gave an open channel")
	}
	e.Start() // no restart after Stop
}

func TestTenantEventsWithoutStats(t *testing.T) {
	e := newTenantEvents(nil, time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Start()
	sub, v := e.Subscribe("")
	if v != "" {
		t.Errorf("version = %q", v)
	}
	e.Stop()
	if wake(t, sub) {
		t.Error("channel open after Stop")
	}
}

// eventStream reads a server-sent event stream line by line.
type eventStream struct {
	t     *testing.T
	lines chan string
}

func newEventStream(t *testing.T, body io.Reader) *eventStream {
	s := &eventStream{t: t, lines: make(chan string, 100)}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(body)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	return s
}

// waitFor reads until a line equals want; it fails after a timeout or at
// the end of the stream.
func (s *eventStream) waitFor(want string) {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("stream ended before %q", want)
			}
			if l == want {
				return
			}
		case <-deadline:
			s.t.Fatalf("no %q in the stream", want)
		}
	}
}

// serve runs the server on a real listener until the test ends.
func (e *testEnv) serve(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e.srv.Shutdown(ctx)
		<-done
	})
	return ln.Addr().String()
}

// openEvents opens /events on addr with the browser's admin cookies.
func openEvents(t *testing.T, addr string, b *browser, query string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/events"+query, nil)
	req.Host = "admin.localhost:8080"
	for name, value := range b.jar["admin.localhost:8080"] {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestAdminEventsStream(t *testing.T) {
	env, admin := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	env.srv.events.interval = 20 * time.Millisecond
	oldHeartbeat := eventHeartbeat
	eventHeartbeat = 100 * time.Millisecond
	t.Cleanup(func() { eventHeartbeat = oldHeartbeat })
	addr := env.serve(t)

	if r := openEvents(t, addr, env.browser(), ""); r.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /events: %d", r.StatusCode)
	}

	resp := openEvents(t, addr, admin, "?v="+url.QueryEscape(env.tenantsVersion()))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("/events: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	stream := newEventStream(t, resp.Body)
	stream.waitFor(": connected")
	stream.waitFor(": heartbeat")

	// Each change is announced with the version it made.
	announced := func(change func()) {
		t.Helper()
		before := env.tenantsVersion()
		change()
		after := env.tenantsVersion()
		if after == before {
			t.Fatal("the change did not change the tenants version")
		}
		stream.waitFor("id: " + after)
		stream.waitFor("event: tenants")
	}
	// A change from elsewhere (another tab, the CLI): a tenant created.
	announced(func() { env.createTenant("bravo") })
	// Tenant activity: a todo written on the tenant's host, once its batch
	// of activity reaches the control plane.
	announced(func() {
		owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"live"}})
		env.flushActivity()
	})
	// Admin actions.
	announced(func() { admin.post(adminURL+"/tenants/bravo/suspend", suspendValues("Maintenance", "bravo")) })
	announced(func() { admin.post(adminURL+"/tenants/bravo/delete", url.Values{"confirm": {"bravo"}}) })

	// A browser that reconnects with an old version hears of the change at once.
	old := openEvents(t, addr, admin, "?v=stale")
	reconnect := newEventStream(t, old.Body)
	reconnect.waitFor("event: tenants")

	// Shutdown ends the open streams instead of waiting for them.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := env.srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown took %v with open streams", d)
	}
	for range stream.lines {
	}
}
