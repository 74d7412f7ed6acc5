package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todos/app/internal/testfs"
)

// TestSessionSpillFairAndSignOutHonoured: on a full disk, sessions live in
// memory (spillStore), which holds a bounded number of them.
//
//   - One tenant's users (anyone can sign up for a list, then sign in to it
//     again and again) must not take all of that memory: another tenant's
//     owner still signs in.
//   - A session held in memory is valid on its own tenant's host only.
//   - A sign-out is honoured whatever the memory holds: the session, renewed
//     into memory after its row was written, must not come back from its
//     older row when the memory is full.
func TestSessionSpillFairAndSignOutHonoured(t *testing.T) {
	dir := testfs.Mount(t, "4m")
	env := newTestEnvConfigured(t, dir, mustReadSchema(t), func(c *Config) {
		c.SessionRenewEvery = time.Nanosecond // every signed-in request writes its session
	})
	env.createTenant("acme")
	env.createTenant("bravo")
	login := func(b *browser, host string) *response {
		return b.post("http://"+host+"/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	}
	owner := env.browser()
	if r := login(owner, "acme.localhost:8080"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in before the disk fills: %d", r.StatusCode)
	}
	session := owner.jar["acme.localhost:8080"][sessionCookie]

	spill := sessionSpill(env.srv.sessions)
	spill.max, spill.maxScope = 4, 2
	// Closed, their write-ahead logs are emptied: on the full disk, every
	// write to them fails.
	for _, name := range []string{"acme", "bravo"} {
		<-env.pool.Evict(env.tenant(name).ID)
		waitWALEmpty(t, env.tenant(name).Location)
	}
	free := testfs.Fill(t, dir)
	defer free()

	// The owner's session is renewed into memory.
	if r := owner.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Fatalf("list on a full disk: %d", r.StatusCode)
	}
	if spill.len() != 1 {
		t.Fatalf("held after a renewal on a full disk: %d, want 1", spill.len())
	}

	// acme's users sign in until refused.
	for i := 0; i < 10; i++ {
		if r := login(env.browser(), "acme.localhost:8080"); r.StatusCode != http.StatusSeeOther {
			break
		}
	}
	bravo := env.browser()
	if r := login(bravo, "bravo.localhost:8080"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("bravo's owner, after acme's users signed in on a full disk: %d; want 303\n%s", r.StatusCode, clipBody(r.Body))
	}
	// bravo's session, held in memory, is nothing on acme's host.
	thief := env.browser()
	thief.jar["acme.localhost:8080"] = map[string]string{sessionCookie: bravo.jar["bravo.localhost:8080"][sessionCookie]}
	if r := thief.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("bravo's session held in memory, replayed on acme: %d; want a redirect to sign in", r.StatusCode)
	}

	// Memory is as full as it gets now: sign out the renewed session.
	r := owner.post("http://acme.localhost:8080/logout", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out on a full disk with its memory full: %d", r.StatusCode)
	}
	replay := env.browser()
	replay.jar["acme.localhost:8080"] = map[string]string{sessionCookie: session}
	if r := replay.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out session still works: %d", r.StatusCode)
	}
}

// waitWALEmpty waits until the database at path has no write-ahead log
// left (go-libsql finishes closing a database in the background, after
// Close returns): a log that kept its size would let writes land in its
// space on a full disk.
func waitWALEmpty(t *testing.T, path string) {
	t.Helper()
	waitUntil(t, "empty: the write-ahead log of "+filepath.Base(path), func() bool {
		st, err := os.Stat(path + "-wal")
		return os.IsNotExist(err) || err == nil && st.Size() == 0
	})
}
