package web

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// openAdminStream opens /events as browser b on a served env and returns the
// stream once it has said ": connected".
func openAdminStream(t *testing.T, addr string, b *browser) *eventStream {
	t.Helper()
	resp := openEvents(t, addr, b, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/events: %d", resp.StatusCode)
	}
	stream := newEventStream(t, resp.Body)
	stream.waitFor(": connected")
	return stream
}

// waitEnded waits for the server to end the stream. The deadline only stops
// a broken test: an ended stream closes long before it.
func (s *eventStream) waitEnded() {
	s.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case _, ok := <-s.lines:
			if !ok {
				return
			}
		case <-deadline:
			s.t.Fatal("the stream is still open")
		}
	}
}

// streamEnv is an admin env served on a real listener with a frequent
// heartbeat, and the session re-check every recheck.
func streamEnv(t *testing.T, recheck time.Duration) (*testEnv, *browser, string) {
	t.Helper()
	env, admin := adminEnv(t)
	env.srv.events.recheck = recheck
	old := eventHeartbeat
	eventHeartbeat = 50 * time.Millisecond
	t.Cleanup(func() { eventHeartbeat = old })
	return env, admin, env.serve(t)
}

func TestAdminEventStreamEndsAtSignOut(t *testing.T) {
	// The re-check would take an hour: only the sign-out's wake-up can end
	// the stream in time.
	env, admin, addr := streamEnv(t, time.Hour)
	other := env.browser()
	other.adminSignIn(testAdminEmail, testAdminPassword)
	mine := openAdminStream(t, addr, admin)
	theirs := openAdminStream(t, addr, other)

	if r := admin.post(adminURL+"/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	mine.waitEnded()
	// Another session of the same admin keeps its stream.
	theirs.waitFor(": heartbeat")
	theirs.waitFor(": heartbeat")
}

func TestAdminEventStreamEndsWhenAdminRemoved(t *testing.T) {
	env, admin, addr := streamEnv(t, 20*time.Millisecond)
	stream := openAdminStream(t, addr, admin)
	stream.waitFor(": heartbeat")
	if err := env.control.RemoveAdmin(context.Background(), testAdminEmail); err != nil {
		t.Fatal(err)
	}
	stream.waitEnded()
	if r := openEvents(t, addr, admin, ""); r.StatusCode != http.StatusSeeOther {
		t.Errorf("/events after removal: %d", r.StatusCode)
	}
}

func TestAdminEventStreamEndsWhenSessionExpires(t *testing.T) {
	env, admin, addr := streamEnv(t, 20*time.Millisecond)
	stream := openAdminStream(t, addr, admin)
	stream.waitFor(": heartbeat")
	// Expire the session in the store, as its idle deadline passing does.
	ctx := context.Background()
	key := storeKey(admin.jar["admin.localhost:8080"][sessionCookie])
	sessions := env.control.SessionStore()
	data, found, err := sessions.FindCtx(ctx, key)
	if err != nil || !found {
		t.Fatalf("session not stored: %v", err)
	}
	if err := sessions.CommitCtx(ctx, key, data, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	stream.waitEnded()
}

func TestRemovedAdminsSessionIsNotInherited(t *testing.T) {
	// SQLite gives a new row the highest id plus one, so an admin created
	// after the newest one was removed gets the removed admin's id. Its
	// sessions must not become the new admin's.
	env, _ := adminEnv(t)
	gone := env.createAdmin("gone@example.com", "correct horse")
	b := env.browser()
	b.adminSignIn("gone@example.com", "correct horse")
	if err := env.control.RemoveAdmin(context.Background(), "gone@example.com"); err != nil {
		t.Fatal(err)
	}
	heir := env.createAdmin("heir@example.com", "correct horse")
	if heir.ID != gone.ID {
		t.Fatalf("the new admin got id %d, not the removed one's %d: the premise of this test no longer holds", heir.ID, gone.ID)
	}
	if r := b.get(adminURL + "/"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("the removed admin's session still works: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
}
