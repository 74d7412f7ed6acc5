package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// The targets the product is measured against (reported, never enforced).
const (
	goalThroughput = 0.8                   // warm list and add-todo req/s, × the floor's
	goalP99        = 1.5                   // warm list p99, × the floor's
	goalColdP99    = 20 * time.Millisecond // cold tenants' list page p99
	goalRSSMB      = 400                   // product memory at the big scale
	goalAdminP99   = 50 * time.Millisecond // admin dashboard p99 at the big scale
)

// phaseWarm runs cases a–f2 on the -tenants data set: a–e with every
// tenant open, then f and f2 with the product's pool (and the floor's open
// handles) limited to a quarter of the tenants.
func (b *bench) phaseWarm(ctx context.Context) {
	cfg := b.cfg
	n := cfg.tenants
	data := fmt.Sprintf("%s tenants × %d todos", thousands(n), cfg.todos)
	zipf := fmt.Sprintf("tenants chosen Zipf-like (s=%.1f)", zipfS)
	warm := fmt.Sprintf("Product `--pool-size %d` (every tenant stays open, all signed in first); the floor keeps every tenant open.", cfg.warmPool())
	a := b.newCase("a", "Warm list page", "req/s", fmt.Sprintf(
		"`GET /` of a tenant (the whole page), %s, %s, closed loop, %d connections. %s", data, zipf, cfg.conns, warm))
	fr := b.newCase("b", "List fragment (htmx)", "req/s",
		"`GET /` with `HX-Request: true`, otherwise as case a.")
	fixed := b.newCase("c", "Fixed-rate list page", "p99", fmt.Sprintf(
		"`GET /` at %.0f requests/s offered on a fixed schedule (open loop, up to %d in flight), %s. Latency is measured from when each request was due.",
		cfg.rate, cfg.openConns, zipf))
	fixed.openLoop = true
	add := b.newCase("d", "Add todo", "req/s", fmt.Sprintf(
		"`POST /todos` (a form post without htmx: 303 to `/`) across the %s tenants, %s, closed loop, %d connections.", thousands(n), zipf, cfg.conns))
	one := b.newCase("e", fmt.Sprintf("%d concurrent writers on one tenant", cfg.writers), "req/s", fmt.Sprintf(
		"`POST /todos` on t00001 only, closed loop, %d connections. Every server must answer all of them without an error.", cfg.writers))
	coldSetup := fmt.Sprintf("Tenants chosen uniformly among all %s. The servers are restarted on the data as seeded (without the todos cases d and e added): the product with `--pool-size %d` and the floor with `--max-open %d` (a quarter of the tenants), so that most requests open a database. The shared design has nothing to open; it is there for reference.",
		thousands(n), cfg.coldPool(), cfg.coldPool())
	cold := b.newCase("f", "Cold tenants", "p99", fmt.Sprintf(
		"`GET /` at %.0f requests/s offered on a fixed schedule (open loop, up to %d in flight): a load every server carries, so that p99 is the cost of opening a database rather than the queue of a saturated server. %s",
		cfg.coldRate, cfg.openConns, coldSetup))
	cold.openLoop = true
	coldMax := b.newCase("f2", "Cold tenants at full load", "req/s", fmt.Sprintf(
		"`GET /`, closed loop, %d connections, right after case f on the same servers. %s", cfg.conns, coldSetup))
	all := []*caseResult{a, fr, fixed, add, one, cold, coldMax}

	dirs := map[string]string{}
	for _, k := range []string{kindProduct, kindFloor, kindShared} {
		dirs[k] = filepath.Join(b.root, k)
	}
	err := errors.Join(
		b.timed(fmt.Sprintf("product, %s, through app/store", data), func() error {
			return seedProduct(ctx, dirs[kindProduct], b.schema, n, cfg.todos)
		}),
		b.timed("floor, same, SQL", func() error { return seedFloor(ctx, dirs[kindFloor], n, cfg.todos) }),
		b.timed("shared, same, SQL", func() error { return seedShared(ctx, dirs[kindShared], n, cfg.todos) }),
	)
	for _, dir := range dirs {
		if err == nil {
			err = copyTree(dir, dir+".seeded") // restored for case f
		}
	}
	if err != nil {
		b.cannotRun(all, err)
		return
	}
	tenants := names(n)
	suts, err := b.startAll(ctx, "warm", dirs, cfg.warmPool(), 0, tenants, ownerEmail)
	if err != nil {
		b.cannotRun(all, err)
		return
	}
	b.runCase(ctx, a, suts, loadSpec{op: opList, conns: cfg.conns, pick: zipfPicker(n)})
	throughputGoals(a)
	b.runCase(ctx, fr, suts, loadSpec{op: opFragment, conns: cfg.conns, pick: zipfPicker(n)})
	fragmentNote(a, fr)
	b.runCase(ctx, fixed, suts, loadSpec{op: opList, conns: cfg.openConns, rate: cfg.rate, pick: zipfPicker(n)})
	b.runCase(ctx, add, suts, loadSpec{op: opAdd, conns: cfg.conns, pick: zipfPicker(n)})
	add.notes = append(add.notes, "Every server commits each add durably (WAL, `synchronous=FULL`) before it answers, so req/s is durable writes/s.")
	writeGoals(add)
	b.runCase(ctx, one, suts, loadSpec{op: opAdd, conns: cfg.writers, pick: fixedPicker(0)})
	errorGoal(one)

	// Case f: every server again, on the data as seeded (the lists have
	// not grown by the adds of cases d and e), with room for a quarter of
	// the tenants. The product's sessions are signed in again.
	for _, s := range suts {
		b.stopChild(s.ch)
	}
	if ctx.Err() != nil {
		return
	}
	for _, dir := range dirs {
		if err := restoreTree(dir, dir+".seeded"); err != nil {
			b.cannotRun([]*caseResult{cold, coldMax}, err)
			return
		}
	}
	suts, err = b.startAll(ctx, "cold", dirs, cfg.coldPool(), cfg.coldPool(), tenants, ownerEmail)
	if err != nil {
		b.cannotRun([]*caseResult{cold, coldMax}, err)
		return
	}
	b.runCase(ctx, cold, suts, loadSpec{op: opList, conns: cfg.openConns, rate: cfg.coldRate, pick: uniformPicker(n)})
	latencyGoal(cold, fmt.Sprintf("product cold p99 < %s at %.0f req/s", ms(goalColdP99), cfg.coldRate), goalColdP99)
	b.runCase(ctx, coldMax, suts, loadSpec{op: opList, conns: cfg.conns, pick: uniformPicker(n)})
	for _, s := range suts {
		b.stopChild(s.ch)
	}
}

// phaseBig runs cases g and h on -big tenants.
func (b *bench) phaseBig(ctx context.Context) {
	cfg := b.cfg
	readN := min(cfg.bigSample, cfg.big)
	g := b.newCase("g", fmt.Sprintf("%s tenants on disk", thousands(cfg.big)), "p99", fmt.Sprintf(
		"`GET /` over %s tenants picked at random among %s (uniformly; all signed in first), closed loop, %d connections. Product `--pool-size %d`, floor `--max-open %d`; the shared design holds all %s tenants in one file. Memory (VmRSS) and open descriptors are read from /proc at the end of each server's run.",
		thousands(readN), thousands(cfg.big), cfg.conns, cfg.bigPool, cfg.bigPool, thousands(cfg.big)))
	h := b.newCase("h", fmt.Sprintf("Admin dashboard at %s tenants", thousands(cfg.big)), "p99", fmt.Sprintf(
		"`GET /` of `admin.localhost` (the dashboard's first page) signed in as an admin, closed loop, %d connections, product only.", cfg.adminConns))
	if cfg.big == 0 || ctx.Err() != nil {
		g.skipped, h.skipped = "-big=0", "-big=0"
		if ctx.Err() != nil {
			g.skipped, h.skipped = "interrupted", "interrupted"
		}
		return
	}
	both := []*caseResult{g, h}
	dirs := map[string]string{}
	for _, k := range []string{kindProduct, kindFloor, kindShared} {
		dirs[k] = filepath.Join(b.root, "big-"+k)
	}
	data := fmt.Sprintf("%s tenants × %d todos", thousands(cfg.big), cfg.todos)
	err := errors.Join(
		b.timed(fmt.Sprintf("product, %s, copies of one tenant's file", data), func() error {
			return seedProductBig(ctx, dirs[kindProduct], b.schema, cfg.big, cfg.todos)
		}),
		b.timed("floor, same, copies", func() error { return seedFloorBig(ctx, dirs[kindFloor], cfg.big, cfg.todos) }),
		b.timed("shared, same, SQL", func() error { return seedShared(ctx, dirs[kindShared], cfg.big, cfg.todos) }),
	)
	if err != nil {
		b.cannotRun(both, err)
		return
	}
	var picked []string
	for _, i := range sample(cfg.big, readN, 42) {
		picked = append(picked, tenantName(i+1))
	}
	suts, err := b.startAll(ctx, "big", dirs, cfg.bigPool, cfg.bigPool, picked, func(string) string { return bigOwnerEmail })
	if err != nil {
		b.cannotRun(both, err)
		return
	}
	for _, s := range suts {
		s.proc = true
	}
	b.runCase(ctx, g, suts, loadSpec{op: opList, conns: cfg.conns, pick: uniformPicker(readN)})
	if r := g.row(kindProduct); r != nil && r.proc != nil {
		mb := float64(r.proc.RSSKB) / 1024
		g.goals = append(g.goals, goal{text: fmt.Sprintf("product RSS < %d MB at %s tenants, pool %d", goalRSSMB, thousands(cfg.big), cfg.bigPool),
			pass: mb < goalRSSMB, got: fmt.Sprintf("%.0f MB, %d open fds", mb, r.proc.FDs)})
	}
	prod := suts[0].ch
	b.stopChild(suts[1].ch)
	b.stopChild(suts[2].ch)
	c := newHTTPClient(1)
	admin, err := signIn(ctx, c, prod.addr, "admin.localhost:"+fmt.Sprint(prod.port), adminEmail, adminPassword)
	c.CloseIdleConnections()
	if err != nil {
		b.cannotRun([]*caseResult{h}, err)
	} else {
		b.runCase(ctx, h, []*sut{{kind: kindProduct, ch: prod, sessions: []*session{admin}}},
			loadSpec{op: opAdmin, conns: cfg.adminConns, pick: fixedPicker(0)})
		latencyGoal(h, fmt.Sprintf("dashboard p99 < %s", ms(goalAdminP99)), goalAdminP99)
	}
	b.stopChild(prod)
}

// startAll starts the product (pool), the floor (maxOpen) and the shared
// server on dirs and signs in the product's sessions of tenants. On error
// it stops what it started.
func (b *bench) startAll(ctx context.Context, label string, dirs map[string]string, pool, maxOpen int,
	tenants []string, emailOf func(string) string) ([]*sut, error) {
	var started []*child
	fail := func(err error) ([]*sut, error) {
		for _, c := range started {
			b.stopChild(c)
		}
		return nil, err
	}
	prod, err := b.startProduct(ctx, "product-"+label, dirs[kindProduct], pool)
	if err != nil {
		return fail(err)
	}
	started = append(started, prod)
	floor, err := b.startFloor(ctx, "floor-"+label, dirs[kindFloor], maxOpen)
	if err != nil {
		return fail(err)
	}
	started = append(started, floor)
	shared, err := b.startShared(ctx, "shared-"+label, dirs[kindShared])
	if err != nil {
		return fail(err)
	}
	started = append(started, shared)
	b.logf("signing in %d tenants on the product", len(tenants))
	start := time.Now()
	sessions, err := signInTenants(ctx, prod.addr, prod.port, tenants, emailOf)
	if err != nil {
		return fail(fmt.Errorf("signing in: %w", err))
	}
	b.logf("signed in in %s", time.Since(start).Round(time.Millisecond))
	return []*sut{
		{kind: kindProduct, ch: prod, sessions: sessions},
		{kind: kindFloor, ch: floor, sessions: plainSessions(tenants, floor.port)},
		{kind: kindShared, ch: shared, sessions: plainSessions(tenants, shared.port)},
	}, nil
}

// throughputGoals sets case a's targets: the product's req/s at least
// goalThroughput × the floor's, its p99 at most goalP99 × the floor's.
func throughputGoals(c *caseResult) {
	p, f := c.row(kindProduct), c.row(kindFloor)
	if p == nil || f == nil || f.res.ok == 0 {
		return
	}
	r := p.res.rps() / f.res.rps()
	c.goals = append(c.goals, goal{text: fmt.Sprintf("warm list req/s ≥ %.1f× floor", goalThroughput),
		pass: r >= goalThroughput, got: fmt.Sprintf("%.2f×", r)})
	pp, fp := p.res.lat.quantile(0.99), f.res.lat.quantile(0.99)
	c.goals = append(c.goals, goal{text: fmt.Sprintf("warm list p99 ≤ %.1f× floor", goalP99),
		pass: float64(pp) <= goalP99*float64(fp), got: fmt.Sprintf("%s vs %s (%.2f×)", ms(pp), ms(fp), float64(pp)/float64(fp))})
}

// writeGoals sets case d's targets: the product's writes/s at least
// goalThroughput × the floor's and more than the shared design's.
func writeGoals(c *caseResult) {
	p, f, s := c.row(kindProduct), c.row(kindFloor), c.row(kindShared)
	if p == nil || f == nil || s == nil || f.res.ok == 0 {
		return
	}
	r := p.res.rps() / f.res.rps()
	c.goals = append(c.goals,
		goal{text: fmt.Sprintf("add-todo writes/s ≥ %.1f× floor", goalThroughput), pass: r >= goalThroughput,
			got: fmt.Sprintf("%.2f×", r)},
		goal{text: "add-todo writes/s > shared", pass: p.res.rps() > s.res.rps(),
			got: fmt.Sprintf("%.0f vs %.0f", p.res.rps(), s.res.rps())})
}

// fragmentNote says so when the product answered the htmx request with as
// many bytes as the whole page: it has no fragment for it.
func fragmentNote(page, frag *caseResult) {
	p, f := page.row(kindProduct), frag.row(kindProduct)
	if p == nil || f == nil || f.res.ok == 0 || f.res.avgBytes() < p.res.avgBytes() {
		return
	}
	frag.notes = append(frag.notes, fmt.Sprintf(
		"The product answered `GET /` with `HX-Request: true` with the whole page (%d bytes, as in case a); the comparison servers send the list section and footer only.",
		f.res.avgBytes()))
}

// errorGoal sets the target of no errors on any server.
func errorGoal(c *caseResult) {
	n := 0
	for _, r := range c.rows {
		n += r.res.errors
	}
	c.goals = append(c.goals, goal{text: "0 errors on every server", pass: n == 0 && len(c.rows) > 0,
		got: fmt.Sprintf("%d errors", n)})
}

// latencyGoal sets the target of the product's p99 below limit.
func latencyGoal(c *caseResult, text string, limit time.Duration) {
	p := c.row(kindProduct)
	if p == nil || p.res.ok == 0 {
		return
	}
	p99 := p.res.lat.quantile(0.99)
	c.goals = append(c.goals, goal{text: text, pass: p99 < limit, got: ms(p99)})
}
