package cli

import (
	"flag"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"todos/app/web"
)

// parseServe parses serve's flags and environment as runServe does.
func parseServe(t *testing.T, args []string, vars map[string]string) (Config, error) {
	t.Helper()
	var cfg Config
	var errb syncBuffer
	env := Env{Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	fs := newFlagSet("todos serve", env)
	proxies := serveFlags(fs, &cfg)
	if err := parseFlags(fs, env, args); err != nil {
		t.Fatalf("%v %v: %v: %s", args, vars, err, errb.String())
	}
	return cfg, cfg.validate(*proxies)
}

func TestLimitsFromFlagsAndEnv(t *testing.T) {
	cfg, err := parseServe(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := web.Limits{LoginWindow: 15 * time.Minute, LoginFailuresPerClientAccount: 5, LoginFailuresPerClient: 50,
		LoginAccountSlowAfter: 10, LoginAccountMaxDelay: 10 * time.Second, SignupPerHour: 10, SignupGlobalPerHour: 200}
	if cfg.Limits != want || cfg.ClientIPHeader != "" {
		t.Errorf("defaults: %+v %q", cfg.Limits, cfg.ClientIPHeader)
	}
	cfg, err = parseServe(t, []string{"--signup-per-hour", "3", "--login-failures-per-client", "7"}, map[string]string{
		"TODOS_LOGIN_WINDOW":                      "1h",
		"TODOS_LOGIN_FAILURES_PER_CLIENT_ACCOUNT": "4",
		"TODOS_LOGIN_FAILURES_PER_CLIENT":         "99",
		"TODOS_LOGIN_ACCOUNT_SLOW_AFTER":          "20",
		"TODOS_LOGIN_ACCOUNT_MAX_DELAY":           "5s",
		"TODOS_SIGNUP_PER_HOUR":                   "0",
		"TODOS_SIGNUP_GLOBAL_PER_HOUR":            "50",
		"TODOS_TRUSTED_PROXIES":                   "127.0.0.1",
		"TODOS_CLIENT_IP_HEADER":                  "X-Real-IP",
	})
	if err != nil {
		t.Fatal(err)
	}
	want = web.Limits{LoginWindow: time.Hour, LoginFailuresPerClientAccount: 4, LoginFailuresPerClient: 7,
		LoginAccountSlowAfter: 20, LoginAccountMaxDelay: 5 * time.Second, SignupPerHour: 3, SignupGlobalPerHour: 50}
	if cfg.Limits != want || cfg.ClientIPHeader != "X-Real-IP" {
		t.Errorf("flags and env: %+v %q", cfg.Limits, cfg.ClientIPHeader)
	}
	if cfg, err := parseServe(t, nil, map[string]string{"TODOS_SIGNUP_PER_HOUR": "0"}); err != nil || cfg.Limits.SignupPerHour != 0 {
		t.Errorf("TODOS_SIGNUP_PER_HOUR=0 (off): %v %+v", err, cfg.Limits)
	}
	for _, bad := range [][]string{
		{"--login-failures-per-client", "0"},
		{"--login-failures-per-client-account", "-1"},
		{"--login-account-slow-after", "0"},
		{"--login-account-max-delay", "0s"},
		{"--login-account-max-delay", "1h"},
		{"--login-window", "1s"},
		{"--signup-per-hour", "-1"},
		{"--signup-global-per-hour", "-5"},
		{"--client-ip-header", "Fly-Client-IP"}, // without a trusted proxy
		{"--trusted-proxies", "127.0.0.1", "--client-ip-header", "Bad Header"},
	} {
		if _, err := parseServe(t, bad, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// Every setting of serve can be given by flag and by environment.
func TestEveryServeFlagHasAnEnvName(t *testing.T) {
	var cfg Config
	fs := newFlagSet("todos serve", Env{Stderr: &syncBuffer{}})
	serveFlags(fs, &cfg)
	fs.VisitAll(func(f *flag.Flag) {
		if name, ok := envNames[f.Name]; !ok || !strings.Contains(f.Usage, name) {
			t.Errorf("--%s: env name %q, usage %q", f.Name, name, f.Usage)
		}
	})
}

// The shipped fly.toml trusts Fly's proxy (its private IPv4 range) and
// believes the client's address only from Fly-Client-IP; nothing a client
// can write is believed. Re-widening the trusted range fails here.
func TestFlyTomlTrustsOnlyFlysProxy(t *testing.T) {
	data, err := os.ReadFile("../../fly.toml")
	if err != nil {
		t.Fatal(err)
	}
	vars, section := map[string]string{}, ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = line
		} else if k, v, ok := strings.Cut(line, "="); ok && section == "[env]" && !strings.HasPrefix(line, "#") {
			if vars[strings.TrimSpace(k)], err = strconv.Unquote(strings.TrimSpace(v)); err != nil {
				t.Fatalf("fly.toml: %s: %v", line, err)
			}
		}
	}
	for k, v := range flySecrets { // set with fly secrets set, not in fly.toml
		vars[k] = v
	}
	cfg, err := parseServe(t, nil, vars)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientIPHeader != "Fly-Client-IP" {
		t.Errorf("client IP header %q, want Fly-Client-IP", cfg.ClientIPHeader)
	}
	if len(cfg.TrustedProxies) == 0 {
		t.Errorf("no trusted proxy: Fly-Client-IP would never be believed")
	}
	for _, p := range cfg.TrustedProxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			prefix = netip.PrefixFrom(netip.MustParseAddr(p), netip.MustParseAddr(p).BitLen())
		}
		if !netip.MustParsePrefix("172.16.0.0/12").Contains(prefix.Addr()) || prefix.Bits() < 12 {
			t.Errorf("fly.toml trusts %s: only Fly's proxy range (within 172.16.0.0/12) may be trusted", p)
		}
	}
	if cfg.Limits.SignupPerHour == 0 {
		t.Errorf("fly.toml turns the sign-up limits off")
	}
}
