package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminCommandsSayTheEmailIsMissing: "todos admin create" and "remove"
// without an email say that the email is missing, not a tenant's name.
func TestAdminCommandsSayTheEmailIsMissing(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ args []string }{
		{[]string{"admin", "create", "--data", dir}},
		{[]string{"admin", "remove", "--data", dir}},
	} {
		code, _, stderr := run(t, tt.args, "", nil)
		want := "todos admin " + tt.args[1] + ": missing EMAIL, the "
		if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "email address") ||
			strings.Contains(stderr, "NAME") || !strings.Contains(stderr, "todos admin "+tt.args[1]+" EMAIL") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, want)
		}
	}
	if code, _, stderr := run(t, []string{"tenants", "create", "--email", "o@example.com", "--data", dir}, "", nil); code != 2 ||
		!strings.Contains(stderr, "todos tenants create: missing tenant NAME") {
		t.Errorf("tenants create without a name: %d %q", code, stderr)
	}
}

// TestMessagesNameWhatTheyAreAbout: a failure names the tenant or admin
// the command was about.
func TestMessagesNameWhatTheyAreAbout(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"TODOS_DATA": dir}
	if code, out, stderr := run(t, []string{"tenants", "create", "acme", "--email", "o@example.com"}, "", vars); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"tenants", "delete", "nosuch"}, "todos: tenant nosuch: There is no list with that name.\n"},
		{[]string{"tenants", "suspend", "nosuch"}, "todos: tenant nosuch: There is no list with that name.\n"},
		{[]string{"tenants", "purge", "nosuch"}, "todos: tenant nosuch: "},
		{[]string{"tenants", "export", "nosuch", filepath.Join(dir, "x.db")}, "todos: tenant nosuch: There is no list with that name.\n"},
		{[]string{"tenants", "clone", "nosuch", "copy"}, "todos: tenant nosuch: There is no list with that name.\n"},
		{[]string{"tenants", "recount", "nosuch"}, "todos: tenant nosuch: There is no list with that name.\n"},
		{[]string{"tenants", "resume", "acme"}, `todos: The list "acme" is not suspended.`},
		{[]string{"tenants", "create", "acme", "--email", "o@example.com"}, `todos: The name "acme" is already taken.`},
		{[]string{"admin", "remove", "who@example.com"}, `who@example.com`},
		{[]string{"admin", "create", "not-an-email"}, `todos: "not-an-email" is not a valid email address.`},
	} {
		code, _, stderr := run(t, tt.args, "", vars)
		if code != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestMissingDataDirIsAnError: every command but serve refuses a data
// directory that does not exist, and does not create it; serve creates it.
func TestMissingDataDirIsAnError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{
		{"tenants", "list"},
		{"tenants", "list", "--trash", "--json"},
		{"tenants", "create", "acme", "--email", "o@example.com"},
		{"tenants", "delete", "acme"},
		{"tenants", "export", "acme", filepath.Join(t.TempDir(), "acme.db")},
		{"tenants", "recount"},
		{"tenants", "reconcile"},
		{"tenants", "move", "acme", "--region", "local"},
		{"admin", "create", "boss@example.com"},
		{"admin", "remove", "boss@example.com"},
		{"migrate"},
		{"backup", "--out", filepath.Join(t.TempDir(), "backup")},
	} {
		code, out, stderr := run(t, append(args, "--data", dir), "", nil)
		want := "todos: data directory " + dir + " does not exist (--data or TODOS_DATA)"
		if code != 1 || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", args, code, out, stderr, want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("%v created the data directory: %v", args, err)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, []string{"tenants", "list", "--data", file}, "", nil); code != 1 || !strings.Contains(stderr, "is not a directory") {
		t.Errorf("data directory that is a file: %d %q", code, stderr)
	}
	serveBriefly(t, dir)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("serve did not create the data directory: %v", err)
	}
	if code, out, stderr := run(t, []string{"tenants", "list", "--data", dir}, "", nil); code != 0 || !strings.Contains(out, "NAME") {
		t.Errorf("list after serve: %d %q %q", code, out, stderr)
	}
}
