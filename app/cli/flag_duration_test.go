package cli

import (
	"flag"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"90s": 90 * time.Second, "15m": 15 * time.Minute, "1h30m": 90 * time.Minute,
		"7d": 7 * day, "1d12h": 36 * time.Hour, "0d": 0, " 2d ": 2 * day,
	}
	for in, want := range good {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "7", "d", "7days", "1w", "-1d", "1d-2h", "1d+2h", "soon", "99999999d"} {
		if _, err := parseDuration(in); err == nil || !strings.Contains(err.Error(), "7d") {
			t.Errorf("parseDuration(%q): %v; want an error naming the format", in, err)
		}
	}
	var d time.Duration
	v := (*durationValue)(&d)
	for in, want := range map[string]string{"168h": "7d", "36h": "36h", "90s": "1m30s", "15m": "15m", "1h30m": "1h30m",
		"10s": "10s", "0s": "0s", "1h0m10s": "1h0m10s", "500ms": "500ms", "2h": "2h"} {
		if err := v.Set(in); err != nil || v.String() != want {
			t.Errorf("Set(%q): String() = %q, %v; want %q", in, v.String(), err, want)
		}
	}
}

// TestDurationFlags: every duration flag of serve takes days, from the
// command line and from the environment, and a bad value says what a
// duration looks like.
func TestDurationFlags(t *testing.T) {
	var cfg Config
	fs := newFlagSet("todos serve", Env{})
	serveFlags(fs, &cfg)
	vars := map[string]string{"TODOS_LOGIN_WINDOW": "1d"}
	env := Env{Getenv: func(k string) string { return vars[k] }, Stderr: &strings.Builder{}}
	if err := parseFlags(fs, env, []string{"--trash-retention", "30d", "--shutdown-timeout", "1m", "--control-sync-interval", "2s"}); err != nil {
		t.Fatal(err)
	}
	if cfg.TrashRetention != 30*day || cfg.Limits.LoginWindow != day || cfg.ShutdownTimeout != time.Minute ||
		cfg.Provider.Control.SyncInterval != 2*time.Second {
		t.Errorf("parsed %v %v %v %v", cfg.TrashRetention, cfg.Limits.LoginWindow, cfg.ShutdownTimeout, cfg.Provider.Control.SyncInterval)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(*durationValue); !ok && strings.Contains(f.Usage, "how long") {
			t.Errorf("--%s reads like a duration but is not a durationValue", f.Name)
		}
	})
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"serve", "--trash-retention", "a week"}, nil,
			`invalid value "a week" for flag --trash-retention: want a duration such as 90s, 15m, 12h, 1h30m or 7d`},
		{[]string{"serve", "--data", dir}, map[string]string{"TODOS_LOGIN_WINDOW": "1 day"},
			`invalid value "1 day" for TODOS_LOGIN_WINDOW: want a duration such as`},
		{[]string{"serve", "--data", dir, "--login-window", "2d"}, nil, "invalid --login-window 48h0m0s: want 1m to 24h"},
	} {
		code, _, stderr := run(t, tt.args, "", tt.vars)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
