package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostileHashes are password hashes an imported list may carry: cost
// settings that make argon2 panic or ask for gigabytes, and garbage.
var hostileHashes = map[string]string{
	"t=0":       "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43),
	"p=0":       "$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43),
	"4 GiB":     "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43),
	"garbage":   "not a hash at all",
	"huge salt": "$argon2id$v=19$m=19456,t=2,p=1$" + base64.RawStdEncoding.EncodeToString(make([]byte, 1<<20)) + "$" + strings.Repeat("A", 43),
}

// Imported users with hostile hashes are refused with a message that asks
// for a reset; nothing panics, no password slot is kept, and afterwards a
// good sign-in still works.
func TestHostileHashesNeverHoldASlot(t *testing.T) {
	env := newTestEnv(t)
	tenant := env.createTenant("acme")
	tdb, err := env.pool.Acquire(context.Background(), tenant)
	if err != nil {
		t.Fatal(err)
	}
	for name, hash := range hostileHashes {
		email := strings.NewReplacer(" ", "-", "=", "-").Replace(strings.ToLower(name)) + "@example.com"
		if _, err := tdb.CreateUser(context.Background(), email, hash); err != nil {
			t.Fatal(err)
		}
	}
	tdb.Release()
	for i := 0; i < 2; i++ {
		for name := range hostileHashes {
			email := strings.NewReplacer(" ", "-", "=", "-").Replace(strings.ToLower(name)) + "@example.com"
			b := env.browserFrom(fmt.Sprintf("6.6.%d.%d", i, len(name)))
			r := b.post("http://acme.localhost:8080/login", url.Values{"email": {email}, "password": {"correct horse"}})
			if n := len(env.srv.passwordSlots); n != 0 {
				t.Fatalf("%s: %d password slots still held after the attempt (status %d)", name, n, r.StatusCode)
			}
			if r.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", name, r.StatusCode)
			}
			mustContain(t, r.Body, "reset")
		}
	}
	r := env.browserFrom("9.9.9.9").post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("good sign-in after hostile hashes: %d", r.StatusCode)
	}
}
