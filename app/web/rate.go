package web

import "time"

// rate is a token bucket kept as a single time per key (the generic cell
// rate algorithm): a key's "full" time moves interval ahead with each event
// and never lags behind now; the first burst events are free, and each
// event beyond them is "over" by how far full has run past the burst.
type rate struct {
	interval time.Duration // one event is forgiven each interval
	burst    int           // events allowed at once
}

// perPeriod returns the rate of n events per period, all allowed at once.
func perPeriod(n int, period time.Duration) rate {
	return rate{interval: period / time.Duration(n), burst: n}
}

// charge returns full after one more event at now, and how far beyond the
// free burst that puts it (0 when within the burst).
func (r rate) charge(full, now time.Time) (next time.Time, over time.Duration) {
	if full.Before(now) {
		full = now
	}
	next = full.Add(r.interval)
	if over = next.Sub(now) - time.Duration(r.burst)*r.interval; over < 0 {
		over = 0
	}
	return next, over
}

// refund takes one event back from full.
func (r rate) refund(full time.Time) time.Time { return full.Add(-r.interval) }
