package main

import (
	"fmt"
	"strings"
	"time"
)

// caseResult is the outcome of one case on every server it applies to.
type caseResult struct {
	id, title string
	setup     string // what ran: data, load, server settings
	ratioBy   string // what the ratio columns compare: "req/s" or "p99"
	openLoop  bool   // a fixed-rate case: show the unsent column
	rows      []*caseRow
	goals     []goal
	notes     []string
	skipped   string   // why the case was left out on purpose
	failed    []string // why it, or part of it, could not run
}

// caseRow is one server's run of a case.
type caseRow struct {
	server string // product, floor or shared
	res    loadResult
	proc   *procStats // resident memory and descriptors after the run, if read
}

// goal is a performance target: reported, never enforced.
type goal struct {
	text string
	pass bool
	got  string
}

// row returns the row of server kind, or nil.
func (c *caseResult) row(kind string) *caseRow {
	for _, r := range c.rows {
		if r.server == kind {
			return r
		}
	}
	return nil
}

// report is the whole run's outcome.
type report struct {
	started  time.Time
	elapsed  time.Duration
	machine  machineInfo
	cmdline  string
	cfg      *config
	dataDir  string
	seeding  []string // how long each data set took to make
	cases    []*caseResult
	failures []string // errors, cases that could not run, unclean stops
}

// metric returns the value the ratio columns of c compare.
func metric(c *caseResult, r *caseRow) float64 {
	if r == nil || r.res.ok == 0 {
		return 0
	}
	if c.ratioBy == "p99" {
		return float64(r.res.lat.quantile(0.99))
	}
	return r.res.rps()
}

// thousands formats n with commas: 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ratio formats a / b.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// markdown renders the report.
func (r *report) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Load benchmark: the product against its floor\n\n")
	p("- date: %s (took %s)\n", r.started.Format("2006-01-02 15:04 MST"), r.elapsed.Round(time.Second))
	p("- machine: %s\n", r.machine)
	p("- Go: %s; product commit: %s\n", r.machine.Go, r.machine.Commit)
	p("- command: `%s`\n", r.cmdline)
	c := r.cfg
	p("- scale: %s tenants × %d todos; big: %s tenants (pool %d, %s read); %s measured per server and case, in %d interleaved rounds, each after a warm-up (%s for a server's first round, a quarter of that later); %d connections (writers case: %d); fixed rates %.0f req/s (case c) and %.0f req/s (case f)\n",
		thousands(c.tenants), c.todos, thousands(c.big), c.bigPool, thousands(min(c.bigSample, max(c.big, 1))),
		c.duration, c.rounds, c.warmup, c.conns, c.writers, c.rate, c.coldRate)
	p("- fixed-rate runs (cases c and f) are one %s window each: the queue of a server that cannot keep up grows for as long as the run lasts\n", c.duration)
	p("- the load generator runs on the same machine as the server under test; one server is loaded at a time\n")
	if len(r.seeding) > 0 {
		p("- data: %s\n", strings.Join(r.seeding, "; "))
	}
	if c.keep {
		p("- data and server logs kept in `%s`\n", r.dataDir)
	}
	for _, cr := range r.cases {
		r.writeCase(&b, cr)
	}
	p("\n## Targets\n\nReported, not enforced.\n\n| case | target | result | got |\n|---|---|---|---|\n")
	for _, cr := range r.cases {
		for _, g := range cr.goals {
			res := "MISS"
			if g.pass {
				res = "PASS"
			}
			p("| %s | %s | %s | %s |\n", cr.id, g.text, res, g.got)
		}
	}
	if len(r.failures) == 0 {
		p("\n**Result: OK** — every case ran and no server returned an error.\n")
	} else {
		p("\n**Result: FAILED**\n\n")
		for _, f := range r.failures {
			p("- %s\n", f)
		}
	}
	return b.String()
}

// writeCase renders one case.
func (r *report) writeCase(b *strings.Builder, cr *caseResult) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("\n## %s. %s\n\n", cr.id, cr.title)
	if cr.setup != "" {
		p("%s\n\n", cr.setup)
	}
	if cr.skipped != "" {
		p("Skipped: %s\n", cr.skipped)
		return
	}
	for _, f := range cr.failed {
		p("**Could not run:** %s\n\n", f)
	}
	if len(cr.rows) > 0 {
		open, proc := cr.openLoop, false
		for _, row := range cr.rows {
			proc = proc || row.proc != nil
		}
		by := cr.ratioBy
		p("| server | req/s | p50 | p99 | max | errors | bytes/resp |")
		if open {
			p(" unsent |")
		}
		if proc {
			p(" RSS | open fds |")
		}
		p(" ratio vs floor (%s) | ratio vs shared (%s) |\n|---|---|---|---|---|---|---|", by, by)
		if open {
			p("---|")
		}
		if proc {
			p("---|---|")
		}
		p("---|---|\n")
		floor, shared := metric(cr, cr.row(kindFloor)), metric(cr, cr.row(kindShared))
		for _, row := range cr.rows {
			res := &row.res
			p("| %s | %.0f | %s | %s | %s | %d | %d |", row.server, res.rps(), ms(res.lat.quantile(0.5)),
				ms(res.lat.quantile(0.99)), ms(res.lat.max()), res.errors, res.avgBytes())
			if open {
				p(" %d |", res.unsent)
			}
			if proc {
				if row.proc != nil {
					p(" %.0f MB | %d |", float64(row.proc.RSSKB)/1024, row.proc.FDs)
				} else {
					p(" – | – |")
				}
			}
			m := metric(cr, row)
			p(" %s | %s |\n", ratio(m, floor), ratio(m, shared))
		}
	}
	if cr.openLoop && len(cr.rows) > 0 {
		p("\nUnsent: requests due in the measured window that no connection was free to send before it ended; the time they had waited counts as their latency (a lower bound). req/s is what was answered.\n")
	}
	for _, n := range cr.notes {
		p("\n%s\n", n)
	}
	for _, g := range cr.goals {
		res := "MISS"
		if g.pass {
			res = "PASS"
		}
		p("\n- target %s: **%s** (%s)", g.text, res, g.got)
	}
	if len(cr.goals) > 0 {
		p("\n")
	}
	for _, row := range cr.rows {
		for _, s := range row.res.samples {
			p("\n- error sample (%s): `%s`", row.server, strings.ReplaceAll(s, "`", "'"))
		}
	}
	p("\n")
}
