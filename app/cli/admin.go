package cli

import (
	"context"
	"fmt"

	"todos/app"
)

// runAdmin runs "todos admin SUBCOMMAND".
func runAdmin(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "remove" {
		return runAdminRemove(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(env.Stderr, "todos admin: want \"todos admin create EMAIL\" or \"todos admin remove EMAIL\"\n")
		return errUsage
	}
	var cfg Config
	fs := newFlagSet("todos admin create", env)
	storageFlags(fs, &cfg)
	email, err := parseTenantArgs(fs, env, args[1:], true)
	if err != nil {
		return err
	}
	password, generated, b, err := passwordAndBackend(env, &cfg)
	if err != nil {
		return err
	}
	defer b.Close()
	a, err := b.control.CreateAdmin(ctx, email, password)
	audit(ctx, b, "admin-create", "", email, err)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(env.Stdout, "Created admin %s.\n", a.Email)
	if generated {
		fmt.Fprintf(env.Stdout, "Password (shown once): %s\n", password)
	}
	return nil
}

// runAdminRemove runs "todos admin remove EMAIL": the admin's account is
// deleted, and with it every session it has, also in a running server
// (its open live-update streams end within seconds).
func runAdminRemove(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos admin remove", env)
	storageFlags(fs, &cfg)
	email, err := parseTenantArgs(fs, env, args, true)
	if err != nil {
		return err
	}
	b, err := openStorage(&cfg, 1, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	err = b.control.RemoveAdmin(ctx, email)
	audit(ctx, b, "admin-remove", "", email, err)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(env.Stdout, "Removed admin %s; their sessions no longer work.\n", email)
	return nil
}

// audit records a CLI action in the audit log; a failure to record is
// reported on stderr by the caller's logger only, never hiding the action's
// own result.
func audit(ctx context.Context, b *backend, action, tenant, detail string, err error) {
	e := app.AuditEntry{Actor: "cli", Action: action, Tenant: tenant, Detail: detail, Outcome: app.AuditOK}
	if err != nil {
		e.Outcome, e.Error = app.AuditFailed, app.ErrorMessage(err)
	}
	_ = b.control.RecordAudit(ctx, e)
}
