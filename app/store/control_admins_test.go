package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
)

// openAdminControl opens a control database that hashes admin passwords
// cheaply.
func openAdminControl(t *testing.T) *Control {
	t.Helper()
	c, err := OpenControl(filepath.Join(t.TempDir(), "control.db"), WithPasswordParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestAdmins(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	if n, err := c.CountAdmins(ctx); err != nil || n != 0 {
		t.Fatalf("CountAdmins = %d, %v", n, err)
	}
	a, err := c.CreateAdmin(ctx, " Root@Example.COM ", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Email != "root@example.com" || a.CreatedAt.IsZero() ||
		!app.CheckPassword(a.PasswordHash, "correct horse") || !strings.Contains(a.PasswordHash, "m=64,t=1,p=1") {
		t.Fatalf("created %+v", a)
	}
	byEmail, err := c.AdminByEmail(ctx, "ROOT@example.com")
	if err != nil || *byEmail != *a {
		t.Errorf("AdminByEmail = %+v, %v; want %+v", byEmail, err, a)
	}
	byID, err := c.AdminByID(ctx, a.ID)
	if err != nil || *byID != *a {
		t.Errorf("AdminByID = %+v, %v; want %+v", byID, err, a)
	}

	_, err = c.CreateAdmin(ctx, "root@EXAMPLE.com", "another password")
	wantCode(t, err, app.ECONFLICT)
	_, err = c.CreateAdmin(ctx, "not an email", "correct horse")
	wantCode(t, err, app.EINVALID)
	_, err = c.CreateAdmin(ctx, "ops@example.com", "short")
	wantCode(t, err, app.EINVALID)
	_, err = c.AdminByEmail(ctx, "nobody@example.com")
	wantCode(t, err, app.ENOTFOUND)
	_, err = c.AdminByEmail(ctx, "garbage")
	wantCode(t, err, app.ENOTFOUND)
	_, err = c.AdminByID(ctx, a.ID+1)
	wantCode(t, err, app.ENOTFOUND)

	// A date-like local part must come back as typed.
	if _, err := c.CreateAdmin(ctx, "2024-01-02@example.com", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.AdminByEmail(ctx, "2024-01-02@example.com"); err != nil || got.Email != "2024-01-02@example.com" {
		t.Errorf("date-like email = %+v, %v", got, err)
	}
	if n, err := c.CountAdmins(ctx); err != nil || n != 2 {
		t.Errorf("CountAdmins = %d, %v; want 2", n, err)
	}
}

func TestOpenControlDefaultPasswordParams(t *testing.T) {
	c := openTestControl(t)
	if c.params != app.DefaultPasswordParams {
		t.Errorf("params = %+v, want the defaults", c.params)
	}
}
