package console

import (
	"context"
	"path/filepath"
	"sync"

	"todos/app"
	"todos/app/store"
)

// tenantConsole implements app.Console with a Runner.
type tenantConsole struct {
	runner   *Runner
	pathOf   func(*app.Tenant) (string, error)
	provider store.Provider // nil: local files only (pathOf)

	mu      sync.Mutex
	writing map[string]bool // remote locations a console write runs on
}

// NewConsole returns an app.Console that runs each statement with runner
// (a zero Runner when nil) against the database file pathOf returns for the
// tenant: for local tenants, Tenant.Location is that absolute path.
func NewConsole(runner *Runner, pathOf func(*app.Tenant) (string, error)) app.Console {
	if runner == nil {
		runner = &Runner{}
	}
	return &tenantConsole{runner: runner, pathOf: pathOf, writing: map[string]bool{}}
}

// NewProviderConsole returns an app.Console for the tenants of provider: a
// tenant whose location is an absolute path is a local file, run as
// NewConsole does; any other is reached directly on its libSQL server when
// provider is a store.DirectAccessor (sqld, Turso), with a read-only token
// in read-only mode where the server issues them.
func NewProviderConsole(runner *Runner, provider store.Provider) app.Console {
	c := NewConsole(runner, localPath).(*tenantConsole)
	c.provider = provider
	return c
}

// localPath returns the location of a local tenant, its file's path.
func localPath(t *app.Tenant) (string, error) {
	if !filepath.IsAbs(t.Location) {
		return "", app.Errorf(app.EUNAVAILABLE, "The SQL console works on databases stored on this machine; this list's database is elsewhere.")
	}
	return t.Location, nil
}

// RunConsole implements app.Console.
func (c *tenantConsole) RunConsole(ctx context.Context, t *app.Tenant, req app.ConsoleRequest) (*app.ConsoleResult, error) {
	if t == nil {
		return nil, app.Errorf(app.ENOTFOUND, "Tenant not found.")
	}
	if da, ok := c.direct(t); ok {
		return c.runRemote(ctx, da, t, req)
	}
	path, err := c.pathOf(t)
	if err != nil {
		return nil, err
	}
	return c.runner.Run(ctx, path, req)
}

// direct returns the provider's direct access when t's database is on a
// libSQL server.
func (c *tenantConsole) direct(t *app.Tenant) (store.DirectAccessor, bool) {
	da, ok := store.ProviderAs[store.DirectAccessor](c.provider)
	return da, ok && !filepath.IsAbs(t.Location)
}

// runRemote runs req against t's database on its server. A write waits for
// no one: a second console write to the same database while one runs is
// refused, since sqld can hang a database under three concurrent writers
// and the app's own connection is one.
func (c *tenantConsole) runRemote(ctx context.Context, da store.DirectAccessor, t *app.Tenant, req app.ConsoleRequest) (*app.ConsoleResult, error) {
	if req.Write {
		c.mu.Lock()
		busy := c.writing[t.Location]
		if !busy {
			c.writing[t.Location] = true
		}
		c.mu.Unlock()
		if busy {
			return nil, app.Errorf(app.ERATELIMITED, "Another console write to this list is running. Try again when it is done.")
		}
		defer func() {
			c.mu.Lock()
			delete(c.writing, t.Location)
			c.mu.Unlock()
		}()
	}
	access, err := da.DirectAccess(ctx, t.Location, req.Write)
	if err != nil {
		return nil, err
	}
	return c.runner.RunRemote(ctx, access, req)
}

// ReadOnlyByEngine implements app.ConsoleGuard: a local file is opened
// read-only (mode=ro), and a remote database with a read-only token when
// its server issues them; otherwise only the console's checks hold.
func (c *tenantConsole) ReadOnlyByEngine(t *app.Tenant) bool {
	if da, ok := c.direct(t); ok {
		return da.ReadOnlyTokens()
	}
	return true
}
