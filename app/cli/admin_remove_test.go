package cli

import (
	"strings"
	"testing"
)

func TestAdminRemove(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "admin", "create", "boss@example.com")
	if out := mustRun(t, dir, "admin", "remove", "BOSS@example.com"); !strings.Contains(out, "Removed admin") {
		t.Errorf("admin remove: %q", out)
	}
	if code, _, stderr := runIn(t, "", dir, "admin", "remove", "boss@example.com"); code != 1 || !strings.Contains(stderr, "no admin") {
		t.Errorf("removing an unknown admin: %d %q", code, stderr)
	}
	if code, _, _ := runIn(t, "", dir, "admin", "remove"); code != 2 {
		t.Errorf("admin remove without EMAIL: %d", code)
	}
	// The email is free again.
	mustRun(t, dir, "admin", "create", "boss@example.com")
}

func TestTenantsCreateRefusesLookAlikeNames(t *testing.T) {
	dir := t.TempDir()
	for name, says := range map[string]string{"xn--80ak6aa92e": "punycode", "ab--cd": "third and fourth", "wpad": "reserved"} {
		code, _, stderr := runIn(t, "", dir, "tenants", "create", name, "--email", "o@example.com")
		if code != 1 || !strings.Contains(stderr, says) {
			t.Errorf("tenants create %s: %d %q; want it refused saying %q", name, code, stderr, says)
		}
	}
}
