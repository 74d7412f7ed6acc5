package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
)

func TestTenantSessions(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	acme, bravo := e.createTenant(t, "acme"), e.createTenant(t, "bravo")
	a, b := e.acquire(t, acme), e.acquire(t, bravo)

	if _, found, err := a.FindSession(ctx, "k1"); err != nil || found {
		t.Fatalf("unknown session: found %v, %v", found, err)
	}
	if err := a.CommitSession(ctx, "k1", []byte("one"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := a.CommitSession(ctx, "k1", []byte("two"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if data, found, err := a.FindSession(ctx, "k1"); err != nil || !found || string(data) != "two" {
		t.Fatalf("FindSession = %q, %v, %v; want the replaced data", data, found, err)
	}
	// Another tenant's database does not hold it.
	if _, found, _ := b.FindSession(ctx, "k1"); found {
		t.Fatal("acme's session found in bravo's database")
	}
	// Expired sessions are not found, and the next commit removes them.
	if err := a.CommitSession(ctx, "old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := a.FindSession(ctx, "old"); found {
		t.Fatal("expired session found")
	}
	if err := a.CommitSession(ctx, "k2", nil, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, a, "SELECT count(*) FROM sessions WHERE token_hash = 'old'"); n != 0 {
		t.Errorf("expired session still stored after a commit (%d rows)", n)
	}
	if err := a.DeleteSession(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteSession(ctx, "never"); err != nil {
		t.Errorf("deleting an unknown session: %v", err)
	}
	if _, found, _ := a.FindSession(ctx, "k1"); found {
		t.Error("deleted session found")
	}
}

// countRows runs a count query on tdb's database.
func countRows(t testing.TB, tdb *TenantDB, query string) int {
	t.Helper()
	var n int
	if err := tdb.db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// secretSessionKey is a session key whose bytes a test looks for in files.
func secretSessionKey() string {
	sum := sha256.Sum256([]byte("a live session token"))
	return hex.EncodeToString(sum[:])
}

func TestCopiesCarryNoSessions(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	src := e.createTenant(t, "acme")
	tdb := e.acquire(t, src)
	key := secretSessionKey()
	if err := tdb.CommitSession(ctx, key, []byte("session data of acme"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	t.Run("export", func(t *testing.T) {
		var buf bytes.Buffer
		if _, err := e.tenants.ExportTenant(ctx, "acme", &buf); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte(key)) || bytes.Contains(buf.Bytes(), []byte("session data of acme")) {
			t.Fatal("the exported file contains a session")
		}
		// The exported file is a working database with an empty sessions table.
		var n int
		if err := openExport(t, buf.Bytes()).QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil || n != 0 {
			t.Fatalf("exported sessions: %d, %v", n, err)
		}
	})

	t.Run("clone", func(t *testing.T) {
		clone, err := e.tenants.CloneTenant(ctx, "acme", "acme-copy")
		if err != nil {
			t.Fatal(err)
		}
		c := e.acquire(t, clone)
		if _, found, _ := c.FindSession(ctx, key); found {
			t.Fatal("the clone holds the source's session")
		}
		if n := countRows(t, c, "SELECT count(*) FROM sessions"); n != 0 {
			t.Fatalf("clone has %d sessions", n)
		}
		if _, found, _ := tdb.FindSession(ctx, key); !found {
			t.Fatal("cloning removed the source's session")
		}
	})

	t.Run("import", func(t *testing.T) {
		// A file that arrives with sessions (a raw copy of the database)
		// keeps none once imported.
		raw := filepath.Join(t.TempDir(), "raw.db")
		if _, err := tdb.db.ExecContext(ctx, "VACUUM INTO ?", raw); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(raw)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		imported, err := e.tenants.ImportTenant(ctx, app.ImportInput{Name: "imported", Region: "local", File: f})
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, e.acquire(t, imported), "SELECT count(*) FROM sessions"); n != 0 {
			t.Fatalf("import kept %d sessions", n)
		}
	})
}

func TestLoadedSessionIsNotRecreated(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tdb := e.acquire(t, e.createTenant(t, "acme"))
	admins := e.control.SessionStore()
	expiry := time.Now().Add(time.Hour)
	if err := tdb.CommitSession(ctx, "k", []byte("a"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := admins.CommitCtx(ctx, "k", []byte("a"), expiry); err != nil {
		t.Fatal(err)
	}
	loaded := app.NewContextWithLoadedSession(ctx, "k")
	// Renewing a loaded session updates it...
	if err := tdb.CommitSession(loaded, "k", []byte("b"), expiry); err != nil {
		t.Fatal(err)
	}
	if data, _, _ := tdb.FindSession(ctx, "k"); string(data) != "b" {
		t.Errorf("renewed tenant session holds %q, want b", data)
	}
	// ...but once it is deleted (signed out), renewing it does not bring it back.
	if err := tdb.DeleteSession(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := admins.DeleteCtx(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := tdb.CommitSession(loaded, "k", []byte("c"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := admins.CommitCtx(loaded, "k", []byte("c"), expiry); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := tdb.FindSession(ctx, "k"); found {
		t.Error("a renewal recreated a deleted tenant session")
	}
	if _, found, _ := admins.FindCtx(ctx, "k"); found {
		t.Error("a renewal recreated a deleted admin session")
	}
}
