package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"todos/app"
)

func TestAdminInviteSingleUse(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	token, err := c.CreateAdminInvite(ctx, " New@Example.com ", "root@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM admin_invites WHERE token_hash = ?", token).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("the token is stored as itself: %d %v", stored, err)
	}
	inv, err := c.AdminInvite(ctx, token)
	if err != nil || inv.Email != "new@example.com" || inv.CreatedBy != "root@example.com" {
		t.Fatalf("AdminInvite = %+v, %v", inv, err)
	}
	if _, err := c.AcceptAdminInvite(ctx, token, "short"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("short password: %v", err)
	}
	// Used twice at once: one admin, one refusal.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = c.AcceptAdminInvite(ctx, token, "correct horse") }()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("accepted twice or never: %v, %v", errs[0], errs[1])
	}
	if n, _ := c.CountAdmins(ctx); n != 1 {
		t.Errorf("admins = %d", n)
	}
	if _, err := c.AdminInvite(ctx, token); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("used invite: %v", err)
	}
	if _, err := c.CreateAdminInvite(ctx, "new@example.com", "root@example.com"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("invite of an admin: %v", err)
	}
}

func TestAdminInviteExpires(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	token, err := c.CreateAdminInvite(ctx, "late@example.com", "root@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.ExecContext(ctx, "UPDATE admin_invites SET expires_at = ?", millis(time.Now().Add(-time.Second))); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminInvite(ctx, token); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("expired invite: %v", err)
	}
	if _, err := c.AcceptAdminInvite(ctx, token, "correct horse"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("expired invite accepted: %v", err)
	}
}

func TestRemoveAdminNotLast(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	for _, e := range []string{"a@example.com", "b@example.com"} {
		if _, err := c.CreateAdmin(ctx, e, "correct horse"); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RemoveAdminNotLast(ctx, "nobody@example.com"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown: %v", err)
	}
	if err := c.RemoveAdminNotLast(ctx, "A@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAdminNotLast(ctx, "b@example.com"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("last admin: %v", err)
	}
	if admins, err := c.ListAdmins(ctx); err != nil || len(admins) != 1 || admins[0].Email != "b@example.com" {
		t.Errorf("ListAdmins = %+v, %v", admins, err)
	}
}

func TestSetAdminPassword(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	a, err := c.CreateAdmin(ctx, "a@example.com", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetAdminPassword(ctx, a.ID, "short"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("short: %v", err)
	}
	if err := c.SetAdminPassword(ctx, a.ID, "battery staple"); err != nil {
		t.Fatal(err)
	}
	got, _ := c.AdminByID(ctx, a.ID)
	if !app.CheckPassword(got.PasswordHash, "battery staple") {
		t.Error("new password does not check")
	}
}
