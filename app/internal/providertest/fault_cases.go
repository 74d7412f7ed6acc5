package providertest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
)

// callBound is far above any deadline a provider sets: a call still
// running then hangs, which a deadline must prevent.
const callBound = 2 * time.Minute

// within runs f and fails the test if it has not returned within
// callBound.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(callBound):
		t.Fatalf("%s still running after %s: no deadline", what, callBound)
	}
}

// undoAtEnd returns undo wrapped to run once at the most, and runs it when
// the test ends if it has not run: a failed case leaves the server (or
// API) as it found it for the next one.
func undoAtEnd(t *testing.T, undo func()) func() {
	var once sync.Once
	f := func() { once.Do(undo) }
	t.Cleanup(f)
	return f
}

// wantUnavailable fails unless err says EUNAVAILABLE.
func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Errorf("%s: %v, want EUNAVAILABLE", what, err)
	}
}

// tryAdd adds a todo to tn through pool and returns the error.
func tryAdd(t *testing.T, pool *store.TenantPool, tn *app.Tenant, title string) (err error) {
	t.Helper()
	within(t, "add "+title, func() {
		var tdb *store.TenantDB
		if tdb, err = pool.Acquire(ctx, tn); err != nil {
			return
		}
		defer tdb.Release()
		_, _, err = tdb.AddTodo(ctx, title)
	})
	return err
}

// tryOpen acquires tn's database through a new pool, as another process
// does, and returns the error.
func (e *env) tryOpen(t *testing.T, tn *app.Tenant) (err error) {
	t.Helper()
	pool, _ := e.newPool(t, e.migrations)
	within(t, "open "+tn.Name, func() {
		var tdb *store.TenantDB
		if tdb, err = pool.Acquire(ctx, tn); err == nil {
			tdb.Release()
		}
	})
	return err
}

// trySignUp signs up name and returns the error.
func (e *env) trySignUp(t *testing.T, name string) (err error) {
	t.Helper()
	within(t, "sign up "+name, func() { _, err = e.tryCreate(name) })
	return err
}

// stopAtEOF is a file being uploaded whose server stops once the file is
// read to its end, before the upload is adopted.
type stopAtEOF struct {
	r       io.Reader
	stop    func()
	stopped bool
}

// Read reads from r, and stops the server when r is at its end.
func (s *stopAtEOF) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if err == io.EOF && !s.stopped {
		s.stopped = true
		s.stop()
	}
	return n, err
}

// caseStopped: the server stops in the middle of an import, and stays
// down while a tenant is open: the import, the tenant's writes, opens and
// sign-ups give EUNAVAILABLE; once it is back, the open handle works again
// without reopening, nothing acknowledged is lost, and the refused import
// and sign-up left nothing behind: no tenant, no staged file, their names
// free.
func caseStopped(t *testing.T, p store.Provider, o options) {
	e := newEnv(t, p)
	tn := e.create(t, "acme")
	add(t, e.pool, tn, "before")
	file := e.export(t, "acme")
	restart := undoAtEnd(t, o.restart)
	var err error
	within(t, "import", func() {
		_, err = e.tenants.ImportTenant(ctx, app.ImportInput{
			Name: "acme-again", Region: p.Regions()[0].Code, File: &stopAtEOF{r: bytes.NewReader(file), stop: o.stop},
		})
	})
	wantUnavailable(t, "an import whose server stopped mid-way", err)
	wantUnavailable(t, "a write with the server stopped", tryAdd(t, e.pool, tn, "while stopped"))
	wantUnavailable(t, "an open with the server stopped", e.tryOpen(t, tn))
	wantUnavailable(t, "a sign-up with the server stopped", e.trySignUp(t, "newco"))
	restart()
	add(t, e.pool, tn, "after")
	wantTitles(t, e.pool, tn, "before", "after")
	for _, name := range []string{"acme-again", "newco"} {
		if _, err := e.tenants.FindTenantByNameIncludingTrash(ctx, name); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("the refused %s left a tenant: %v", name, err)
		}
	}
	wantNoStaged(t, p)
	e.create(t, "newco")
	imported, err := e.tenants.ImportTenant(ctx, app.ImportInput{Name: "acme-again", Region: p.Regions()[0].Code, File: bytes.NewReader(file)})
	if err != nil {
		t.Fatal(err)
	}
	wantTitles(t, e.pool, imported, "before")
}

// caseHung: against a server that stopped answering, a write gives
// EUNAVAILABLE at the provider's deadline, and the same handle works once
// the server answers again.
func caseHung(t *testing.T, p store.Provider, hang func() (resume func())) {
	e := newEnv(t, p)
	tn := e.create(t, "acme")
	add(t, e.pool, tn, "before")
	resume := undoAtEnd(t, hang())
	wantUnavailable(t, "a write to a hung server", tryAdd(t, e.pool, tn, "unknown outcome"))
	resume()
	add(t, e.pool, tn, "after")
	// The abandoned write may still arrive once the server answers: its
	// outcome is unknown, as EUNAVAILABLE says.
	got, _ := todoTitles(t, e.pool, tn)
	if !sameSet(got, []string{"before", "after"}) && !sameSet(got, []string{"before", "unknown outcome", "after"}) {
		t.Errorf("todos = %q", got)
	}
}

// caseAPIRetried: a few 429 or 500 answers of the API are retried: the
// sign-up succeeds.
func caseAPIRetried(t *testing.T, p store.Provider, o options) {
	t.Cleanup(func() { o.clearAPI() })
	e := newEnv(t, p)
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError} {
		o.failAPI(status, 2)
		tn := e.create(t, fmt.Sprintf("retry-%d", status))
		if left := o.clearAPI(); left != 0 {
			t.Fatalf("%d faults never answered: the API was not called", left)
		}
		add(t, e.pool, tn, "ok")
	}
}

// caseAPIDown: an API answering 429 or 500 for good gives EUNAVAILABLE
// (after bounded retries) to sign-ups and to opens of a tenant not open,
// leaves nothing behind, and does not stop a tenant already open.
func caseAPIDown(t *testing.T, p store.Provider, o options) {
	t.Cleanup(func() { o.clearAPI() })
	e := newEnv(t, p)
	tn := e.create(t, "acme")
	add(t, e.pool, tn, "before")
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError} {
		o.failAPI(status, 1000)
		wantUnavailable(t, fmt.Sprintf("a sign-up with the API answering %d", status), e.trySignUp(t, "newco"))
		wantUnavailable(t, fmt.Sprintf("an open with the API answering %d", status), e.tryOpen(t, tn))
		add(t, e.pool, tn, fmt.Sprintf("during %d", status))
		if left := o.clearAPI(); left == 1000 {
			t.Fatal("the API was never called")
		}
	}
	e.create(t, "newco")
	wantTitles(t, e.pool, tn, "before", "during 429", "during 500")
}

// caseAPISlow: an API slower than the provider's deadline gives
// EUNAVAILABLE instead of a wait, leaves nothing behind and does not stop
// a tenant already open.
func caseAPISlow(t *testing.T, p store.Provider, o options) {
	e := newEnv(t, p)
	tn := e.create(t, "acme")
	add(t, e.pool, tn, "before")
	fast := undoAtEnd(t, func() { o.slowAPI(0) })
	o.slowAPI(callBound) // the fake stops waiting when the caller hangs up
	wantUnavailable(t, "a sign-up with a slow API", e.trySignUp(t, "newco"))
	wantUnavailable(t, "an open with a slow API", e.tryOpen(t, tn))
	add(t, e.pool, tn, "during")
	fast()
	e.create(t, "newco")
	wantTitles(t, e.pool, tn, "before", "during")
}

// caseExpiredTokens: while the server refuses the provider's tokens as
// expired, an open gives EUNAVAILABLE; once the clocks are right, the
// provider gets fresh tokens by itself: the open handle and a new one
// work, without a restart.
func caseExpiredTokens(t *testing.T, p store.Provider, expire func() (restore func())) {
	e := newEnv(t, p)
	tn := e.create(t, "acme")
	add(t, e.pool, tn, "before")
	restore := undoAtEnd(t, expire())
	wantUnavailable(t, "an open with expired tokens", e.tryOpen(t, tn))
	restore()
	add(t, e.pool, tn, "after")
	pool, _ := e.newPool(t, e.migrations)
	wantTitles(t, pool, tn, "before", "after")
}
