package store

import (
	"context"
	"testing"
	"time"

	"todos/app"
)

func TestHandoff(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	h := app.Handoff{TenantID: "t_abc", UserID: 42}
	token, err := c.CreateHandoff(ctx, h, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 {
		t.Errorf("token %q has %d characters, want 43", token, len(token))
	}
	got, err := c.ConsumeHandoff(ctx, token)
	if err != nil || got != h {
		t.Fatalf("ConsumeHandoff = %+v, %v", got, err)
	}
	_, err = c.ConsumeHandoff(ctx, token)
	wantCode(t, err, app.EUNAUTHORIZED)
	if app.ErrorMessage(err) != "This sign-in link has expired or was already used." {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
	_, err = c.ConsumeHandoff(ctx, "not-a-token")
	wantCode(t, err, app.EUNAUTHORIZED)

	expired, err := c.CreateHandoff(ctx, h, -time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ConsumeHandoff(ctx, expired)
	wantCode(t, err, app.EUNAUTHORIZED)
}

func TestHandoffConcurrentConsumeOnce(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	token, err := c.CreateHandoff(ctx, app.Handoff{TenantID: "t_x", UserID: 1}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := c.ConsumeHandoff(ctx, token)
			errs <- err
		}()
	}
	ok := 0
	for range n {
		if err := <-errs; err == nil {
			ok++
		} else if app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent consumes succeeded, want 1", ok, n)
	}
}
