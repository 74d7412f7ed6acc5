package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// loadSpec is one load run against one server.
type loadSpec struct {
	op       op
	conns    int           // concurrent requests (closed loop) or most in flight (open loop)
	warmup   time.Duration // sent but not measured
	duration time.Duration // measured
	rate     float64       // > 0: open loop at this many requests per second
	pick     picker        // which session each request uses
	sessions []*session
}

// loadResult is what a load run measured.
type loadResult struct {
	lat     latencies     // measured requests that succeeded (open loop: and lower bounds of unsent ones)
	ok      int           // measured requests that succeeded
	errors  int           // failed requests, warm-up included
	bytes   int64         // body bytes of the measured requests
	window  time.Duration // from the start of the measurement to the last measured answer
	unsent  int           // open loop: requests due in the window but not sent when it ended
	cookies int           // measured responses that set a cookie
	samples []string      // the first few errors
}

// rps returns the measured successful requests per second.
func (r *loadResult) rps() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.ok) / r.window.Seconds()
}

// avgBytes returns the mean body size of the measured requests.
func (r *loadResult) avgBytes() int64 {
	if r.ok == 0 {
		return 0
	}
	return r.bytes / int64(r.ok)
}

// merge adds the measurements of another run of the same load (a later
// round) to r.
func (r *loadResult) merge(o loadResult) {
	r.lat = sortLatencies(append(r.lat, o.lat...))
	r.ok += o.ok
	r.errors += o.errors
	r.bytes += o.bytes
	r.window += o.window
	r.unsent += o.unsent
	r.cookies += o.cookies
	for _, s := range o.samples {
		if len(r.samples) < maxSamples {
			r.samples = append(r.samples, s)
		}
	}
}

// maxSamples is how many error messages a run keeps.
const maxSamples = 5

// recorder collects what the load goroutines measured.
type recorder struct {
	mu       sync.Mutex
	res      loadResult
	lastDone time.Time
}

// add merges one goroutine's measurements.
func (r *recorder) add(lat []time.Duration, ok int, bytes int64, last time.Time, unsent, cookies int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.lat = append(r.res.lat, lat...)
	r.res.ok += ok
	r.res.bytes += bytes
	r.res.unsent += unsent
	r.res.cookies += cookies
	if last.After(r.lastDone) {
		r.lastDone = last
	}
}

// fail counts an error and keeps its message if there are few so far.
func (r *recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.errors++
	if len(r.res.samples) < maxSamples {
		r.res.samples = append(r.res.samples, err.Error())
	}
}

// runLoad runs spec against the server at addr.
func runLoad(ctx context.Context, addr string, spec loadSpec) loadResult {
	c := newHTTPClient(spec.conns)
	defer c.CloseIdleConnections()
	var rec recorder
	var measureFrom time.Time
	if spec.rate > 0 {
		measureFrom = openLoop(ctx, c, addr, spec, &rec)
	} else {
		measureFrom = closedLoop(ctx, c, addr, spec, &rec)
	}
	res := rec.res
	res.lat = sortLatencies(res.lat)
	if rec.lastDone.After(measureFrom) {
		res.window = rec.lastDone.Sub(measureFrom)
	}
	return res
}

// closedLoop runs spec.conns goroutines that each send a request as soon as
// their previous one is answered, for the warm-up and then the measured
// duration. It returns when the measurement started.
func closedLoop(ctx context.Context, c *http.Client, addr string, spec loadSpec, rec *recorder) time.Time {
	start := time.Now()
	measureFrom := start.Add(spec.warmup)
	end := measureFrom.Add(spec.duration)
	var wg sync.WaitGroup
	for w := range spec.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pick := spec.pick(uint64(w) + 1)
			var lat []time.Duration
			var ok, cookies int
			var bytes int64
			var last time.Time
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				a, err := do(ctx, c, addr, spec.op, spec.sessions[pick()])
				t1 := time.Now()
				if err != nil {
					if ctx.Err() == nil {
						rec.fail(err)
					}
					continue
				}
				if !t0.Before(measureFrom) {
					lat = append(lat, t1.Sub(t0))
					ok++
					bytes += int64(a.bytes)
					if a.setCookie {
						cookies++
					}
					last = t1
				}
			}
			rec.add(lat, ok, bytes, last, 0, cookies)
		}()
	}
	wg.Wait()
	return measureFrom
}

// openLoop sends requests at spec.rate on a fixed schedule, whatever the
// server's speed, from up to spec.conns goroutines. A request's latency is
// measured from when it was due, not from when it was sent, so that a slow
// server cannot hide the queue it causes (no coordinated omission).
// Requests still unsent when the measured duration ends are counted as
// unsent, with the time they had waited as their latency (a lower bound).
// It returns when the measurement started.
func openLoop(ctx context.Context, c *http.Client, addr string, spec loadSpec, rec *recorder) time.Time {
	interval := time.Duration(float64(time.Second) / spec.rate)
	start := time.Now().Add(10 * time.Millisecond)
	measureFrom := start.Add(spec.warmup)
	end := measureFrom.Add(spec.duration)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range spec.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pick := spec.pick(uint64(w) + 1)
			var lat []time.Duration
			var ok, unsent, cookies int
			var bytes int64
			var last time.Time
			for ctx.Err() == nil {
				due := start.Add(time.Duration(next.Add(1)-1) * interval)
				if !due.Before(end) {
					break
				}
				measured := !due.Before(measureFrom)
				now := time.Now()
				if now.After(end) {
					if measured {
						unsent++
						lat = append(lat, end.Sub(due))
					}
					continue
				}
				if wait := due.Sub(now); wait > 0 {
					time.Sleep(wait)
				}
				a, err := do(ctx, c, addr, spec.op, spec.sessions[pick()])
				t1 := time.Now()
				if err != nil {
					if ctx.Err() == nil {
						rec.fail(err)
					}
					continue
				}
				if measured {
					lat = append(lat, t1.Sub(due))
					ok++
					bytes += int64(a.bytes)
					if a.setCookie {
						cookies++
					}
					last = t1
				}
			}
			rec.add(lat, ok, bytes, last, unsent, cookies)
		}()
	}
	wg.Wait()
	return measureFrom
}
