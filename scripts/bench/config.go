package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// config is the scale and the paths of "bench run".
type config struct {
	tenants    int           // tenants of the warm, write and cold cases
	todos      int           // todos seeded per tenant
	big        int           // tenants of the big cases (0 skips them)
	bigPool    int           // the product's --pool-size (and the floor's --max-open) in the big cases
	bigSample  int           // signed-in tenants the big list case reads
	duration   time.Duration // measured time of each run
	warmup     time.Duration // unmeasured time before it
	rounds     int           // interleaved rounds each run is split into
	conns      int           // closed-loop connections
	writers    int           // connections of the one-tenant writers case
	rate       float64       // open-loop requests per second
	coldRate   float64       // open-loop requests per second of the cold case
	openConns  int           // most requests in flight in the open loop
	adminConns int           // connections of the dashboard case
	smoke      bool          // tiny preset
	out        string        // report file
	keep       bool          // keep the data directory
	profile    string        // write CPU profiles of the product here
	phases     string        // which phases run: warm (a–f2), big (g, h), sqld (a and d on sqld)
	dir        string        // parent of the data directory
	todosBin   string        // the product's binary
	schema     string        // the product's schema.sql (for seeding)
}

// smokeDefaults are the values -smoke gives the flags not set explicitly.
var smokeDefaults = map[string]string{
	"tenants": "30", "big": "300", "big-pool": "100", "big-sample": "300",
	"duration": "1s", "warmup": "200ms", "rounds": "2", "rate": "200", "cold-rate": "100", "open-conns": "32",
	"phases": "warm,big,sqld",
}

// parseConfig parses the flags of "bench run".
func parseConfig(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("bench run", flag.ContinueOnError)
	fs.IntVar(&c.tenants, "tenants", 1000, "tenants of the warm, write and cold cases")
	fs.IntVar(&c.todos, "todos", 20, "todos per tenant")
	fs.IntVar(&c.big, "big", 100000, "tenants on disk in the big cases (g, h); 0 skips them")
	fs.IntVar(&c.bigPool, "big-pool", 1000, "product --pool-size (floor --max-open) in the big cases")
	fs.IntVar(&c.bigSample, "big-sample", 2000, "signed-in tenants read in the big list case")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured duration of each run")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	fs.IntVar(&c.rounds, "rounds", 3, "split each closed-loop run into this many rounds, interleaved across servers")
	fs.IntVar(&c.conns, "conns", 16, "connections of the closed-loop cases")
	fs.IntVar(&c.writers, "writers", 50, "concurrent writers on one tenant (case e)")
	fs.Float64Var(&c.rate, "rate", 500, "offered requests per second of the fixed-rate case")
	fs.Float64Var(&c.coldRate, "cold-rate", 200, "offered requests per second of the cold-tenants latency case (f)")
	fs.IntVar(&c.openConns, "open-conns", 128, "most requests in flight in the fixed-rate case")
	fs.IntVar(&c.adminConns, "admin-conns", 4, "connections of the dashboard case")
	fs.BoolVar(&c.smoke, "smoke", false, "tiny run of every case (30 tenants, big 300, 1s each)")
	fs.StringVar(&c.out, "out", "bench-report.md", "report file (also printed to stdout)")
	fs.BoolVar(&c.keep, "keep", false, "keep the data directory and server logs")
	fs.StringVar(&c.phases, "phases", "warm,big", "phases to run, comma-separated: warm (cases a–f2), big (g, h) and sqld (a and d with the product on a libSQL server against local files; -smoke runs all three)")
	fs.StringVar(&c.profile, "profile", "", "directory for CPU profiles of the product, one per closed-loop round (its --pprof-addr); empty: none")
	fs.StringVar(&c.dir, "dir", os.TempDir(), "where to make the data directory")
	fs.StringVar(&c.todosBin, "todos-bin", "bin/todos", "the product's binary")
	fs.StringVar(&c.schema, "schema", "schema.sql", "the product's tenant schema, for seeding")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.smoke {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range smokeDefaults {
			if !set[name] {
				if err := fs.Set(name, v); err != nil {
					return nil, err
				}
			}
		}
	}
	switch {
	case c.tenants < 4:
		return nil, fmt.Errorf("-tenants must be at least 4")
	case c.big != 0 && c.big < 2:
		return nil, fmt.Errorf("-big must be 0 or at least 2")
	case c.todos < 1, c.rounds < 1, c.conns < 1, c.writers < 1, c.openConns < 1, c.adminConns < 1, c.bigPool < 1, c.bigSample < 1:
		return nil, fmt.Errorf("-todos, -rounds, -conns, -writers, -open-conns, -admin-conns, -big-pool and -big-sample must be positive")
	case c.rate <= 0 || c.coldRate <= 0 || c.duration <= 0 || c.warmup < 0:
		return nil, fmt.Errorf("-rate, -cold-rate and -duration must be positive, -warmup not negative")
	}
	for _, p := range strings.Split(c.phases, ",") {
		if p != "warm" && p != "big" && p != "sqld" {
			return nil, fmt.Errorf("-phases: unknown phase %q (want warm, big or sqld)", p)
		}
	}
	return c, nil
}

// warmPool is the product's --pool-size in the warm cases: room for every
// tenant.
func (c *config) warmPool() int { return 2 * c.tenants }

// coldPool is the product's --pool-size (and the floor's --max-open) in the
// cold case: a quarter of the tenants.
func (c *config) coldPool() int { return max(1, c.tenants/4) }
