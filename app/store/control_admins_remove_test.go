package store

import (
	"context"
	"testing"

	"todos/app"
)

func TestRemoveAdmin(t *testing.T) {
	ctx := context.Background()
	c := openAdminControl(t)
	a, err := c.CreateAdmin(ctx, "root@example.com", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAdmin(ctx, " ROOT@example.com "); err != nil {
		t.Fatalf("RemoveAdmin: %v", err)
	}
	if _, err := c.AdminByID(ctx, a.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("AdminByID after removal: %v", err)
	}
	for _, email := range []string{"root@example.com", "nobody@example.com", "not an email"} {
		if err := c.RemoveAdmin(ctx, email); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("RemoveAdmin(%q) = %v; want ENOTFOUND", email, err)
		}
	}
}
