package console

import (
	"context"

	"todos/app"
)

// tenantConsole implements app.Console with a Runner.
type tenantConsole struct {
	runner *Runner
	pathOf func(*app.Tenant) (string, error)
}

// NewConsole returns an app.Console that runs each statement with runner
// (a zero Runner when nil) against the database file pathOf returns for the
// tenant: for local tenants, Tenant.Location is that absolute path.
func NewConsole(runner *Runner, pathOf func(*app.Tenant) (string, error)) app.Console {
	if runner == nil {
		runner = &Runner{}
	}
	return &tenantConsole{runner: runner, pathOf: pathOf}
}

// RunConsole implements app.Console.
func (c *tenantConsole) RunConsole(ctx context.Context, t *app.Tenant, req app.ConsoleRequest) (*app.ConsoleResult, error) {
	if t == nil {
		return nil, app.Errorf(app.ENOTFOUND, "Tenant not found.")
	}
	path, err := c.pathOf(t)
	if err != nil {
		return nil, err
	}
	return c.runner.Run(ctx, path, req)
}
