package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAdminList(t *testing.T) {
	dir := t.TempDir()
	if out := mustRun(t, dir, "admin", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("no admins: %q", out)
	}
	mustRun(t, dir, "admin", "create", "boss@example.com")
	mustRun(t, dir, "admin", "create", "second@example.com")
	out := mustRun(t, dir, "admin", "list")
	if !strings.Contains(out, "EMAIL") || strings.Index(out, "boss@example.com") > strings.Index(out, "second@example.com") {
		t.Errorf("admin list: %q", out)
	}
	var got []adminJSON
	if err := json.Unmarshal([]byte(mustRun(t, dir, "admin", "list", "--json")), &got); err != nil || len(got) != 2 || got[0].Email != "boss@example.com" || got[0].CreatedAt.IsZero() {
		t.Errorf("admin list --json: %+v %v", got, err)
	}
	if out := mustRun(t, dir, "admin", "list"); strings.Contains(out, "$argon2") {
		t.Error("admin list shows password hashes")
	}
}
