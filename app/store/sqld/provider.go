package sqld

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"todos/app"
	"todos/app/store"
)

// Region is the only region of a Provider: the server it is given.
var Region = app.Region{Code: store.LocalRegion.Code, Name: "This libSQL server"}

// Defaults of Config.
const (
	// DefaultCallTimeout bounds each call to the server: go-libsql waits
	// forever on a server that accepted a connection and stopped answering.
	DefaultCallTimeout = 10 * time.Second
	// DefaultIdleConnTimeout closes a connection idle this long, below
	// sqld's ~10 s expiry of idle streams (database/sql checks idle
	// connections only every IdleConnTimeout, so one may live up to twice
	// as long).
	DefaultIdleConnTimeout = 4 * time.Second
)

// Locations of a namespace ns: live, and in the trash (blocked).
const (
	livePrefix  = "sqld:"
	trashPrefix = "sqld-trash:"
)

// trashReason is the block_reason of a namespace in the trash.
const trashReason = "todos: in the trash"

// Config says where the server is.
type Config struct {
	// URL is the server's data-plane base URL, e.g. http://localhost:8081;
	// namespace ns is reached at http://ns.localhost:8081.
	URL string
	// AdminURL is the base URL of its admin API, e.g. http://127.0.0.1:9091.
	AdminURL string
	// StagingDir holds the local files a database is prepared in (Stage).
	StagingDir string
	// CallTimeout bounds each call (DefaultCallTimeout when zero).
	CallTimeout time.Duration
	// IdleConnTimeout closes idle connections (DefaultIdleConnTimeout when
	// zero); it must stay below the server's stream expiry.
	IdleConnTimeout time.Duration
	// AuthKeyFile is a file, private to this user, with the Ed25519
	// private key (PKCS#8 PEM) whose public half the server checks tokens
	// with (--auth-jwt-key-file). Empty: no auth.
	AuthKeyFile string
}

// Provider keeps each tenant's database in a namespace of a libSQL server,
// named after the tenant id. Its locations are "sqld:{ns}" (live) and
// "sqld-trash:{ns}" (in the trash: the namespace is kept, its reads and
// writes blocked). Staged files are local files in Config.StagingDir.
type Provider struct {
	base          *url.URL
	admin         *adminClient
	store.Staging // local files where copies are prepared (Stage, RemoveStaged)
	cfg           Config
	signer        *tokenSigner // nil without auth
}

// Provider implements store.Provider.
var _ store.Provider = (*Provider)(nil)

// New checks cfg and returns a provider for it. It does not contact the
// server.
func New(cfg Config) (*Provider, error) {
	base, err := parseBase("--sqld-url", cfg.URL)
	if err != nil {
		return nil, err
	}
	admin, err := parseBase("--sqld-admin-url", cfg.AdminURL)
	if err != nil {
		return nil, err
	}
	if cfg.StagingDir == "" {
		return nil, errors.New("sqld provider: no staging directory")
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.IdleConnTimeout <= 0 {
		cfg.IdleConnTimeout = DefaultIdleConnTimeout
	}
	p := &Provider{
		base:    base,
		admin:   &adminClient{base: strings.TrimSuffix(admin.String(), "/"), http: &http.Client{}, timeout: cfg.CallTimeout},
		Staging: store.NewStaging(cfg.StagingDir),
		cfg:     cfg,
	}
	if cfg.AuthKeyFile != "" {
		if p.signer, err = loadSigner(cfg.AuthKeyFile); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseBase checks that raw is an http(s) URL with a host and nothing
// after it but an optional "/".
func parseBase(flag, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("invalid %s %q: want a base URL such as http://localhost:8081", flag, raw)
	}
	u.Path = ""
	return u, nil
}

// Regions returns Region.
func (p *Provider) Regions() []app.Region { return []app.Region{Region} }

// Create creates an empty namespace named tenantID and returns its
// location. An existing namespace gives ECONFLICT.
func (p *Provider) Create(ctx context.Context, tenantID, region string) (string, error) {
	if err := checkTenant(tenantID, region); err != nil {
		return "", err
	}
	if err := p.admin.create(ctx, tenantID); errors.Is(err, errNamespaceExists) {
		return "", app.WrapError(app.ECONFLICT, "This list's database already exists.", err)
	} else if err != nil {
		return "", err
	}
	return livePrefix + tenantID, nil
}

// Open returns a handle on the live namespace at location: one connection
// (one writer per namespace, as sqld needs), closed after IdleConnTimeout
// idle, every call bounded by CallTimeout. The namespace must exist
// (ENOTFOUND) and not be in the trash (EINVALID).
func (p *Provider) Open(ctx context.Context, location string) (*sql.DB, error) {
	ns, live, err := parseLocation(location)
	if err != nil {
		return nil, err
	}
	if !live {
		return nil, app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	cfg, err := p.admin.config(ctx, ns)
	if errors.Is(err, errNoNamespace) {
		return nil, app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	} else if err != nil {
		return nil, err
	}
	if cfg.BlockReads {
		return nil, app.Errorf(app.EINVALID, "This list's database is blocked on its server. Restore it first.")
	}
	// Foreign keys are off by default in SQLite, per connection. Views and
	// triggers may not call functions with side effects, as on local files
	// (sqld answers "unsupported statement" but applies it: conn.connect
	// reads it back).
	return p.open(ns, "PRAGMA foreign_keys=ON", "PRAGMA trusted_schema=OFF")
}

// open returns a one-connection handle on namespace ns whose connections
// run pragmas. With auth, each connection carries its own token for ns
// alone (see openAuth).
func (p *Provider) open(ns string, pragmas ...string) (*sql.DB, error) {
	if p.signer != nil {
		return p.openAuth(ns, ns, pragmas...), nil
	}
	inner, err := store.OpenConnector(p.namespaceURL(ns))
	if err != nil {
		return nil, fmt.Errorf("sqld: open namespace %s: %w", ns, err)
	}
	return p.handle(&connector{inner: inner, pragmas: pragmas, timeout: p.cfg.CallTimeout}, 0), nil
}

// handle returns a one-connection handle on c's namespace, its connection
// closed after IdleConnTimeout idle or, when lifetime is not zero, once it
// is that old and back in the pool.
func (p *Provider) handle(c *connector, lifetime time.Duration) *sql.DB {
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(p.cfg.IdleConnTimeout)
	db.SetConnMaxLifetime(lifetime)
	return db
}

// namespaceURL returns the data-plane URL of ns: its name as the first
// label of the server's host.
func (p *Provider) namespaceURL(ns string) string {
	u := *p.base
	u.Host = ns + "." + u.Host
	return u.String()
}

// OpenExclusive is not available: the server owns the database's files,
// and the pool asks for it only when a local disk is full.
func (p *Provider) OpenExclusive(ctx context.Context, location string) (*sql.DB, error) {
	return nil, app.Errorf(app.EUNAVAILABLE, "An exclusive open of a local file does not apply to a database on a libSQL server.")
}

// Remove deletes the namespace at location (live or in the trash), or the
// staged local file at location. A missing one is not an error.
func (p *Provider) Remove(ctx context.Context, location string) error {
	ns, _, err := parseLocation(location)
	if err != nil {
		if strings.HasPrefix(location, "/") {
			return p.Staging.RemoveStagedFile(ctx, location)
		}
		return err
	}
	if err := p.admin.remove(ctx, ns); err != nil && !errors.Is(err, errNoNamespace) {
		return err
	}
	return nil
}

// parseLocation returns the namespace of a location and whether it is
// live (else in the trash).
func parseLocation(location string) (ns string, live bool, err error) {
	switch {
	case strings.HasPrefix(location, livePrefix):
		ns, live = strings.TrimPrefix(location, livePrefix), true
	case strings.HasPrefix(location, trashPrefix):
		ns = strings.TrimPrefix(location, trashPrefix)
	}
	if !validNamespace(ns) {
		return "", false, fmt.Errorf("sqld provider: %q is not a namespace location", location)
	}
	return ns, live, nil
}

// checkTenant checks a tenant id (it becomes a host label) and a region.
func checkTenant(tenantID, region string) error {
	if region != Region.Code {
		return app.Errorf(app.EINVALID, "Unknown region %q. Valid regions: %s.", region, Region.Code)
	}
	if !validNamespace(tenantID) {
		return fmt.Errorf("sqld provider: invalid tenant id %q", tenantID)
	}
	return nil
}

// validNamespace reports whether id is a tenant id usable as a namespace
// and a host label: a valid tenant id (store.ValidTenantID) of at most 63
// characters, a host label's limit.
func validNamespace(id string) bool { return len(id) <= 63 && store.ValidTenantID(id) }
