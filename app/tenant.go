package app

import (
	"context"
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
}

// reservedNames are names that can never be tenants: they are hosts of the
// product itself or would confuse users.
var reservedNames = map[string]bool{
	"admin": true, "www": true, "api": true, "app": true, "static": true,
	"assets": true, "mail": true, "status": true, "help": true, "docs": true,
	"blog": true, "localhost": true, "todos": true, "support": true,
	"billing": true, "login": true, "signup": true, "auth": true,
	"dashboard": true, "metrics": true, "smtp": true, "ftp": true,
}

// IsReservedName reports whether name may never be used by a tenant.
func IsReservedName(name string) bool { return reservedNames[name] }

// TenantNameRule is the user-facing description of what a name may be.
const TenantNameRule = "Use 3 to 30 characters: lowercase letters a-z, digits 0-9 and dashes, not starting or ending with a dash."

// NormalizeTenantName lowercases and validates a tenant name typed by a user.
// It returns an EINVALID error that says what is allowed.
func NormalizeTenantName(s string) (string, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "" {
		return "", Errorf(EINVALID, "Please choose a name for your list. %s", TenantNameRule)
	}
	if len(name) < TenantNameMinLength || len(name) > TenantNameMaxLength {
		return "", Errorf(EINVALID, "%q is not a valid name. %s", clip(s, 40), TenantNameRule)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "", Errorf(EINVALID, "%q is not a valid name. %s", clip(s, 40), TenantNameRule)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return "", Errorf(EINVALID, "%q is not a valid name. %s", clip(s, 40), TenantNameRule)
	}
	if IsReservedName(name) {
		return "", Errorf(EINVALID, "The name %q is reserved. Please choose another.", name)
	}
	return name, nil
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
	// ListTenants returns all tenants ordered by name.
	ListTenants(ctx context.Context) ([]*Tenant, error)
	// DeleteTenant moves the tenant to the trash: it disappears from its
	// host at once and its database is kept until purged.
	DeleteTenant(ctx context.Context, name string) error
	// Regions lists the regions a tenant may choose.
	Regions() []Region
}
