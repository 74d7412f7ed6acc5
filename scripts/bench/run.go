package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// bench is one "bench run": its configuration, its data directory and
// what it has found so far.
type bench struct {
	cfg      *config
	root     string // data directory of this run
	self     string // this program, which also serves the comparison servers
	todosBin string // the product's binary, absolute
	schema   string // the product's tenant schema (schema.sql), for seeding
	rep      *report
}

// sut is a server under test with the sessions of the tenants a case reads.
type sut struct {
	kind     string
	ch       *child
	sessions []*session
	proc     bool // read its memory and descriptors after its last round of a case
}

// runBench runs "bench run" and returns the exit status: 0 when every case
// ran and no server returned an error, 1 otherwise, 2 for bad usage.
func runBench(args []string) int {
	cfg, err := parseConfig(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench run:", err)
		return 2
	}
	for _, f := range []string{cfg.todosBin, cfg.schema} {
		if _, err := os.Stat(f); err != nil {
			fmt.Fprintf(os.Stderr, "bench run: %v (run it from the repository root, through scripts/bench.sh)\n", err)
			return 2
		}
	}
	schema, err := os.ReadFile(cfg.schema)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench run:", err)
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench run:", err)
		return 2
	}
	todosBin, _ := filepath.Abs(cfg.todosBin)
	root, err := os.MkdirTemp(cfg.dir, "todos-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench run:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	b := &bench{cfg: cfg, root: root, self: self, todosBin: todosBin, schema: string(schema), rep: &report{
		started: time.Now(), machine: readMachine(), cmdline: commandLine(), cfg: cfg, dataDir: root,
	}}
	if err := os.MkdirAll(filepath.Join(root, "logs"), 0o700); err != nil {
		b.failf("%v", err)
	} else {
		phases := "," + cfg.phases + ","
		if strings.Contains(phases, ",warm,") {
			b.phaseWarm(ctx)
		}
		if strings.Contains(phases, ",big,") {
			b.phaseBig(ctx)
		}
		if strings.Contains(phases, ",sqld,") {
			b.phaseSqld(ctx)
		}
	}
	for _, err := range stopAllChildren() {
		b.failf("%v", err)
	}
	if ctx.Err() != nil {
		b.failf("interrupted")
	}
	b.rep.elapsed = time.Since(b.rep.started)
	md := b.rep.markdown()
	fmt.Print(md)
	if err := os.WriteFile(cfg.out, []byte(md), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "bench run: writing the report:", err)
		b.rep.failures = append(b.rep.failures, err.Error())
	} else {
		b.logf("report written to %s", cfg.out)
	}
	if cfg.keep {
		b.logf("data and logs kept in %s", root)
	} else if err := os.RemoveAll(root); err != nil {
		b.logf("removing %s: %v", root, err)
	}
	if len(b.rep.failures) > 0 {
		return 1
	}
	return 0
}

// commandLine is the command as typed, quoted for a shell where needed.
func commandLine() string {
	var parts []string
	for _, a := range os.Args {
		if a == "" || strings.ContainsAny(a, " \t\"'$`\\*?;&|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// logf prints progress to stderr (the report goes to stdout).
func (b *bench) logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

// failf records a failure: the run will exit non-zero.
func (b *bench) failf(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	b.logf("FAIL: %s", msg)
	b.rep.failures = append(b.rep.failures, msg)
}

// newCase adds a case to the report.
func (b *bench) newCase(id, title, ratioBy, setup string) *caseResult {
	c := &caseResult{id: id, title: title, ratioBy: ratioBy, setup: setup}
	b.rep.cases = append(b.rep.cases, c)
	return c
}

// cannotRun records that cases could not run because of err.
func (b *bench) cannotRun(cases []*caseResult, err error) {
	for _, c := range cases {
		if c.skipped == "" {
			c.failed = append(c.failed, err.Error())
			b.failf("case %s could not run: %v", c.id, err)
		}
	}
}

// timed runs a seeding step and records how long it took.
func (b *bench) timed(what string, fn func() error) error {
	b.logf("seeding %s…", what)
	start := time.Now()
	if err := fn(); err != nil {
		return fmt.Errorf("seeding %s: %w", what, err)
	}
	b.rep.seeding = append(b.rep.seeding, fmt.Sprintf("%s in %s", what, time.Since(start).Round(100*time.Millisecond)))
	return nil
}

// startProduct starts bin/todos serve on dir with a pool of pool tenants
// and extra flags.
func (b *bench) startProduct(ctx context.Context, label, dir string, pool int, extra ...string) (*child, error) {
	b.logf("starting the product (%s, --pool-size %d)", label, pool)
	var pprofAddr string
	if b.cfg.profile != "" {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		pprofAddr = "127.0.0.1:" + strconv.Itoa(port)
	}
	c, err := startChild(ctx, kindProduct, filepath.Join(b.root, "logs", label+".log"), func(addr string) []string {
		args := append([]string{b.todosBin, "serve", "--addr", addr, "--data", dir, "--pool-size", strconv.Itoa(pool)}, extra...)
		if pprofAddr != "" {
			args = append(args, "--pprof-addr", pprofAddr)
		}
		return args
	})
	if c != nil {
		c.pprofAddr = pprofAddr
	}
	return c, err
}

// startFloor starts the floor server on dir, keeping at most maxOpen
// tenants open (0: all).
func (b *bench) startFloor(ctx context.Context, label, dir string, maxOpen int) (*child, error) {
	b.logf("starting the floor server (%s, --max-open %d)", label, maxOpen)
	return startChild(ctx, kindFloor, filepath.Join(b.root, "logs", label+".log"), func(addr string) []string {
		return []string{b.self, "serve-floor", "--addr", addr, "--data", dir, "--max-open", strconv.Itoa(maxOpen)}
	})
}

// startShared starts the shared-database server on dir.
func (b *bench) startShared(ctx context.Context, label, dir string) (*child, error) {
	b.logf("starting the shared-database server (%s)", label)
	return startChild(ctx, kindShared, filepath.Join(b.root, "logs", label+".log"), func(addr string) []string {
		return []string{b.self, "serve-shared", "--addr", addr, "--data", dir}
	})
}

// stopChild stops a server and records an unclean stop as a failure.
func (b *bench) stopChild(c *child) {
	if c == nil {
		return
	}
	if err := c.stop(); err != nil {
		b.failf("%v", err)
	}
}

// runCase runs spec on each server in turn, in b.cfg.rounds rounds that
// each measure a share of the duration and start with a different server,
// so that a noisy neighbour on a shared machine is spread over all of them.
// The first round of a server warms it up for the whole warm-up; later ones
// for a quarter of it. A fixed-rate run is one round: the queue of a server
// that cannot keep up grows for as long as the run lasts.
func (b *bench) runCase(ctx context.Context, c *caseResult, suts []*sut, spec loadSpec) {
	rounds := b.cfg.rounds
	if spec.rate > 0 {
		rounds = 1
	}
	rows := make([]*caseRow, len(suts))
	for i, s := range suts {
		rows[i] = &caseRow{server: s.kind}
	}
	for r := range rounds {
		for k := range suts {
			i := (k + r) % len(suts)
			s, row := suts[i], rows[i]
			if ctx.Err() != nil {
				c.failed = append(c.failed, "interrupted")
				return
			}
			if err := s.ch.alive(); err != nil {
				continue // reported when it was found
			}
			spec := spec
			spec.sessions = s.sessions
			spec.warmup, spec.duration = b.cfg.warmup, b.cfg.duration/time.Duration(rounds)
			if r > 0 {
				spec.warmup /= 4
			}
			b.logf("case %s (%s) on %s, round %d of %d…", c.id, c.title, s.kind, r+1, rounds)
			profiled := b.profile(s.ch, fmt.Sprintf("%s-round%d", c.id, r+1), spec.warmup+spec.duration)
			res := runLoad(ctx, s.ch.addr, spec)
			if err := <-profiled; err != nil {
				b.logf("profile of case %s: %v", c.id, err)
			}
			b.logf("  %s: %.0f req/s, p50 %s, p99 %s, max %s, %d errors", s.kind, res.rps(),
				ms(res.lat.quantile(0.5)), ms(res.lat.quantile(0.99)), ms(res.lat.max()), res.errors)
			row.res.merge(res)
			if s.proc && r == rounds-1 {
				if ps, err := s.ch.readProcStats(); err == nil {
					row.proc = &ps
				} else {
					b.logf("reading /proc of %s: %v", s.kind, err)
				}
				if err := b.saveMemory(s.ch, c.id); err != nil {
					b.logf("memory profile of case %s: %v", c.id, err)
				}
			}
			if err := s.ch.alive(); err != nil {
				c.failed = append(c.failed, err.Error())
				b.failf("case %s: %v", c.id, err)
			}
		}
	}
	for i, s := range suts {
		res := &rows[i].res
		c.rows = append(c.rows, rows[i])
		if res.errors > 0 {
			b.failf("case %s: %s returned %d errors (first: %s)", c.id, s.kind, res.errors, res.samples[0])
		}
		if res.ok == 0 && ctx.Err() == nil {
			c.failed = append(c.failed, s.kind+": no request succeeded")
			b.failf("case %s: no request to %s succeeded", c.id, s.kind)
		}
		if res.cookies > 0 {
			c.notes = append(c.notes, fmt.Sprintf("%s: %d of %d measured responses set a cookie.",
				s.kind, res.cookies, res.ok))
		}
	}
}

// names returns the names of tenants t00001..t{n}.
func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = tenantName(i + 1)
	}
	return out
}
