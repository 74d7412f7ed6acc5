package turso

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// TestAPIRetries429And500: a call answered 429 or 500 is retried, with a
// bound: it succeeds when the API recovers within the attempts, and gives
// EUNAVAILABLE with a plain message when it does not.
func TestAPIRetries429And500(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{APIAttempts: 4})
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway} {
		before := f.Requests()
		f.Fail(status, 3)
		loc, err := p.Create(ctx, fmt.Sprintf("t_retry_%d", status), "ams")
		if err != nil {
			t.Fatalf("%d three times then ok: %v", status, err)
		}
		if n := f.Requests() - before; n != 4 {
			t.Errorf("%d: %d requests, want 4", status, n)
		}
		if err := p.Remove(ctx, loc); err != nil {
			t.Fatal(err)
		}
	}
	before := f.Requests()
	f.Fail(http.StatusTooManyRequests, 10)
	_, err := p.Create(ctx, "t_retry_never", "ams")
	wantCode(t, err, app.EUNAVAILABLE)
	if n := f.Requests() - before; n != 4 {
		t.Errorf("429 for good: %d requests, want the 4 attempts", n)
	}
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "rate limiting") {
		t.Errorf("message %q", msg)
	}
	f.Fail(http.StatusInternalServerError, 10)
	_, err = p.Open(ctx, "turso:t-retry-never")
	wantCode(t, err, app.EUNAVAILABLE)
}

// TestAPISlowHitsTimeout: an API that does not answer within the timeout
// gives EUNAVAILABLE saying so, per attempt, without waiting for it.
func TestAPISlowHitsTimeout(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{APITimeout: 200 * time.Millisecond, APIAttempts: 2})
	f.SetDelay(time.Minute) // the fake drops the wait when we hang up
	start := time.Now()
	_, err := p.Create(ctx, "t_slow", "ams")
	wantCode(t, err, app.EUNAVAILABLE)
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "did not answer within 200ms") {
		t.Errorf("message %q", msg)
	}
	// A bound far above the two 200 ms attempts: the minute is never waited.
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s", d)
	}
	_, err = p.Open(ctx, "turso:t-slow")
	wantCode(t, err, app.EUNAVAILABLE)
	f.SetDelay(0)
	if f.Has("t-slow") {
		t.Error("a create abandoned before it was answered still ran")
	}
}

// TestAPIErrors: the API's answers map to app codes with plain messages.
func TestAPIErrors(t *testing.T) {
	f := startFake(t)
	c, err := NewClient(ClientConfig{APIURL: f.URL, Org: testOrg, Token: "wrong-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetDatabase(ctx, "t-x")
	wantCode(t, err, app.EUNAVAILABLE)
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "refused our API token") {
		t.Errorf("401: %q", msg)
	}
	c, _ = NewClient(ClientConfig{APIURL: f.URL, Org: testOrg, Token: Secret(f.Token)})
	_, err = c.GetDatabase(ctx, "t-x")
	wantCode(t, err, app.ENOTFOUND)
	_, err = c.CreateDatabase(ctx, "Bad_Name", "ams", nil)
	wantCode(t, err, app.EINVALID)
	for _, bad := range []ClientConfig{
		{APIURL: "api.turso.tech", Org: "acme", Token: "x"},
		{Org: "Acme Inc", Token: "x"},
		{Org: "acme"},
	} {
		if _, err := NewClient(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestAPITokenNeverShown: the platform API token is in no error, no log
// line and no printed value, whatever fails.
func TestAPITokenNeverShown(t *testing.T) {
	logs := captureLogs(t)
	f := startFake(t)
	p := newTestProvider(t, f, Config{APIAttempts: 2, CallTimeout: time.Second})
	slow := newTestProvider(t, f, Config{APITimeout: 200 * time.Millisecond, APIAttempts: 2})
	var errs []error
	keep := func(_ any, err error) { errs = append(errs, err) }
	f.Fail(http.StatusInternalServerError, 2)
	keep(p.Create(ctx, "t_a", "ams"))
	f.Fail(http.StatusTooManyRequests, 2)
	keep(p.Open(ctx, "turso:t-a"))
	keep(p.Open(ctx, "turso:t-missing"))
	keep(p.Create(ctx, "t_a", "mars"))
	f.SetDelay(time.Minute)
	keep(slow.Create(ctx, "t_b", "ams"))
	f.SetDelay(0)
	bad, err := NewClient(ClientConfig{APIURL: f.URL, Org: testOrg, Token: Secret(f.Token + "x")})
	if err != nil {
		t.Fatal(err)
	}
	keep(bad.GetDatabase(ctx, "t-a"))
	keep(NewClient(ClientConfig{APIURL: "nope", Org: testOrg, Token: Secret(f.Token)}))

	// The database token of an open handle is not shown either.
	loc, err := p.Create(ctx, "t_c", "ams")
	if err != nil {
		t.Fatal(err)
	}
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (x)")
	dbToken, _ := p.tokens.get(ctx, "t-c")
	resume := f.SQLD.Pause()
	keep(db.ExecContext(ctx, "INSERT INTO t VALUES (1)"))
	resume()
	f.SQLD.Stop()
	keep(db.ExecContext(ctx, "INSERT INTO t VALUES (2)"))

	cfg := Config{APIToken: Secret(f.Token)}
	slog.Info("values", "config", cfg, "token", cfg.APIToken, "provider", p, "client", p.api)
	var shown strings.Builder
	for _, err := range errs {
		if err == nil {
			t.Error("a call that should fail succeeded")
			continue
		}
		slog.Error("call failed", "err", err)
		fmt.Fprintf(&shown, "%v\n%+v\n%s\n", err, err, app.ErrorMessage(err))
	}
	for _, v := range []any{p, p.api, p.tokens, cfg, cfg.APIToken, dbToken} {
		fmt.Fprintf(&shown, "%v %+v %#v %s\n", v, v, v, v)
	}
	all := shown.String() + logs.String()
	if strings.Contains(all, f.Token) {
		t.Errorf("the API token was shown:\n%s", all)
	}
	if strings.Contains(all, dbToken.reveal()) {
		t.Errorf("a database token was shown:\n%s", all)
	}
	if !strings.Contains(all, "(redacted)") || !strings.Contains(all, "did not answer") {
		t.Errorf("what was checked is not what was meant:\n%s", all)
	}
}
