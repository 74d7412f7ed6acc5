package cli

import (
	"regexp"
	"strings"
	"testing"
)

// singleDashFlag finds a flag written with one dash in the command's
// output: " -data", "(-json", ", -x".
var singleDashFlag = regexp.MustCompile(`(^|[\s(,])-[a-z][a-z-]+`)

// TestBadFlagPrintsShortUsage: a flag the command does not know, or a bad
// value, is named with two dashes, followed by the command's synopsis, its
// flags (two dashes) and where to read more; exit 2.
func TestBadFlagPrintsShortUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"tenants", "list", "--bogus", "--data", dir},
			[]string{"todos tenants list: flag provided but not defined: --bogus\n", "Usage:\n  todos tenants list [--trash] [--json]",
				"--data,", "--json,", "--trash", `See "todos tenants list --help"`, `"todos help"`}},
		{[]string{"serve", "-pool-size", "many"},
			[]string{`todos serve: invalid value "many" for flag --pool-size: parse error`, "todos serve [flags]", "--trash-retention,", `"todos help"`}},
		{[]string{"admin", "create", "a@example.com", "--data"},
			[]string{"todos admin create: flag needs an argument: --data", "todos admin create EMAIL"}},
		{[]string{"tenants", "delete", "acme", "--force"},
			[]string{"todos tenants delete: flag provided but not defined: --force", "todos tenants delete NAME"}},
	} {
		code, out, stderr := run(t, tt.args, "", nil)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", tt.args, code, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, stderr)
			}
		}
		if m := singleDashFlag.FindString(stderr); m != "" {
			t.Errorf("%v: single-dash flag %q in:\n%s", tt.args, m, stderr)
		}
	}
}

// TestHelpTopics: "todos help TOPIC", "todos TOPIC --help" and "-h" show
// the topic on stdout and exit 0; flags are listed with two dashes, their
// type and default.
func TestHelpTopics(t *testing.T) {
	tenants := []string{"todos tenants list [--trash] [--json]", "todos tenants create NAME --email EMAIL", "todos tenants reconcile [--fix] [--json]", "--data DIR"}
	admin := []string{"todos admin create EMAIL", "todos admin remove EMAIL"}
	for _, tt := range []struct {
		args          []string
		want, notWant []string
	}{
		{[]string{"help"}, append(tenants, "todos serve [flags]", "todos version", "7d"), nil},
		{[]string{"--help"}, []string{"todos serve [flags]"}, nil},
		{[]string{"help", "tenants"}, tenants, []string{"todos admin create", "todos serve [flags]"}},
		{[]string{"tenants", "--help"}, tenants, []string{"todos admin create"}},
		{[]string{"tenants", "-h"}, tenants, []string{"todos admin create"}},
		{[]string{"tenants", "help"}, tenants, nil},
		{[]string{"help", "admin"}, admin, []string{"todos tenants list"}},
		{[]string{"admin", "--help"}, admin, []string{"todos tenants list"}},
		{[]string{"help", "serve"}, []string{"todos serve [flags]", "\n  --addr string\n", "(default \":8080\")",
			"\n  --trash-retention DURATION\n", "(default 7d)", "--login-window DURATION", "TODOS_TRASH_RETENTION"}, []string{"todos tenants"}},
		{[]string{"serve", "-h"}, []string{"todos serve [flags]", "--trash-retention DURATION"}, nil},
		{[]string{"help", "tenants", "list"}, []string{"todos tenants list [--trash] [--json]", "\n  --json\n", "\n  --trash\n", "--data string"}, nil},
		{[]string{"tenants", "list", "--help"}, []string{"todos tenants list [--trash] [--json]", "\n  --json\n"}, nil},
		{[]string{"tenants", "delete", "--help"}, []string{"todos tenants delete NAME", "--data string"}, nil},
		{[]string{"admin", "create", "--help"}, []string{"todos admin create EMAIL", "--data string"}, nil},
		{[]string{"help", "migrate"}, []string{"todos migrate [--dry-run] [--json]", "--concurrency int", "\n  --json\n"}, nil},
		{[]string{"help", "backup"}, []string{"todos backup --out DIR", "--restore-dir string"}, nil},
		{[]string{"help", "version"}, []string{"todos version"}, nil},
	} {
		code, out, stderr := run(t, tt.args, "", nil)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", tt.args, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help lacks %q:\n%s", tt.args, w, out)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%v: help has %q:\n%s", tt.args, w, out)
			}
		}
		if m := singleDashFlag.FindString(out); m != "" {
			t.Errorf("%v: single-dash flag %q in:\n%s", tt.args, m, out)
		}
	}
	if code, _, stderr := run(t, []string{"help", "nope"}, "", nil); code != 2 || !strings.Contains(stderr, `unknown topic "nope"`) {
		t.Errorf("help nope: %d %q", code, stderr)
	}
	for _, args := range [][]string{{"tenants"}, {"tenants", "nope"}, {"admin"}, {"admin", "nope"}} {
		code, out, stderr := run(t, args, "", nil)
		if code != 2 || out != "" || !strings.Contains(stderr, "todos "+args[0]+": ") || !strings.Contains(stderr, "todos "+args[0]+" ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
	if code, _, stderr := run(t, []string{"nope"}, "", nil); code != 2 || !strings.Contains(stderr, `Run "todos help"`) {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}
