package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExportTenantForOwnerHoldsNoCredentials(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "owned")
	tdb := e.acquire(t, tn)
	if _, _, err := tdb.AddTodo(ctx, "buy milk"); err != nil {
		t.Fatal(err)
	}
	if err := tdb.CommitSession(ctx, "session-key-hash", []byte("session data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	owner, err := tdb.UserByEmail(ctx, "owner@example.com")
	if err != nil || !strings.HasPrefix(owner.PasswordHash, "$argon2id$") {
		t.Fatalf("owner %+v, %v", owner, err)
	}
	if err := tdb.CreatePasswordReset(ctx, "reset-key-hash", owner.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	n, err := e.tenants.ExportTenantForOwner(ctx, "owned", &buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("ExportTenantForOwner = %d, %v (%d bytes)", n, err, buf.Len())
	}
	for _, secret := range []string{"$argon2id$", owner.PasswordHash, "session-key-hash", "session data", "reset-key-hash"} {
		if bytes.Contains(buf.Bytes(), []byte(secret)) {
			t.Errorf("the export's bytes hold %q", secret)
		}
	}
	path := filepath.Join(t.TempDir(), "owned.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db := openReadOnly(t, path)
	var title, email, hash string
	if err := db.QueryRow("SELECT title FROM todos").Scan(&title); err != nil || title != "buy milk" {
		t.Errorf("todo = %q, %v", title, err)
	}
	if err := db.QueryRow("SELECT email, password_hash FROM users").Scan(&email, &hash); err != nil ||
		email != "owner@example.com" || hash != "" {
		t.Errorf("user = %q %q, %v", email, hash, err)
	}
	var sessions int
	if err := db.QueryRow("SELECT count(*) FROM sessions").Scan(&sessions); err != nil || sessions != 0 {
		t.Errorf("sessions = %d, %v", sessions, err)
	}
	if got := shell(t, path, "pragma integrity_check"); got != "ok" {
		t.Errorf("sqlite3 integrity_check = %q", got)
	}

	// The admin's export keeps the hashes (it is a backup of the list).
	buf.Reset()
	if _, err := e.tenants.ExportTenant(ctx, "owned", &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(owner.PasswordHash)) {
		t.Errorf("the admin's export lost the password hash")
	}
}

func TestAccountRecords(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "records")
	tdb := e.acquire(t, tn)
	td, _, err := tdb.AddTodo(ctx, "first")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tdb.ToggleTodo(ctx, td.ID); err != nil {
		t.Fatal(err)
	}
	recs, err := tdb.TodoRecords(ctx)
	if err != nil || len(recs) != 1 || recs[0].Title != "first" || !recs[0].Completed ||
		recs[0].CreatedAt.IsZero() || recs[0].UpdatedAt.Before(recs[0].CreatedAt) {
		t.Fatalf("TodoRecords = %+v, %v", recs, err)
	}

	owner, err := tdb.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := tdb.SetPasswordHash(ctx, owner.ID, "new-hash"); err != nil {
		t.Fatal(err)
	}
	if u, _ := tdb.UserByID(ctx, owner.ID); u.PasswordHash != "new-hash" {
		t.Errorf("hash = %q", u.PasswordHash)
	}
	wantCode(t, tdb.SetPasswordHash(ctx, 999, "x"), "not_found")

	for _, k := range []string{"a", "b", "c"} {
		if err := tdb.CommitSession(ctx, k, []byte(k), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tdb.DeleteSessions(ctx, []string{"a", "c", "unknown"}); err != nil {
		t.Fatal(err)
	}
	got, err := tdb.StoredSessions(ctx)
	if err != nil || len(got) != 1 || got[0].Key != "b" || string(got[0].Data) != "b" {
		t.Errorf("StoredSessions = %+v, %v", got, err)
	}
}
