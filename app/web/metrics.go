package web

import (
	"sync"
	"sync/atomic"
	"time"
)

// httpMetrics counts the requests of every host in memory, for /metrics and
// the admin health panel. Counters are atomic: the root middleware updates
// them on every request.
type httpMetrics struct {
	// requests counts responses by host kind and status class (2xx..5xx;
	// 1xx counts as 2xx).
	requests [hostKinds][4]atomic.Int64
	// latency is a histogram of request durations per host kind.
	latency   [hostKinds][len(latencyBuckets)]atomic.Int64
	sumNanos  [hostKinds]atomic.Int64
	count     [hostKinds]atomic.Int64
	perMinute minuteRing
	// storageFull counts writes refused because the storage was full and
	// answered as such (507); sessions kept in memory instead are counted
	// by their spillStore.
	storageFull atomic.Int64
	// sessionSaveFailures counts session saves that failed after the
	// request's work was done and were logged instead of failing it
	// (renewals of the idle deadline).
	sessionSaveFailures atomic.Int64
}

// hostKinds is the number of hostKind values.
const hostKinds = int(hostAdmin) + 1

// hostLabels are the "host" label values of each hostKind.
var hostLabels = [hostKinds]string{hostUnknown: "unknown", hostSite: "site", hostTenant: "tenant", hostAdmin: "admin"}

// statusClasses are the "code" label values.
var statusClasses = [4]string{"2xx", "3xx", "4xx", "5xx"}

// latencyBuckets are the upper bounds, in seconds, of the latency
// histogram (Prometheus' defaults).
var latencyBuckets = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newHTTPMetrics() *httpMetrics { return &httpMetrics{} }

// observe counts one request.
func (m *httpMetrics) observe(kind hostKind, status int, d time.Duration, now time.Time) {
	k := int(kind)
	if k < 0 || k >= hostKinds {
		k = int(hostUnknown)
	}
	class := min(max(status/100-2, 0), 3)
	m.requests[k][class].Add(1)
	secs := d.Seconds()
	for i, le := range latencyBuckets {
		if secs <= le {
			m.latency[k][i].Add(1)
			break
		}
	}
	m.sumNanos[k].Add(int64(d))
	m.count[k].Add(1)
	m.perMinute.add(now)
}

// minuteRing counts requests per minute over the last hour.
type minuteRing struct {
	mu    sync.Mutex
	slots [60]struct{ minute, n int64 }
}

// add counts one request at now.
func (r *minuteRing) add(now time.Time) {
	m := now.Unix() / 60
	r.mu.Lock()
	s := &r.slots[m%60]
	if s.minute != m {
		s.minute, s.n = m, 0
	}
	s.n++
	r.mu.Unlock()
}

// count returns the requests counted in minute m (Unix minutes).
func (r *minuteRing) count(m int64) int64 {
	s := r.slots[m%60]
	if s.minute != m {
		return 0
	}
	return s.n
}

// rate estimates the requests of the last sixty seconds: the current
// minute so far plus the part of the previous minute still in the window.
func (r *minuteRing) rate(now time.Time) int64 {
	m := now.Unix() / 60
	elapsed := float64(now.Unix()%60) / 60
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count(m) + int64(float64(r.count(m-1))*(1-elapsed)+0.5)
}
