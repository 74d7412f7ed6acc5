package console

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/internal/tursofake"
	"todos/app/store"
	"todos/app/store/sqld"
	"todos/app/store/turso"
)

// remoteEnv is a provider on a real server with two tenants: acme, loaded
// with fixture, and other.
type remoteEnv struct {
	provider    store.Provider
	acme, other *app.Tenant
	console     app.Console
	// engineRO: the server refuses writes made with a read-only access.
	engineRO bool
}

// remoteProviders are the providers the remote tests run on: sqld without
// and with JWT auth, and turso on its fake (whose data plane is sqld with
// JWT auth).
var remoteProviders = []struct {
	name     string
	engineRO bool
	start    func(t *testing.T) (store.Provider, string)
}{
	{"sqld", false, func(t *testing.T) (store.Provider, string) {
		srv := sqldtest.Start(t)
		return newSqld(t, srv, ""), store.LocalRegion.Code
	}},
	{"sqld-auth", true, func(t *testing.T) (store.Provider, string) {
		srv := sqldtest.StartWithAuth(t)
		return newSqld(t, srv, srv.AuthKeyFile), store.LocalRegion.Code
	}},
	// sqld offering several regions (OneServerRegions wraps the provider).
	{"sqld-regions", true, func(t *testing.T) (store.Provider, string) {
		srv := sqldtest.StartWithAuth(t)
		regions := []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}
		return store.OneServerRegions(newSqld(t, srv, srv.AuthKeyFile), regions), "ams"
	}},
	{"turso", true, func(t *testing.T) (store.Provider, string) {
		f := tursofake.Start(t, "acme", "ams")
		p, err := turso.New(turso.Config{APIURL: f.URL, Org: "acme", APIToken: turso.Secret(f.Token), StagingDir: t.TempDir(),
			Regions: []app.Region{{Code: "ams", Name: "Amsterdam"}}, APIBackoff: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p, "ams"
	}},
}

// newSqld returns a sqld provider on srv, with auth when keyFile is set.
func newSqld(t *testing.T, srv *sqldtest.Server, keyFile string) store.Provider {
	t.Helper()
	p, err := sqld.New(sqld.Config{URL: srv.URL, AdminURL: srv.AdminURL, StagingDir: t.TempDir(), AuthKeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// forEachRemote runs test on each remote provider.
func forEachRemote(t *testing.T, test func(t *testing.T, e *remoteEnv)) {
	for _, rp := range remoteProviders {
		t.Run(rp.name, func(t *testing.T) {
			p, region := rp.start(t)
			e := &remoteEnv{provider: p, engineRO: rp.engineRO, console: NewProviderConsole(testRunner(), p)}
			e.acme = e.create(t, "t_acme", region, fixture)
			e.other = e.create(t, "t_other", region, []string{"CREATE TABLE secrets (s TEXT)", "INSERT INTO secrets VALUES ('other tenant')"})
			test(t, e)
		})
	}
}

// create makes tenant id's database and runs stmts in it.
func (e *remoteEnv) create(t *testing.T, id, region string, stmts []string) *app.Tenant {
	t.Helper()
	ctx := context.Background()
	loc, err := e.provider.Create(ctx, id, region)
	if err != nil {
		t.Fatal(err)
	}
	db, err := e.provider.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return &app.Tenant{ID: id, Name: strings.TrimPrefix(id, "t_"), Location: loc}
}

// run runs sql in t's console.
func (e *remoteEnv) run(t *testing.T, tn *app.Tenant, sql string, write bool) (*app.ConsoleResult, error) {
	t.Helper()
	return e.console.RunConsole(context.Background(), tn, app.ConsoleRequest{SQL: sql, Write: write})
}

// count returns the number of todos of acme, read through the console.
func (e *remoteEnv) count(t *testing.T) string {
	t.Helper()
	res, err := e.run(t, e.acme, "SELECT count(*) FROM todos", false)
	if err != nil {
		t.Fatal(err)
	}
	return joinRows(res.Rows)
}

// TestRemoteConsoleReads: read-only mode reads a remote tenant's database,
// values exactly as stored, and the page knows what enforces read-only.
func TestRemoteConsoleReads(t *testing.T) {
	forEachRemote(t, func(t *testing.T, e *remoteEnv) {
		if got := e.count(t); got != "3" {
			t.Fatalf("count = %s", got)
		}
		res, err := e.run(t, e.acme, "SELECT id, v FROM vals WHERE id IN (4, 5, 6, 9) ORDER BY id", false)
		if err != nil {
			t.Fatal(err)
		}
		if got := joinRows(res.Rows); got != "4,text;5,00ff10;6,2024-01-02;9,-9223372036854775808" {
			t.Errorf("values %q", got)
		}
		res, err = e.run(t, e.acme, "SELECT name FROM pragma_table_info('todos') ORDER BY cid LIMIT 2", false)
		if err != nil || joinRows(res.Rows) != "id;title" {
			t.Errorf("pragma table: %v, %v", res, err)
		}
		res, err = e.run(t, e.acme, "EXPLAIN SELECT * FROM todos", false)
		if err != nil || len(res.Rows) == 0 {
			t.Errorf("explain: %v, %v", res, err)
		}
		if got := e.console.(app.ConsoleGuard).ReadOnlyByEngine(e.acme); got != e.engineRO {
			t.Errorf("ReadOnlyByEngine = %v, want %v", got, e.engineRO)
		}
	})
}

// TestRemoteConsoleRefusesWrites: read-only mode refuses writes, schema
// changes and escapes by its checks, before the server sees them.
func TestRemoteConsoleRefusesWrites(t *testing.T) {
	forEachRemote(t, func(t *testing.T, e *remoteEnv) {
		for _, q := range []string{
			"INSERT INTO todos (title, created_at, updated_at) VALUES ('x', 1, 1)",
			"UPDATE todos SET title = 'x'",
			"DELETE FROM todos",
			"CREATE TABLE t2 (x)",
			"DROP TABLE vals",
			"PRAGMA query_only=0",
			"PRAGMA user_version=9",
			"ATTACH 'file:/tmp/x.db' AS x",
		} {
			_, err := e.run(t, e.acme, q, false)
			wantCode(t, err, app.EFORBIDDEN, "")
		}
		if got := e.count(t); got != "3" {
			t.Fatalf("count = %s after refused writes", got)
		}
	})
}

// TestRemoteConsoleEngineEnforcesReadOnly sends writes past the console's
// checks, with the very access read-only mode gets: with a read-only token
// (sqld with auth, Turso) the server refuses them on a plain connection;
// in the console's own session (query_only) SQLite refuses them on every
// provider. Without auth, the plain connection writes: there the console's
// checks are what holds, as ReadOnlyByEngine says.
func TestRemoteConsoleEngineEnforcesReadOnly(t *testing.T) {
	forEachRemote(t, func(t *testing.T, e *remoteEnv) {
		ctx := context.Background()
		access, err := mustDirect(t, e.provider).DirectAccess(ctx, e.acme.Location, false)
		if err != nil {
			t.Fatal(err)
		}
		if access.ReadOnly != e.engineRO || (access.AuthToken != "") != e.engineRO {
			t.Fatalf("access %v: read-only token %v, want %v", access, access.ReadOnly, e.engineRO)
		}
		if strings.Contains(fmt.Sprintf("%v %+v %#v", access, access, access), access.AuthToken) && access.AuthToken != "" {
			t.Fatal("DirectAccess prints its token")
		}
		insert := "INSERT INTO todos (title, created_at, updated_at) VALUES ('bypass', 1, 1)"

		// The console's session, checks bypassed.
		req := childRequest{SQL: insert, Timeout: DefaultTimeout,
			Remote: &remoteTarget{URL: access.URL, AuthToken: access.AuthToken, ReadOnlyToken: access.ReadOnly}}
		db, err := openRemote(req)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		s := &session{ctx: ctx, conn: conn, req: req}
		if err := s.setupRemote(); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, insert); err == nil {
			t.Fatal("the console's read-only session wrote")
		}

		// A plain connection with the same access.
		dsn := access.URL
		if access.AuthToken != "" {
			dsn += "?authToken=" + url.QueryEscape(access.AuthToken)
		}
		plain, err := sqld.OpenRemote(dsn, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		_, err = plain.ExecContext(ctx, insert)
		switch {
		case e.engineRO && err == nil:
			t.Fatal("the server accepted a write made with a read-only token")
		case !e.engineRO && err != nil:
			t.Fatalf("without auth, a plain connection should write (nothing server-side stops it): %v", err)
		}
		want := "3"
		if !e.engineRO {
			want = "4"
		}
		if got := e.count(t); got != want {
			t.Fatalf("count = %s, want %s", got, want)
		}
	})
}

// TestRemoteConsoleWrites: write mode runs one statement in a transaction
// on a read-write connection; a statement that fails part-way or stores a
// value the app cannot read changes nothing.
func TestRemoteConsoleWrites(t *testing.T) {
	forEachRemote(t, func(t *testing.T, e *remoteEnv) {
		res, err := e.run(t, e.acme, "INSERT INTO todos (title, created_at, updated_at) VALUES ('from console', 5, 5)", true)
		if err != nil {
			t.Fatal(err)
		}
		if res.RowsAffected != 1 {
			t.Errorf("rows affected %d", res.RowsAffected)
		}
		if got := e.count(t); got != "4" {
			t.Fatalf("count = %s after insert", got)
		}
		res, err = e.run(t, e.acme, "UPDATE todos SET completed = 1 WHERE title = 'from console' RETURNING id", true)
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("update returning: %v, %v", res, err)
		}
		_, err = e.run(t, e.acme, "UPDATE todos SET completed = completed + 1", true) // row 1 passes the CHECK, row 2 fails
		wantCode(t, err, app.EINVALID, "CHECK constraint failed")
		_, err = e.run(t, e.acme, "UPDATE vals SET v = CAST(unhex('ff41') AS TEXT) WHERE id = 4", true)
		wantCode(t, err, app.EINVALID, "Nothing was changed")
		_, err = e.run(t, e.acme, "UPDATE vals SET v = CAST(x'ff41' AS TEXT) WHERE id = 4", true) // the server cannot send its EXPLAIN
		wantCode(t, err, app.EINVALID, "unhex('ff')")
		res, err = e.run(t, e.acme, "SELECT sum(completed), (SELECT v FROM vals WHERE id = 4) FROM todos", false)
		if err != nil || joinRows(res.Rows) != "2,text" {
			t.Fatalf("after refused writes: %v, %v", res, err)
		}
		if _, err := e.run(t, e.acme, "CREATE TABLE notes (n TEXT)", true); err != nil {
			t.Fatalf("DDL in write mode: %v", err)
		}
		if _, err := e.run(t, e.acme, "ATTACH 'file:/tmp/x.db' AS x", true); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("ATTACH in write mode: %v", err)
		}
	})
}

// TestRemoteConsoleOtherTenantUnreachable: the console reaches only its
// tenant's database. Its SQL cannot name another (ATTACH is refused), and
// with tokens a session pointed at another tenant's database with this
// tenant's token is refused by the server.
func TestRemoteConsoleOtherTenantUnreachable(t *testing.T) {
	forEachRemote(t, func(t *testing.T, e *remoteEnv) {
		ctx := context.Background()
		if _, err := e.run(t, e.acme, "SELECT * FROM secrets", false); err == nil || !strings.Contains(app.ErrorMessage(err), "no such table") {
			t.Fatalf("acme's console read another tenant's table: %v", err)
		}
		res, err := e.run(t, e.other, "SELECT s FROM secrets", false)
		if err != nil || joinRows(res.Rows) != "other tenant" {
			t.Fatalf("other's console: %v, %v", res, err)
		}
		if !e.engineRO {
			return // without tokens, the URL the app builds is all that picks the database
		}
		da := mustDirect(t, e.provider)
		mine, err := da.DirectAccess(ctx, e.acme.Location, true)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := da.DirectAccess(ctx, e.other.Location, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, write := range []bool{false, true} {
			swapped := store.DirectAccess{URL: theirs.URL, AuthToken: mine.AuthToken}
			res, err := testRunner().RunRemote(ctx, swapped, app.ConsoleRequest{SQL: "SELECT s FROM secrets", Write: write})
			if err == nil {
				t.Fatalf("acme's token read the other tenant's database: %v", joinRows(res.Rows))
			}
			if strings.Contains(app.ErrorMessage(err), mine.AuthToken) || strings.Contains(err.Error(), mine.AuthToken) {
				t.Fatal("the error shows the token")
			}
		}
	})
}

// TestRemoteConsoleTokenOnlyOnStdin: the child gets its token on stdin:
// neither its arguments nor its environment hold it.
func TestRemoteConsoleTokenOnlyOnStdin(t *testing.T) {
	srv := sqldtest.StartWithAuth(t)
	p := newSqld(t, srv, srv.AuthKeyFile)
	e := &remoteEnv{provider: p}
	e.acme = e.create(t, "t_acme", store.LocalRegion.Code, []string{"CREATE TABLE x (a)"})
	access, err := mustDirect(t, p).DirectAccess(context.Background(), e.acme.Location, false)
	if err != nil {
		t.Fatal(err)
	}
	r := testRunner()
	var seen []string
	r.started = func(pid int) {
		for _, f := range []string{"cmdline", "environ"} {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, f)); err == nil {
				seen = append(seen, string(b))
			}
		}
	}
	if _, err := r.RunRemote(context.Background(), access, app.ConsoleRequest{SQL: "SELECT count(*) FROM x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc to read the child's arguments from")
	}
	if len(seen) != 2 {
		t.Fatalf("read %d of the child's cmdline and environ: the check did not run", len(seen))
	}
	for _, s := range seen {
		if strings.Contains(s, access.AuthToken) {
			t.Fatal("the token is in the child's arguments or environment")
		}
	}
}

// TestRemoteConsoleOneWriteAtATime: a console write to a remote database
// while another runs is refused at once (sqld can hang a database under
// three writers, and the app's own connection is one).
func TestRemoteConsoleOneWriteAtATime(t *testing.T) {
	p, err := sqld.New(sqld.Config{URL: "http://localhost:1", AdminURL: "http://127.0.0.1:2", StagingDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c := NewProviderConsole(testRunner(), p).(*tenantConsole)
	tn := &app.Tenant{ID: "t_acme", Location: "sqld:t_acme"}
	c.writing[tn.Location] = true // a write is running
	_, err = c.RunConsole(context.Background(), tn, app.ConsoleRequest{SQL: "DELETE FROM todos", Write: true})
	wantCode(t, err, app.ERATELIMITED, "Another console write")
}

// TestRemoteConsoleHungServer: a server that stops answering ends the
// query within its time limit (the child's call deadlines, else its kill),
// and the next query works once the server is back.
func TestRemoteConsoleHungServer(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newSqld(t, srv, "")
	e := &remoteEnv{provider: p}
	e.acme = e.create(t, "t_acme", store.LocalRegion.Code, []string{"CREATE TABLE x (a)"})
	access, err := mustDirect(t, p).DirectAccess(context.Background(), e.acme.Location, false)
	if err != nil {
		t.Fatal(err)
	}
	resume := srv.Pause()
	_, err = testRunner().RunRemote(context.Background(), access, app.ConsoleRequest{SQL: "SELECT count(*) FROM x", Timeout: 3 * time.Second})
	resume()
	if code := app.ErrorCode(err); code != app.EINVALID && code != app.EUNAVAILABLE {
		t.Fatalf("hung server: %v", err)
	}
	res, err := testRunner().RunRemote(context.Background(), access, app.ConsoleRequest{SQL: "SELECT count(*) FROM x"})
	if err != nil || joinRows(res.Rows) != "0" {
		t.Fatalf("after resume: %v, %v", res, err)
	}
}

// mustDirect returns p (or the provider it wraps) as a DirectAccessor.
func mustDirect(t *testing.T, p store.Provider) store.DirectAccessor {
	t.Helper()
	da, ok := store.ProviderAs[store.DirectAccessor](p)
	if !ok {
		t.Fatalf("%T reaches no remote database", p)
	}
	return da
}
