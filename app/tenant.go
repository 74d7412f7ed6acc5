package app

import (
	"context"
	"io"
	"strings"
	"time"
)

// Tenant name limits.
const (
	TenantNameMinLength = 3
	TenantNameMaxLength = 30
)

// TenantStatus is the lifecycle state of a tenant.
type TenantStatus string

// Tenant statuses.
const (
	TenantActive    TenantStatus = "active"
	TenantSuspended TenantStatus = "suspended"
	// TenantDeleted tenants are in the trash: gone from their host, their
	// database kept until the retention period ends or an admin purges it.
	TenantDeleted TenantStatus = "deleted"
)

// Tenant is one customer: a named TODO list with a database of its own.
// Its counters and LastActiveAt are kept current by the control plane so that
// listing tenants never opens their databases.
type Tenant struct {
	ID             string       // generated, stable; names the database
	Name           string       // the subdomain, unique
	Region         string       // region code chosen at sign-up
	Location       string       // where the database lives (a path or a URL)
	Status         TenantStatus //
	CreatedAt      time.Time    //
	LastActiveAt   time.Time    //
	TodoCount      int          // number of todos
	CompletedCount int          // number of completed todos
	SchemaVersion  int          // last tenant migration applied, 0 if unknown
	DeletedAt      time.Time    // when it went to the trash (TenantDeleted)
	// SuspendReason is what the admin who suspended it gave as the reason,
	// shown to its users on the suspended page ("": none given).
	SuspendReason string
}

// reservedNames are names that can never be tenants: hosts of the product
// itself, names that would confuse users, and hosts that mail clients,
// mail servers and browsers look up by name on their own (autoconfig,
// autodiscover, mta-sts, wpad, isatap).
var reservedNames = map[string]bool{
	"admin": true, "www": true, "api": true, "app": true, "static": true,
	"assets": true, "mail": true, "status": true, "help": true, "docs": true,
	"blog": true, "localhost": true, "todos": true, "support": true,
	"billing": true, "login": true, "signup": true, "auth": true,
	"dashboard": true, "metrics": true, "smtp": true, "ftp": true,
	"autoconfig": true, "autodiscover": true, "mta-sts": true, "wpad": true,
	"isatap": true, "imap": true, "pop3": true, "webmail": true, "ns1": true,
	"ns2": true, "cdn": true, "postmaster": true, "hostmaster": true,
	"webmaster": true, "abuse": true, "security": true,
}

// IsReservedName reports whether name may never be used by a tenant.
func IsReservedName(name string) bool { return reservedNames[name] }

// TenantNameRule is the user-facing description of what a name may be.
const TenantNameRule = "Use 3 to 30 characters: lowercase letters a-z, digits 0-9 and dashes, " +
	"not starting or ending with a dash, and not with two dashes as the third and fourth characters."

// NormalizeTenantName lowercases and validates a tenant name typed by a user.
// It returns an EINVALID error that says what is allowed. Only ASCII is
// lowercased: a character outside a-z, 0-9 and "-" is refused, never
// mapped to one (the Kelvin sign is not a "k").
func NormalizeTenantName(s string) (string, error) {
	name := strings.TrimSpace(s)
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= 'A' && c <= 'Z' {
			name = asciiLower(name)
			break
		}
	}
	if err := checkTenantName(name, s); err != nil {
		return "", err
	}
	return name, nil
}

// NormalizeTenantLookup lowercases a name typed to find an existing tenant
// and checks only the syntax every tenant name has always had (3 to 30 of
// a-z, 0-9 and "-", no dash at either end), so that a tenant created
// before a newer rule ("xn--…", a newly reserved name) can still be found
// by admin actions to be exported, suspended or deleted. Names of new
// tenants go through NormalizeTenantName.
func NormalizeTenantLookup(s string) (string, error) {
	name := asciiLower(strings.TrimSpace(s))
	if err := checkTenantName(name, s); err != nil && !isLegacyTenantName(name) {
		return "", err
	}
	return name, nil
}

// isLegacyTenantName reports whether name passes the rules tenant names
// had before look-alike and reserved names were refused.
func isLegacyTenantName(name string) bool {
	return len(name) >= TenantNameMinLength && len(name) <= TenantNameMaxLength && IsHostLabel(name)
}

// IsHostLabel reports whether name is a DNS label of lowercase letters a-z,
// digits and dashes, 1 to 63 of them, not starting or ending with a dash.
func IsHostLabel(name string) bool {
	if name == "" || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// CheckTenantName returns nil if name, as stored (lowercase, trimmed), may
// be a tenant's name, or the EINVALID error that says why not. The host
// router uses it to answer a host that can name no tenant without looking
// it up.
func CheckTenantName(name string) error { return checkTenantName(name, name) }

// checkTenantName checks name; typed is what the user typed, for messages.
func checkTenantName(name, typed string) error {
	if name == "" {
		return Errorf(EINVALID, "Please choose a name for your list. %s", TenantNameRule)
	}
	invalid := Errorf(EINVALID, "%q is not a valid name. %s", clip(typed, 40), TenantNameRule)
	if len(name) < TenantNameMinLength || len(name) > TenantNameMaxLength {
		return invalid
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return invalid
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return invalid
	}
	// IDNA reserves labels with "--" as their third and fourth characters;
	// "xn--" starts a punycode name, which a browser shows in another
	// script, where it can look exactly like another list's name.
	if strings.HasPrefix(name, "xn--") {
		return Errorf(EINVALID, "%q is not allowed: names starting with \"xn--\" are internationalised "+
			"(punycode) names, which browsers show in other scripts where they can look like another list's name. "+
			"Please choose a name of plain letters a-z, digits 0-9 and dashes.", clip(typed, 40))
	}
	if len(name) >= 4 && name[2:4] == "--" {
		return Errorf(EINVALID, "%q is not allowed: two dashes as the third and fourth characters are "+
			"reserved for internationalised domain names. Please choose another name.", clip(typed, 40))
	}
	if IsReservedName(name) {
		return Errorf(EINVALID, "The name %q is reserved. Please choose another.", name)
	}
	return nil
}

// asciiLower lowercases the ASCII letters of s and nothing else.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// clip shortens s to at most n runes for use in messages.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// CreateTenantInput is what it takes to create a tenant and its owner.
type CreateTenantInput struct {
	Name          string
	Region        string
	OwnerEmail    string
	OwnerPassword string
}

// Region is a place where tenant databases can live.
type Region struct {
	Code string // e.g. "local"
	Name string // e.g. "This machine"
}

// TenantService manages tenants: the control-plane records and the databases
// behind them.
type TenantService interface {
	// CreateTenant validates input and creates the tenant record, its
	// database (migrated) and its owner account, all or nothing.
	CreateTenant(ctx context.Context, in CreateTenantInput) (*Tenant, *User, error)
	// FindTenantByName returns the tenant with that name, or ENOTFOUND.
	FindTenantByName(ctx context.Context, name string) (*Tenant, error)
	// FindTenantByID returns the tenant with that id, or ENOTFOUND.
	FindTenantByID(ctx context.Context, id string) (*Tenant, error)
	// FindTenantByNameIncludingTrash returns the tenant with that name,
	// also when it is in the trash (Status TenantDeleted), or ENOTFOUND.
	FindTenantByNameIncludingTrash(ctx context.Context, name string) (*Tenant, error)
	// ListTenants returns all tenants ordered by name.
	ListTenants(ctx context.Context) ([]*Tenant, error)
	// DeleteTenant moves the tenant to the trash: it disappears from its
	// host at once and its database is kept until purged.
	DeleteTenant(ctx context.Context, name string) error
	// ExportTenantForOwner writes a consistent snapshot of the live
	// tenant name's database, a plain SQLite file, to w and returns its
	// size: the copy its owner downloads, with no sessions and no password
	// hashes.
	ExportTenantForOwner(ctx context.Context, name string, w io.Writer) (int64, error)
	// Regions lists the regions a tenant may choose.
	Regions() []Region
}
