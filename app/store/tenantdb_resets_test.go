package store

import (
	"context"
	"testing"
	"time"

	"todos/app"
)

func TestPasswordResets(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	acme, bravo := e.createTenant(t, "acme"), e.createTenant(t, "bravo")
	a, b := e.acquire(t, acme), e.acquire(t, bravo)
	users, err := a.Users(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("Users = %+v, %v; want the owner", users, err)
	}
	owner := users[0].ID
	now := time.Now()
	if err := a.CreatePasswordReset(ctx, "live", owner, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := a.CreatePasswordReset(ctx, "other", owner, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := a.CreatePasswordReset(ctx, "expired", owner, now.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := a.CreatePasswordReset(ctx, "nobody", 999, now.Add(time.Hour)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("link for an unknown user: %v", err)
	}
	if id, err := a.PasswordResetUser(ctx, "live", now); err != nil || id != owner {
		t.Errorf("PasswordResetUser(live) = %d, %v", id, err)
	}
	for _, key := range []string{"expired", "unknown"} {
		if _, err := a.PasswordResetUser(ctx, key, now); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("PasswordResetUser(%s) = %v", key, err)
		}
		if _, err := a.UsePasswordReset(ctx, key, "new-hash", now); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("UsePasswordReset(%s) = %v", key, err)
		}
	}
	// Another tenant's database does not hold it.
	if _, err := b.PasswordResetUser(ctx, "live", now); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("acme's link works on bravo: %v", err)
	}
	// A link expires at its time.
	if _, err := a.PasswordResetUser(ctx, "live", now.Add(time.Hour)); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("link valid past its expiry: %v", err)
	}
	if id, err := a.UsePasswordReset(ctx, "live", "new-hash", now); err != nil || id != owner {
		t.Fatalf("UsePasswordReset = %d, %v", id, err)
	}
	if u, err := a.UserByID(ctx, owner); err != nil || u.PasswordHash != "new-hash" {
		t.Errorf("password hash after reset = %+v, %v", u, err)
	}
	// Used once, and the user's other links with it.
	for _, key := range []string{"live", "other"} {
		if _, err := a.UsePasswordReset(ctx, key, "third-hash", now); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("UsePasswordReset(%s) after a use = %v", key, err)
		}
	}
	if u, _ := a.UserByID(ctx, owner); u.PasswordHash != "new-hash" {
		t.Errorf("a refused link changed the hash")
	}
}
