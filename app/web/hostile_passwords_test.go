package web

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// importWithHash imports a list whose owner's password hash is hash, as
// name, and fails unless the import is accepted (the hash is the only
// thing wrong with the file; it is found out at sign-in).
func importWithHash(t *testing.T, h *hostileEnv, name, hash string) string {
	t.Helper()
	file := craftDB(t, "UPDATE users SET password_hash = '"+strings.ReplaceAll(hash, "'", "''")+"'")
	if r := h.admin.importFile(name, file); h.tenant(name) == nil {
		t.Fatalf("import %s: %d %s", name, r.StatusCode, h.admin.follow(r))
	}
	return "http://" + name + ".localhost:8080"
}

// wantSignInAnswered makes n sign-ins on base from n addresses (through the
// proxy behindProxy trusts), and fails unless each is refused plainly:
// not a 500, not a hang.
func wantSignInAnswered(t *testing.T, h *hostileEnv, base string, n int) {
	t.Helper()
	for i := range n {
		w := h.wire("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		r := w.login(base, ownerEmail, ownerPassword)
		if r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusForbidden {
			t.Errorf("sign-in %d on %s: %d\n%s", i, base, r.StatusCode, clipBody(r.Body))
		}
	}
}

// TestHostilePasswords: a password hash from an imported file is checked
// only when its costs are the product's own (or less): it can neither
// crash nor hang nor exhaust the server, and its owner is told the
// password must be reset.
func TestHostilePasswords(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "password-hash-zero-time", finding: "6", isolated: true, configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			// The reproduction: each attempt panicked and kept a
			// hashing slot; after four, every sign-in everywhere hung.
			base := importWithHash(t, h, "zerotime", argon2Hash(19456, 0, 1))
			wantSignInAnswered(t, h, base, 6)
			wantOwnerGetsIn(t, h, adminURL, "X-Forwarded-For", ownerAddr)
		}},
		{name: "password-hash-zero-threads", finding: "6", isolated: true, configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			base := importWithHash(t, h, "zerothreads", argon2Hash(19456, 2, 0))
			wantSignInAnswered(t, h, base, 6)
			wantOwnerGetsIn(t, h, adminURL, "X-Forwarded-For", ownerAddr)
		}},
		{name: "password-hash-huge-time", finding: "6", isolated: true, configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			// Four billion passes: a hashing slot taken for good.
			base := importWithHash(t, h, "hugetime", argon2Hash(8, 4294967295, 1))
			wantSignInAnswered(t, h, base, 1)
		}},
		{name: "password-hash-huge-memory", finding: "6", serial: true, configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			// 256 MiB per attempt, where the product's own hashes take 19.
			base := importWithHash(t, h, "hugememory", argon2Hash(256<<10, 1, 1))
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			wantSignInAnswered(t, h, base, 1)
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("a sign-in against the imported hash allocated %d MiB", grew>>20)
			}
		}},
		{name: "password-hash-garbage", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			for i, hash := range []string{
				"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5",
				"$argon2id$v=19$m=-1,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=19456,t=2,p=1$!!!$!!!",
				"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 100<<10),
			} {
				base := importWithHash(t, h, fmt.Sprintf("garbage-%d", i), hash)
				wantSignInAnswered(t, h, base, 1)
			}
		}},
	})
}
