package web

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"todos/app/store"
)

// sessionKey is what a store keeps for a session token: its SHA-256.
func sessionKey(token string) string { return storeKey(token) }

// tenantHasSession reports whether tenant name's own database holds the
// session of token.
func (e *testEnv) tenantHasSession(name, token string) bool {
	e.t.Helper()
	tdb, err := e.pool.Acquire(context.Background(), e.tenant(name))
	if err != nil {
		e.t.Fatal(err)
	}
	defer tdb.Release()
	_, found, err := tdb.FindSession(context.Background(), sessionKey(token))
	if err != nil {
		e.t.Fatal(err)
	}
	return found
}

// controlHasSession reports whether the control plane holds the session of
// token.
func (e *testEnv) controlHasSession(token string) bool {
	e.t.Helper()
	_, found, err := e.control.SessionStore().FindCtx(context.Background(), sessionKey(token))
	if err != nil {
		e.t.Fatal(err)
	}
	return found
}

func TestTenantSessionsLiveInTheTenantDatabase(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	env.createTenant("bravo")
	token := b.jar["acme.localhost:8080"][sessionCookie]
	if token == "" {
		t.Fatal("no session cookie after sign-up")
	}
	if !env.tenantHasSession("acme", token) {
		t.Error("acme's database does not hold its user's session")
	}
	if env.tenantHasSession("bravo", token) || env.controlHasSession(token) {
		t.Error("the session is stored outside acme's database")
	}
	// Stored hashed: the token itself is nowhere in the tenant's file.
	tdb, err := env.pool.Acquire(context.Background(), env.tenant("acme"))
	if err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	var buf bytes.Buffer
	if _, err := env.tenants.ExportTenant(context.Background(), "acme", &buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(token)) || bytes.Contains(buf.Bytes(), []byte(sessionKey(token))) {
		t.Error("the exported file holds the session token or its hash")
	}
	if r := b.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Fatalf("signed-in home: %d", r.StatusCode)
	}
	// Sign-out deletes it from the tenant's database.
	b.post("http://acme.localhost:8080/logout", nil)
	if env.tenantHasSession("acme", token) {
		t.Error("the session outlived sign-out")
	}
}

func TestAdminSessionsStayInTheControlPlane(t *testing.T) {
	env, admin := adminEnv(t)
	env.createTenant("acme")
	token := admin.jar["admin.localhost:8080"][sessionCookie]
	if token == "" || !env.controlHasSession(token) {
		t.Fatal("the admin's session is not in the control plane")
	}
	if env.tenantHasSession("acme", token) {
		t.Error("the admin's session is in a tenant's database")
	}
	if r := admin.get("http://admin.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Errorf("admin dashboard: %d", r.StatusCode)
	}
	// The admin's cookie is worth nothing on a tenant's host.
	stray := env.browser()
	stray.jar["acme.localhost:8080"] = map[string]string{sessionCookie: token}
	if r := stray.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("admin cookie on a tenant host: %d", r.StatusCode)
	}
}

// sessionWrites counts the responses that rewrote the session cookie, which
// happens exactly when the session was committed to its store.
func sessionWrites(rs ...*response) int {
	n := 0
	for _, r := range rs {
		for _, c := range r.Cookies() {
			if c.Name == sessionCookie {
				n++
			}
		}
	}
	return n
}

func TestSessionIdleTimeoutSlides(t *testing.T) {
	// Requests closer together than the renew interval write nothing (an
	// interval no run of this test reaches, so a slow machine cannot make
	// the page views "far apart").
	quickEnv := newTestEnvWith(t, func(c *Config) {
		c.SessionIdleTimeout = time.Hour
		c.SessionRenewEvery = 30 * time.Minute
		c.SessionLifetime = 2 * time.Hour
	})
	qb := quickEnv.browser()
	qb.signUp("acme", "owner@example.com", "correct horse")
	var quick []*response
	for range 5 {
		quick = append(quick, qb.get("http://acme.localhost:8080/"))
	}
	if n := sessionWrites(quick...); n != 0 {
		t.Errorf("%d of 5 quick page views rewrote the session, want 0", n)
	}

	env := newTestEnvWith(t, func(c *Config) {
		c.SessionIdleTimeout = 3 * time.Second
		c.SessionRenewEvery = 300 * time.Millisecond
		c.SessionLifetime = time.Hour
	})
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	// In use for longer than the idle timeout, the session lives on: each
	// request after the renew interval slides it.
	renewed := 0
	for end := time.Now().Add(4 * time.Second); time.Now().Before(end); {
		time.Sleep(400 * time.Millisecond)
		r := b.get("http://acme.localhost:8080/")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("session in use ended after %v: %d", time.Until(end), r.StatusCode)
		}
		renewed += sessionWrites(r)
	}
	if renewed == 0 {
		t.Error("the session was never renewed")
	}
	// Left alone longer than the idle timeout, it ends.
	time.Sleep(4 * time.Second)
	if r := b.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("idle session: %d, want a redirect to sign in", r.StatusCode)
	}
}

func TestSessionAbsoluteLifetime(t *testing.T) {
	// The cookie's Expires has whole seconds, so it may end up to a second
	// before the session: the margins below allow for that.
	const lifetime = 3 * time.Second
	env := newTestEnvWith(t, func(c *Config) {
		c.SessionLifetime = lifetime
		c.SessionIdleTimeout = time.Hour
		c.SessionRenewEvery = 100 * time.Millisecond
	})
	b := env.browser()
	before := time.Now() // the session starts after this...
	b.signUp("acme", "owner@example.com", "correct horse")
	after := time.Now() // ...and before this
	for time.Since(before) < lifetime-1500*time.Millisecond {
		if r := b.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
			t.Fatalf("session ended %v after sign-up began, before its lifetime: %d %q", time.Since(before), r.StatusCode, r.Header.Get("Location"))
		}
		time.Sleep(150 * time.Millisecond)
	}
	time.Sleep(time.Until(after.Add(lifetime + 500*time.Millisecond)))
	if r := b.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session used all along, past its lifetime: %d, want a redirect to sign in", r.StatusCode)
	}
}

func TestSignOutIsNotUndoneByARenewal(t *testing.T) {
	// Every request renews the session, so requests in flight while the
	// user signs out in another tab commit it after the sign-out deleted
	// it. None may bring it back.
	env := newTestEnvWith(t, func(c *Config) { c.SessionRenewEvery = time.Nanosecond })
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	token := b.jar["acme.localhost:8080"][sessionCookie]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		tab := env.browser()
		tab.jar["acme.localhost:8080"] = map[string]string{sessionCookie: token}
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					tab.get("http://acme.localhost:8080/")
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond)
	b.post("http://acme.localhost:8080/logout", nil)
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	if env.tenantHasSession("acme", token) {
		t.Fatal("a renewal in flight brought the signed-out session back")
	}
	replay := env.browser()
	replay.jar["acme.localhost:8080"] = map[string]string{sessionCookie: token}
	if r := replay.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out session still works: %d", r.StatusCode)
	}
}

// dataVersion watches a database file from a connection of its own: PRAGMA
// data_version changes whenever any other connection commits to the file.
type dataVersion struct {
	t    testing.TB
	conn *sql.Conn
}

// watchDataVersion opens a watcher of the database file at path.
func watchDataVersion(t testing.TB, path string) *dataVersion {
	t.Helper()
	connector, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &dataVersion{t: t, conn: conn}
}

// read returns the current data_version.
func (d *dataVersion) read() int64 {
	d.t.Helper()
	var v int64
	if err := d.conn.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&v); err != nil {
		d.t.Fatal(err)
	}
	return v
}

func TestSignedInReadsWriteNothingShared(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	b.post("http://acme.localhost:8080/todos", map[string][]string{"title": {"first"}})
	env.flushActivity()
	control := watchDataVersion(t, filepath.Join(env.dir, "control.db"))
	tenant := watchDataVersion(t, env.tenant("acme").Location)
	controlBefore, tenantBefore := control.read(), tenant.read()

	for i := range 500 {
		path := []string{"/", "/active", "/completed"}[i%3]
		var headers []string
		if i%2 == 1 {
			headers = []string{"HX-Request", "true"}
		}
		if r := b.get("http://acme.localhost:8080"+path, headers...); r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, r.StatusCode)
		}
	}
	env.flushActivity() // reads leave no activity to flush either
	if got := control.read(); got != controlBefore {
		t.Errorf("500 signed-in GETs committed to the control plane (data_version %d -> %d), want no write", controlBefore, got)
	}
	if got := tenant.read(); got != tenantBefore {
		t.Errorf("500 signed-in GETs within the renew interval committed to the tenant's database (data_version %d -> %d)", tenantBefore, got)
	}
}

func TestTenantSuspendedByAnotherProcessIsRefusedWithinASecond(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go env.control.WatchRouting(ctx, 100*time.Millisecond, nil)

	// The CLI, in another process: its own handles on the same files.
	other, err := store.OpenControl(filepath.Join(env.dir, "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	schema := mustReadSchema(t)
	migrations, err := store.ParseMigrations(schema)
	if err != nil {
		t.Fatal(err)
	}
	provider := store.LocalProvider{Dir: filepath.Join(env.dir, "tenants")}
	pool := store.NewTenantPool(provider, migrations, other, 2)
	defer pool.Close()
	cli := store.NewTenants(other, provider, pool, fastPasswords)

	if r := b.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", r.StatusCode)
	}
	// answersWithin fails the test unless the list's page answers status
	// within a second of what the other process did.
	answersWithin := func(status int, what string) {
		t.Helper()
		since := time.Now()
		for {
			r := b.get("http://acme.localhost:8080/")
			if r.StatusCode == status {
				return
			}
			if time.Since(since) > time.Second {
				t.Fatalf("still served %d a second after another process %s the tenant", r.StatusCode, what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err := cli.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	answersWithin(http.StatusForbidden, "suspended")
	if err := cli.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := cli.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	answersWithin(http.StatusNotFound, "deleted")
}

func TestDamagedSessionRecordIsNoSession(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	token := b.jar["acme.localhost:8080"][sessionCookie]
	// Anyone who can write the tenant's database (the console's write
	// mode, an import, a bug) can put anything in a session's data.
	for _, data := range [][]byte{nil, []byte("not a session"), {1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, bytes.Repeat([]byte{0xff}, 4096)} {
		tdb, err := env.pool.Acquire(context.Background(), env.tenant("acme"))
		if err != nil {
			t.Fatal(err)
		}
		err = tdb.CommitSession(context.Background(), sessionKey(token), data, time.Now().Add(time.Hour))
		tdb.Release()
		if err != nil {
			t.Fatal(err)
		}
		r := b.get("http://acme.localhost:8080/")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("session data %q: %d %q, want a redirect to sign in", data, r.StatusCode, r.Header.Get("Location"))
		}
		b.jar["acme.localhost:8080"][sessionCookie] = token // keep presenting it
	}
}
