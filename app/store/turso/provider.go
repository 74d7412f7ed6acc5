package turso

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"todos/app"
	"todos/app/store"
	"todos/app/store/sqld"
)

// Defaults of Config.
const (
	// DefaultTokenLifetime is the lifetime asked for each database token;
	// a token is renewed when a quarter of it is left.
	DefaultTokenLifetime = 24 * time.Hour
)

// Locations of database name: live, and in the trash (blocked).
const (
	livePrefix  = "turso:"
	trashPrefix = "turso-trash:"
)

// Config says which organisation, and how to reach its API.
type Config struct {
	APIURL   string // DefaultAPIURL when empty
	Org      string
	APIToken Secret
	// Regions offered; each is a group of the same name, which must exist.
	Regions []app.Region
	// StagingDir holds the local files a database is prepared in (Stage).
	StagingDir string
	// APITimeout bounds one attempt of an API call (DefaultAPITimeout).
	APITimeout time.Duration
	// APIAttempts and APIBackoff bound retries on 429 and 5xx.
	APIAttempts int
	APIBackoff  time.Duration
	// CallTimeout and IdleConnTimeout guard data-plane connections (the
	// sqld package's defaults when zero).
	CallTimeout     time.Duration
	IdleConnTimeout time.Duration
	// TokenLifetime is asked for each database token (DefaultTokenLifetime).
	TokenLifetime time.Duration
	// Now is the clock of token renewal (time.Now when nil).
	Now func() time.Time
}

// Provider keeps each tenant's database in a Turso database named after
// the tenant id, in the group named after its region. Its locations are
// "turso:{name}" (live) and "turso-trash:{name}" (reads and writes
// blocked). Staged files are local files in Config.StagingDir.
type Provider struct {
	api           *Client
	tokens        *tokenCache
	roTokens      *tokenCache // read-only, for the SQL console (direct.go)
	store.Staging             // local files where copies are prepared (Stage, RemoveStaged)
	cfg           Config
}

// Provider implements store.Provider and copies its databases itself.
var (
	_ store.Provider    = (*Provider)(nil)
	_ store.Snapshotter = (*Provider)(nil)
)

// New checks cfg and returns a provider for it. It does not call the API.
func New(cfg Config) (*Provider, error) {
	api, err := NewClient(ClientConfig{APIURL: cfg.APIURL, Org: cfg.Org, Token: cfg.APIToken,
		Timeout: cfg.APITimeout, Attempts: cfg.APIAttempts, Backoff: cfg.APIBackoff})
	if err != nil {
		return nil, err
	}
	if cfg.StagingDir == "" {
		return nil, errors.New("turso provider: no staging directory")
	}
	if len(cfg.Regions) == 0 {
		cfg.Regions = []app.Region{{Code: store.LocalRegion.Code, Name: "Turso group local"}}
	}
	for _, r := range cfg.Regions {
		if !validName(r.Code) {
			return nil, fmt.Errorf("turso provider: region %q cannot name a group (lowercase letters, digits, dashes)", r.Code)
		}
	}
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = DefaultTokenLifetime
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.APIToken = "" // kept by the client only
	return &Provider{
		api:      api,
		tokens:   &tokenCache{api: api, lifetime: cfg.TokenLifetime, now: cfg.Now, tokens: map[string]cachedToken{}},
		roTokens: &tokenCache{api: api, lifetime: cfg.TokenLifetime, now: cfg.Now, tokens: map[string]cachedToken{}, readOnly: true},
		Staging:  store.NewStaging(cfg.StagingDir),
		cfg:      cfg,
	}, nil
}

// Regions returns the configured regions.
func (p *Provider) Regions() []app.Region { return append([]app.Region(nil), p.cfg.Regions...) }

// Create creates an empty database for tenantID in the group of region
// and returns its location. An existing database gives ECONFLICT.
func (p *Provider) Create(ctx context.Context, tenantID, region string) (string, error) {
	name, err := p.checkTenant(tenantID, region)
	if err != nil {
		return "", err
	}
	if _, err := p.api.CreateDatabase(ctx, name, region, nil); err != nil {
		return "", groupMissing(err, region)
	}
	return livePrefix + name, nil
}

// Provider branches its databases on Turso's servers (clone).
var _ store.Brancher = (*Provider)(nil)

// Branch creates the database of tenantID in region as a copy of the live
// database at source (Turso's branching: a seed from another database, in
// the same group) and returns its location. When the call fails in a way
// that may have created the database anyway (no answer, 5xx after the
// retries), that database is deleted again; an existing one (ECONFLICT)
// is left alone.
func (p *Provider) Branch(ctx context.Context, source, tenantID, region string) (string, error) {
	from, live, err := parseLocation(source)
	if err != nil {
		return "", err
	}
	if !live {
		return "", app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	name, err := p.checkTenant(tenantID, region)
	if err != nil {
		return "", err
	}
	if _, err := p.api.CreateDatabase(ctx, name, region, &Seed{Type: "database", Name: from}); err != nil {
		switch app.ErrorCode(err) {
		case app.ECONFLICT, app.EINVALID, app.ENOTFOUND: // refused: nothing made
		default:
			if rerr := p.Remove(context.WithoutCancel(ctx), livePrefix+name); rerr != nil {
				err = fmt.Errorf("%w (and the branch %s, if it was made, could not be deleted: %v)", err, name, rerr)
			}
		}
		return "", groupMissing(err, region)
	}
	return livePrefix + name, nil
}

// groupMissing explains an ENOTFOUND from a create: the region's group.
func groupMissing(err error, region string) error {
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.WrapError(app.EUNAVAILABLE, fmt.Sprintf("Region %q has no Turso group of that name: create it first.", region), err)
	}
	return err
}

// Open returns a handle on the live database at location, through the
// sqld package's guarded connection, with a token of that database only
// (renewed before it expires, for the handle's later connections too).
// A missing database gives ENOTFOUND, one in the trash EINVALID.
func (p *Provider) Open(ctx context.Context, location string) (*sql.DB, error) {
	// Foreign keys are off by default in SQLite, per connection; views and
	// triggers may not call functions with side effects (see sqld.Provider.Open).
	return p.open(ctx, location, "PRAGMA foreign_keys=ON", "PRAGMA trusted_schema=OFF")
}

// open is Open with the pragmas each new connection runs.
func (p *Provider) open(ctx context.Context, location string, pragmas ...string) (*sql.DB, error) {
	name, base, err := p.live(ctx, location)
	if err != nil {
		return nil, err
	}
	dsn := func(ctx context.Context) (string, error) {
		tok, err := p.tokens.get(ctx, name)
		if err != nil {
			return "", err
		}
		return base + "?authToken=" + url.QueryEscape(tok.reveal()), nil
	}
	return sqld.OpenRemoteFunc(ctx, dsn, p.cfg.CallTimeout, p.cfg.IdleConnTimeout, pragmas...)
}

// live returns the name and data-plane base URL of the live database at
// location, which must not be blocked.
func (p *Provider) live(ctx context.Context, location string) (name, base string, err error) {
	name, live, err := parseLocation(location)
	if err != nil {
		return "", "", err
	}
	if !live {
		return "", "", app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	d, err := p.api.GetDatabase(ctx, name)
	if err != nil {
		return "", "", err
	}
	if d.BlockReads {
		return "", "", app.Errorf(app.EINVALID, "This list's database is blocked on Turso. Restore it first.")
	}
	if !validHost(d.Hostname) {
		return "", "", fmt.Errorf("turso: database %s has an unexpected hostname %q", name, d.Hostname)
	}
	base = "https://" + d.Hostname
	if !p.api.Secure() {
		base = "http://" + d.Hostname // a local fake of the API
	}
	return name, base, nil
}

// OpenExclusive is not available: Turso owns the database's files.
func (p *Provider) OpenExclusive(ctx context.Context, location string) (*sql.DB, error) {
	return nil, app.Errorf(app.EUNAVAILABLE, "An exclusive open of a local file does not apply to a database on Turso.")
}

// Remove deletes the database at location (live or in the trash), or the
// staged local file at location. A missing one is not an error.
func (p *Provider) Remove(ctx context.Context, location string) error {
	name, _, err := parseLocation(location)
	if err != nil {
		if strings.HasPrefix(location, "/") {
			return p.Staging.RemoveStagedFile(ctx, location)
		}
		return err
	}
	p.tokens.forget(name)
	p.roTokens.forget(name)
	if err := p.api.DeleteDatabase(ctx, name); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	return nil
}

// checkTenant checks region and returns the database name of tenantID.
func (p *Provider) checkTenant(tenantID, region string) (string, error) {
	ok := false
	codes := make([]string, 0, len(p.cfg.Regions))
	for _, r := range p.cfg.Regions {
		ok = ok || r.Code == region
		codes = append(codes, r.Code)
	}
	if !ok {
		return "", app.Errorf(app.EINVALID, "Unknown region %q. Valid regions: %s.", region, strings.Join(codes, ", "))
	}
	name := DatabaseName(tenantID)
	if !validName(name) {
		return "", fmt.Errorf("turso provider: invalid tenant id %q", tenantID)
	}
	return name, nil
}

// DatabaseName returns the Turso database name of a tenant id: its
// underscores become dashes (tenant ids have no dashes, so no two ids
// share a name).
func DatabaseName(tenantID string) string { return strings.ReplaceAll(tenantID, "_", "-") }

// parseLocation returns the database name of a location and whether it
// is live (else in the trash).
func parseLocation(location string) (name string, live bool, err error) {
	switch {
	case strings.HasPrefix(location, livePrefix):
		name, live = strings.TrimPrefix(location, livePrefix), true
	case strings.HasPrefix(location, trashPrefix):
		name = strings.TrimPrefix(location, trashPrefix)
	}
	if !validName(name) {
		return "", false, fmt.Errorf("turso provider: %q is not a database location", location)
	}
	return name, live, nil
}

// validHost reports whether h is a plain host[:port].
func validHost(h string) bool {
	u, err := url.Parse("https://" + h)
	return err == nil && h != "" && u.Host == h && u.User == nil
}

// String describes the provider without any token.
func (p *Provider) String() string {
	return "turso.Provider{" + p.api.String() + ", staging: " + p.cfg.StagingDir + "}"
}

// GoString is String, for %#v.
func (p *Provider) GoString() string { return p.String() }
