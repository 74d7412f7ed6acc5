package store

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionStore implements the scs store interfaces.
var (
	_ scs.Store    = (*SessionStore)(nil)
	_ scs.CtxStore = (*SessionStore)(nil)
)

func TestSessionStore(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	s := c.SessionStore()
	data := []byte{0, 1, 2, 0xff, 'x'}
	if err := s.Commit("tok1", data, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	b, found, err := s.Find("tok1")
	if err != nil || !found || string(b) != string(data) {
		t.Fatalf("Find = %v, %v, %v", b, found, err)
	}
	if err := s.Commit("tok1", []byte("new"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := s.FindCtx(ctx, "tok1"); string(b) != "new" {
		t.Errorf("after second Commit: %q", b)
	}
	if _, found, err := s.Find("unknown"); found || err != nil {
		t.Errorf("Find(unknown) = %v, %v", found, err)
	}
	if err := s.Commit("old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.Find("old"); found || err != nil {
		t.Errorf("Find(expired) = %v, %v", found, err)
	}
	n, err := c.DeleteExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if err := s.Delete("tok1"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Find("tok1"); found {
		t.Error("found after Delete")
	}
	if err := s.Delete("tok1"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
}
