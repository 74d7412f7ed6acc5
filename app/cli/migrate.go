package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"todos/app"
)

// runMigrate runs "todos migrate [--dry-run] [--json]": every tenant
// database is brought to the newest schema, with bounded concurrency. One
// tenant's failure is reported and does not stop the others; running it
// again resumes, since a migrated database has nothing pending. --json
// prints each tenant's result as one JSON object instead of progress.
func runMigrate(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos migrate", env)
	storageFlags(fs, &cfg)
	dryRun := fs.Bool("dry-run", false, "only report which tenants have pending migrations")
	concurrency := fs.Int("concurrency", 4, "tenants migrated at once")
	asJSON := fs.Bool("json", false, "print one JSON object with each tenant's result instead of progress and a summary")
	if err := parseFlags(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *concurrency < 1 || *concurrency > 64 {
		fmt.Fprintln(env.Stderr, "todos migrate: want [--dry-run] [--json] [--concurrency 1..64]")
		return errUsage
	}
	b, err := openStorage(&cfg, *concurrency, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	tenants, err := b.tenants.ListTenants(ctx)
	if err != nil {
		return err
	}
	latest := b.latestVersion()
	out := env.Stdout
	if *asJSON {
		out = io.Discard
	}
	p := newProgress(out, len(tenants))
	report := migrateReport{DryRun: *dryRun, Latest: latest, Tenants: []migrateResult{}}
	var mu sync.Mutex
	var failed []string
	var current, migrated, pending int
	work := make(chan *app.Tenant)
	var wg sync.WaitGroup
	for i := 0; i < *concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				from, err := b.schemaVersion(ctx, t)
				if err == nil && from < latest && !*dryRun {
					err = b.migrateTenant(ctx, t)
				}
				mu.Lock()
				r := migrateResult{Name: t.Name, From: from, To: latest}
				switch {
				case err != nil:
					failed = append(failed, fmt.Sprintf("%s: %s", t.Name, migrateError(err)))
					r.Status, r.Error = "failed", migrateError(err)
				case from >= latest:
					current++
					r.Status, r.To = "current", from
				case *dryRun:
					pending++
					r.Status = "pending"
					p.line(fmt.Sprintf("%s: version %d, would migrate to %d", t.Name, from, latest))
				default:
					migrated++
					r.Status = "migrated"
					p.line(fmt.Sprintf("%s: migrated %d → %d", t.Name, from, latest))
				}
				report.Tenants = append(report.Tenants, r)
				if err != nil {
					p.line(failed[len(failed)-1])
				}
				p.step(len(failed))
				mu.Unlock()
			}
		}()
	}
	for _, t := range tenants {
		select {
		case work <- t:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	p.done()
	if *asJSON {
		slices.SortFunc(report.Tenants, func(a, b migrateResult) int { return strings.Compare(a.Name, b.Name) })
		if err := writeJSON(env.Stdout, report); err != nil {
			return err
		}
	} else if *dryRun {
		fmt.Fprintf(env.Stdout, "Dry run: %d tenants, %d up to date, %d with pending migrations (to version %d), %d could not be read.\n",
			len(tenants), current, pending, latest, len(failed))
	} else {
		fmt.Fprintf(env.Stdout, "Done: %d tenants, %d migrated to version %d, %d already up to date, %d failed.\n",
			len(tenants), migrated, latest, current, len(failed))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d tenants failed:\n  %s\nRun todos migrate again after fixing them", len(failed), strings.Join(failed, "\n  "))
	}
	return nil
}

// migrateReport is the output of "todos migrate --json".
type migrateReport struct {
	DryRun  bool            `json:"dry_run"`
	Latest  int             `json:"latest"` // the schema version this binary migrates to
	Tenants []migrateResult `json:"tenants"`
}

// migrateResult is one tenant's line in migrateReport.
type migrateResult struct {
	Name   string `json:"name"`
	From   int    `json:"from"`   // its version before the run
	To     int    `json:"to"`     // after it (or, in a dry run, the version it would reach)
	Status string `json:"status"` // current, pending (dry run), migrated or failed
	Error  string `json:"error,omitempty"`
}

// migrateError is the message of a tenant's migration failure, with its cause.
func migrateError(err error) string {
	if u := errorsUnwrapAll(err); u != nil && u.Error() != app.ErrorMessage(err) {
		return app.ErrorMessage(err) + " (" + u.Error() + ")"
	}
	return app.ErrorMessage(err)
}

// errorsUnwrapAll returns the innermost cause of err.
func errorsUnwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// progress shows how far a run over many tenants has come: a bar with counts
// and an ETA on a terminal, plain lines otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	total int
	n     int
	start time.Time
}

func newProgress(w io.Writer, total int) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, tty: tty, total: total, start: time.Now()}
}

// line prints a message above the bar.
func (p *progress) line(msg string) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s\n", msg)
		p.draw(0)
		return
	}
	fmt.Fprintln(p.w, msg)
}

// step counts one tenant done.
func (p *progress) step(failed int) {
	p.n++
	if p.tty {
		p.draw(failed)
	}
}

// draw redraws the bar on a terminal.
func (p *progress) draw(failed int) {
	const width = 30
	filled := width
	if p.total > 0 {
		filled = width * p.n / p.total
	}
	eta := "?"
	if p.n > 0 {
		left := time.Duration(float64(time.Since(p.start)) / float64(p.n) * float64(p.total-p.n))
		eta = left.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[K[%s%s] %d/%d tenants, %d failed, ETA %s",
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.n, p.total, failed, eta)
}

// done ends the bar.
func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
