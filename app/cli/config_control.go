package cli

import (
	"database/sql/driver"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"todos/app/store"
	"todos/app/store/sqld"
)

// ControlConfig says where the control plane lives: DATA/control.db alone
// (the default), or a remote primary shared by several servers, which
// serve keeps DATA/control.db as an embedded replica of.
type ControlConfig struct {
	URL          string        // the primary's libSQL URL; empty: local
	AuthToken    string        // its token
	SyncInterval time.Duration // how often serve pulls other servers' changes
	replica      bool          // serve: keep a local replica (else: talk to the primary)
}

// defaultControlSync is how often a replica syncs by default.
const defaultControlSync = time.Second

func init() {
	envNames["control-url"] = "TODOS_CONTROL_URL"
	envNames["control-auth-token"] = "TODOS_CONTROL_AUTH_TOKEN"
	envNames["control-sync-interval"] = "TODOS_CONTROL_SYNC_INTERVAL"
}

// controlFlags registers --control-url, --control-auth-token and
// --control-sync-interval.
func controlFlags(fs *flag.FlagSet, cc *ControlConfig) {
	fs.StringVar(&cc.URL, "control-url", "", "libSQL URL of a shared control plane's primary (a sqld namespace or a Turso database); serve keeps DATA/control.db as its embedded replica; empty: the control plane is DATA/control.db alone (env TODOS_CONTROL_URL)")
	fs.StringVar(&cc.AuthToken, "control-auth-token", "", "the token for --control-url; prefer the environment variable, which ps does not show (env TODOS_CONTROL_AUTH_TOKEN)")
	durationFlag(fs, &cc.SyncInterval, "control-sync-interval", defaultControlSync, "with --control-url: how often serve pulls changes made by other servers (env TODOS_CONTROL_SYNC_INTERVAL)")
}

// validate checks the control-plane settings.
func (cc *ControlConfig) validate() error {
	cc.URL = strings.TrimSpace(cc.URL)
	cc.AuthToken = strings.TrimSpace(cc.AuthToken)
	if cc.URL == "" {
		if cc.AuthToken != "" {
			return fmt.Errorf("--control-auth-token needs --control-url")
		}
		return nil
	}
	u, err := url.Parse(cc.URL)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" ||
		(u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "libsql") {
		return fmt.Errorf("invalid --control-url %q: want http://, https:// or libsql://host[:port], with the token in --control-auth-token", redactedURL(cc.URL))
	}
	if cc.SyncInterval < 50*time.Millisecond || cc.SyncInterval > time.Hour {
		return fmt.Errorf("invalid --control-sync-interval %s: want between 50ms and 1h", cc.SyncInterval)
	}
	return nil
}

// options returns the store options that place the control plane where cc
// says.
func (cc ControlConfig) options() []store.ControlOption {
	if cc.URL == "" {
		return nil
	}
	return []store.ControlOption{store.WithReplica(store.Replica{
		URL:       cc.URL,
		AuthToken: cc.AuthToken,
		Direct:    !cc.replica,
		Guard: func(inner driver.Connector) driver.Connector {
			return sqld.Guard(inner, 0, store.ControlUnavailable)
		},
	})}
}

// redactedURL returns s without query string or user information (where a
// token may have been put by mistake), for messages.
func redactedURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable)"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}
