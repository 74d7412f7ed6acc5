package cli

import (
	"context"
	"fmt"
	"strings"

	"todos/app"
)

// runAdmin runs "todos admin SUBCOMMAND".
func runAdmin(ctx context.Context, env Env, args []string) error {
	switch {
	case len(args) > 0 && args[0] == "remove":
		return runAdminRemove(ctx, env, args[1:])
	case len(args) > 0 && args[0] == "list":
		return runAdminList(ctx, env, args[1:])
	case len(args) > 0 && isHelpArg(args[0]):
		groupHelp(env.Stdout, "admin")
		return nil
	case len(args) == 0:
		fmt.Fprint(env.Stderr, "todos admin: missing subcommand\n")
		groupHelp(env.Stderr, "admin")
		return errUsage
	case args[0] != "create":
		fmt.Fprintf(env.Stderr, "todos admin: unknown subcommand %q\n", args[0])
		groupHelp(env.Stderr, "admin")
		return errUsage
	}
	var cfg Config
	fs := newFlagSet("todos admin create", env)
	storageFlags(fs, &cfg)
	email, err := parseOneArg(fs, env, args[1:], "EMAIL, the new admin's email address")
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
		return adminError(email, err)
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
	email, err := parseOneArg(fs, env, args, "EMAIL, the email address of the admin to remove")
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
		return adminError(email, err)
	}
	fmt.Fprintf(env.Stdout, "Removed admin %s; their sessions no longer work.\n", email)
	return nil
}

// adminError is userError naming the admin the command was about, when the
// message does not already.
func adminError(email string, err error) error {
	err = userError(err)
	if strings.Contains(err.Error(), email) {
		return err
	}
	return fmt.Errorf("admin %s: %w", email, err)
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
