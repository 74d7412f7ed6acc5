package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"
)

// adminJSON is one admin in the output of "todos admin list --json".
type adminJSON struct {
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// runAdminList runs "todos admin list [--json]": every admin, oldest
// first, as a table or as a JSON array.
func runAdminList(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos admin list", env)
	storageFlags(fs, &cfg)
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	if _, err := parseOneArg(fs, env, args, ""); err != nil {
		return err
	}
	b, err := openStorage(&cfg, 1, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	admins, err := b.control.ListAdmins(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]adminJSON, len(admins))
		for i, a := range admins {
			out[i] = adminJSON{Email: a.Email, CreatedAt: a.CreatedAt.UTC()}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tCREATED")
	for _, a := range admins {
		fmt.Fprintf(tw, "%s\t%s\n", a.Email, rfc3339(a.CreatedAt))
	}
	return tw.Flush()
}
