package app

import (
	"context"
	"io"
	"time"
)

// Admin is an operator of the whole product. Admin accounts live in the
// control plane, apart from tenant accounts.
type Admin struct {
	ID           int64
	Email        string
	PasswordHash string
	CreatedAt    time.Time
}

// AdminService manages admin accounts.
type AdminService interface {
	// CreateAdmin validates and creates an admin (password hashed here).
	// A taken email gives ECONFLICT.
	CreateAdmin(ctx context.Context, email, password string) (*Admin, error)
	// AdminByEmail returns the admin with that normalised email, or ENOTFOUND.
	AdminByEmail(ctx context.Context, email string) (*Admin, error)
	// AdminByID returns the admin with that id, or ENOTFOUND.
	AdminByID(ctx context.Context, id int64) (*Admin, error)
	// CountAdmins returns how many admins exist.
	CountAdmins(ctx context.Context) (int, error)
}

// Audit outcomes.
const (
	AuditOK     = "ok"
	AuditFailed = "failed"
)

// AuditEntry records one admin action.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string // admin email, or "cli"
	Action  string // e.g. "sign-in", "create", "clone", "console-query"
	Tenant  string // tenant name, "" when none
	Detail  string // what was done, e.g. the clone's name or the SQL
	Outcome string // AuditOK or AuditFailed
	Error   string // the user-facing error when failed
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor  string
	Action string
	Tenant string
	Limit  int
	Offset int
}

// AuditLog stores the audit trail in the control plane.
type AuditLog interface {
	// RecordAudit appends an entry (At defaults to now).
	RecordAudit(ctx context.Context, e AuditEntry) error
	// ListAudit returns entries matching f, newest first, and how many match.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
}

// Sort keys of the tenant dashboard.
const (
	SortName       = "name"
	SortRegion     = "region"
	SortStatus     = "status"
	SortCreated    = "created"
	SortLastActive = "last_active"
	SortTodos      = "todos"
	SortCompleted  = "completed"
	SortVersion    = "version"
)

// TenantQuery selects a page of tenants for the dashboard.
type TenantQuery struct {
	Search string // substring of the name
	Sort   string // one of the Sort* keys; default SortName
	Desc   bool
	Limit  int // page size (default 50, at most 500)
	Offset int
	// Status limits the page to one status; "" means every tenant that is
	// not in the trash.
	Status TenantStatus
}

// TenantPage is a page of tenants and how many match in all.
type TenantPage struct {
	Tenants []*Tenant
	Total   int
}

// ImportInput is an uploaded database to become a new tenant.
type ImportInput struct {
	Name   string
	Region string
	File   io.Reader // the .db file
	// MaxBytes refuses larger files (0 means the default limit).
	MaxBytes int64
}

// TenantAdmin is what admins can do to tenants beyond TenantService.
type TenantAdmin interface {
	// FindTenant returns the live tenant named name as the control plane
	// has it now (never from a cache), or ENOTFOUND.
	FindTenant(ctx context.Context, name string) (*Tenant, error)
	// QueryTenants returns a page of tenants from the control plane only.
	QueryTenants(ctx context.Context, q TenantQuery) (TenantPage, error)
	// TenantSize returns the size in bytes of the tenant's database.
	TenantSize(ctx context.Context, t *Tenant) (int64, error)
	// SuspendTenant makes a tenant read-only to its users; data untouched.
	SuspendTenant(ctx context.Context, name string) error
	// SuspendTenantWithReason is SuspendTenant that records reason (see
	// CleanSuspendReason; "" for none), shown to the tenant's users.
	SuspendTenantWithReason(ctx context.Context, name, reason string) error
	// ResumeTenant undoes SuspendTenant.
	ResumeTenant(ctx context.Context, name string) error
	// RestoreTenant brings a tenant back from the trash, whole.
	RestoreTenant(ctx context.Context, name string) (*Tenant, error)
	// PurgeTenant removes a tenant in the trash and its database for good.
	PurgeTenant(ctx context.Context, name string) error
	// PurgeExpired purges every tenant trashed longer ago than retention.
	PurgeExpired(ctx context.Context, retention time.Duration) (int, error)
	// CloneTenant copies source's database, consistent while source keeps
	// serving writes, into a new tenant named target in source's region.
	CloneTenant(ctx context.Context, source, target string) (*Tenant, error)
	// ExportTenant writes a consistent snapshot of the tenant's database
	// (a SQLite file) to w and returns its size.
	ExportTenant(ctx context.Context, name string, w io.Writer) (int64, error)
	// RecountTenant counts a tenant's todos in its database, brings the
	// control plane's counters in line if they lag (after a crash, or a
	// write made outside the app such as the console's write mode) and
	// returns the tenant with the counts found.
	RecountTenant(ctx context.Context, t *Tenant) (*Tenant, error)
	// ImportTenant creates a tenant from an uploaded database after checking
	// it is an intact SQLite database with a compatible schema. Nothing
	// remains of a refused import.
	ImportTenant(ctx context.Context, in ImportInput) (*Tenant, error)
	// MoveTenant copies an active tenant's database into the region toRegion,
	// verifies the copy, switches the tenant to it and removes the old one,
	// auditing it as done by actor. Nothing changes when it fails.
	MoveTenant(ctx context.Context, name, toRegion, actor string) (TenantMove, error)
}

// ConsoleRequest is one statement typed into the SQL console.
type ConsoleRequest struct {
	SQL      string
	Write    bool          // run in write mode, in a transaction
	MaxRows  int           // cap on rows returned (default 500)
	MaxBytes int           // cap on result bytes (default 1 MiB)
	Timeout  time.Duration // the query is stopped after this (default 5s)
}

// ConsoleValue is one result cell, ready to show.
type ConsoleValue struct {
	Null bool
	Kind string // "null", "integer", "real", "text", "blob"
	Text string // display text; blobs as lowercase hex
}

// ConsoleResult is what a console statement returned.
type ConsoleResult struct {
	Columns      []string
	Rows         [][]ConsoleValue
	Truncated    bool   // rows or bytes were capped
	Note         string // why, when truncated
	RowsAffected int64  // write mode
	Duration     time.Duration
}

// Console runs admin SQL against one tenant's database. In read-only mode
// nothing can change the database, attach or create another, or touch any
// file on the server.
type Console interface {
	RunConsole(ctx context.Context, t *Tenant, req ConsoleRequest) (*ConsoleResult, error)
}

// ConsoleGuard is implemented by a Console that can say what keeps its
// read-only mode from writing to t's database: the engine itself (a file
// opened read-only, a read-only token), or only the console's own checks
// (a libSQL server that checks no tokens).
type ConsoleGuard interface {
	ReadOnlyByEngine(t *Tenant) bool
}

// ConsoleEntry is one query in a tenant's console history.
type ConsoleEntry struct {
	ID       int64
	At       time.Time
	TenantID string
	Admin    string
	SQL      string
	Write    bool
	Rows     int
	Error    string
}

// ConsoleHistory keeps each tenant's console history in the control plane.
type ConsoleHistory interface {
	RecordConsole(ctx context.Context, e ConsoleEntry) error
	ListConsole(ctx context.Context, tenantID string, limit int) ([]ConsoleEntry, error)
}

// ActivityPoint is the number of tenant writes in one hour.
type ActivityPoint struct {
	Hour   time.Time
	Writes int
}

// ActivityStats reports tenant activity over time, and a cheap change marker
// for live views.
type ActivityStats interface {
	// HourlyActivity returns one point per hour for the last hours hours,
	// oldest first, zero-filled.
	HourlyActivity(ctx context.Context, hours int) ([]ActivityPoint, error)
	// TenantsVersion returns a value that changes whenever any tenant record
	// changes (created, written to, suspended, deleted...), in any process.
	TenantsVersion(ctx context.Context) (string, error)
}
