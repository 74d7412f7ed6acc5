package cli

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"todos/app/web"
)

// Config is the server's configuration from flags and environment.
type Config struct {
	Addr            string
	DataDir         string
	Domain          string
	PoolSize        int
	TrustedProxies  []string
	ClientIPHeader  string
	Limits          web.Limits
	LogFormat       string
	ShutdownTimeout time.Duration
	TrashRetention  time.Duration
	PprofAddr       string
	Provider        ProviderConfig
	Regions         RegionConfig
	Mail            MailConfig
}

// envNames maps each flag to its environment variable.
var envNames = map[string]string{
	"addr":             "TODOS_ADDR",
	"data":             "TODOS_DATA",
	"domain":           "TODOS_DOMAIN",
	"pool-size":        "TODOS_POOL_SIZE",
	"trusted-proxies":  "TODOS_TRUSTED_PROXIES",
	"client-ip-header": "TODOS_CLIENT_IP_HEADER",

	"login-window":                      "TODOS_LOGIN_WINDOW",
	"login-failures-per-client-account": "TODOS_LOGIN_FAILURES_PER_CLIENT_ACCOUNT",
	"login-failures-per-client":         "TODOS_LOGIN_FAILURES_PER_CLIENT",
	"login-account-slow-after":          "TODOS_LOGIN_ACCOUNT_SLOW_AFTER",
	"login-account-max-delay":           "TODOS_LOGIN_ACCOUNT_MAX_DELAY",
	"signup-per-hour":                   "TODOS_SIGNUP_PER_HOUR",
	"signup-global-per-hour":            "TODOS_SIGNUP_GLOBAL_PER_HOUR",

	"log-format":       "TODOS_LOG_FORMAT",
	"shutdown-timeout": "TODOS_SHUTDOWN_TIMEOUT",
	"trash-retention":  "TODOS_TRASH_RETENTION",
	"pprof-addr":       "TODOS_PPROF_ADDR",

	"provider":       "TODOS_PROVIDER",
	"sqld-url":       "TODOS_SQLD_URL",
	"sqld-admin-url": "TODOS_SQLD_ADMIN_URL",
	"sqld-auth-key":  "TODOS_SQLD_AUTH_KEY",

	"smtp-url":  "TODOS_SMTP_URL",
	"mail-from": "TODOS_MAIL_FROM",

	"region":  "TODOS_REGION",
	"regions": "TODOS_REGIONS",
}

// envFallbacks names a second variable read when a flag's own is unset.
var envFallbacks = map[string]string{"region": "FLY_REGION"}

// newFlagSet returns the flag set of a command whose usage lists env names.
func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// parseFlags prints errors and help itself, with --double-dash names.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// storageFlags registers where a command finds its storage: --data and the
// provider of the tenant databases (--provider and its settings). Every
// command that opens the storage takes them, so that it uses the same
// databases as the server.
func storageFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.DataDir, "data", "./data", "data directory (env TODOS_DATA)")
	providerFlags(fs, &cfg.Provider)
	regionsFlag(fs, &cfg.Regions)
}

// parseFlags applies environment defaults then flags; flags win. It checks
// every value and returns errUsage after printing what is wrong.
func parseFlags(fs *flag.FlagSet, env Env, args []string) error {
	// Environment first: set each flag that has a variable, as if typed.
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name, ok := envNames[f.Name]
		if !ok || envErr != nil {
			return
		}
		v := env.Getenv(name)
		if fb, ok := envFallbacks[f.Name]; ok && v == "" {
			v, name = env.Getenv(fb), fb
		}
		if v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("invalid value %q for %s: %v", v, name, err)
			}
		}
	})
	if envErr != nil {
		fmt.Fprintln(env.Stderr, "todos:", envErr)
		return errUsage
	}
	loadEnvOnly(fs, env)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			commandHelp(env.Stdout, fs)
			return err
		}
		commandUsageError(env.Stderr, fs, doubleDash(err.Error()))
		return errUsage
	}
	return nil
}

// serveFlags registers the server's flags.
func serveFlags(fs *flag.FlagSet, cfg *Config) (proxies *string) {
	fs.StringVar(&cfg.Addr, "addr", ":8080", "listen address (env TODOS_ADDR)")
	storageFlags(fs, cfg)
	regionFlag(fs, &cfg.Regions)
	fs.StringVar(&cfg.Domain, "domain", "localhost", "bare domain; tenants are served on {name}.{domain} (env TODOS_DOMAIN)")
	fs.IntVar(&cfg.PoolSize, "pool-size", 256, "open tenant databases kept in the LRU pool (env TODOS_POOL_SIZE)")
	proxies = fs.String("trusted-proxies", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-* headers are trusted (env TODOS_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.ClientIPHeader, "client-ip-header", "", "header in which a trusted proxy puts the client's address, e.g. Fly-Client-IP; empty: X-Forwarded-For (env TODOS_CLIENT_IP_HEADER)")
	limitFlags(fs, &cfg.Limits)
	mailFlags(fs, &cfg.Mail)
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json (env TODOS_LOG_FORMAT)")
	durationFlag(fs, &cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long in-flight requests may finish on shutdown (env TODOS_SHUTDOWN_TIMEOUT)")
	durationFlag(fs, &cfg.TrashRetention, "trash-retention", 7*24*time.Hour, "how long deleted tenants stay restorable before they are purged (env TODOS_TRASH_RETENTION)")
	fs.StringVar(&cfg.PprofAddr, "pprof-addr", "", "serve net/http/pprof on this loopback address, e.g. 127.0.0.1:6060; empty: off (env TODOS_PPROF_ADDR)")
	return proxies
}

// validate checks the server configuration.
func (c *Config) validate(proxies string) error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("invalid --addr %q: want host:port, e.g. :8080", c.Addr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("invalid --addr %q: bad port", c.Addr)
	}
	c.Domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(c.Domain), "."))
	if c.Domain == "" || strings.ContainsAny(c.Domain, ":/ ") {
		return fmt.Errorf("invalid --domain %q: want a host name such as localhost or todos.example.com", c.Domain)
	}
	if c.PoolSize < 1 || c.PoolSize > 1_000_000 {
		return fmt.Errorf("invalid --pool-size %d: want 1 to 1000000", c.PoolSize)
	}
	if c.DataDir == "" {
		return fmt.Errorf("--data must not be empty")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("invalid --log-format %q: want text or json", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("invalid --shutdown-timeout %s: want a positive duration", c.ShutdownTimeout)
	}
	if c.TrashRetention < time.Minute {
		return fmt.Errorf("invalid --trash-retention %s: want at least 1m", c.TrashRetention)
	}
	if err := checkLoopback(c.PprofAddr); err != nil {
		return fmt.Errorf("invalid --pprof-addr %q: %v", c.PprofAddr, err)
	}
	if err := validateLimits(c.Limits); err != nil {
		return err
	}
	if err := c.Provider.validate(); err != nil {
		return err
	}
	if err := c.Regions.validate(); err != nil {
		return err
	}
	if err := c.Mail.validate(); err != nil {
		return err
	}
	c.ClientIPHeader = strings.TrimSpace(c.ClientIPHeader)
	if strings.ContainsAny(c.ClientIPHeader, " :,\t") {
		return fmt.Errorf("invalid --client-ip-header %q: want a header name such as Fly-Client-IP", c.ClientIPHeader)
	}
	if c.ClientIPHeader != "" && strings.TrimSpace(proxies) == "" {
		return fmt.Errorf("--client-ip-header needs --trusted-proxies: the header is believed only from a trusted proxy")
	}
	for _, p := range strings.Split(proxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("invalid --trusted-proxies entry %q: want an IP or CIDR", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}

// checkLoopback accepts an empty address (off) or host:port whose host is a
// loopback IP or "localhost": profiles show the process's internals and
// must never be reachable from outside the machine.
func checkLoopback(addr string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, e.g. 127.0.0.1:6060")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("bad port")
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("the profiler listens on loopback only: use 127.0.0.1 or [::1]")
	}
	return nil
}
