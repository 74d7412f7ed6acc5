package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMetricsNeedAnAdmin(t *testing.T) {
	env, admin := adminEnv(t)
	env.createTenant("acme")
	anon := env.browser()

	r := anon.get(adminURL + "/metrics")
	if r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("anonymous: %d %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}
	mustNotContain(t, r.Body, "todos_http_requests_total")
	r = anon.get(adminURL+"/metrics", "Authorization", basicAuth(testAdminEmail, "wrong password"))
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong Basic password: %d", r.StatusCode)
	}
	r = anon.get(adminURL+"/metrics", "Authorization", "Basic !!!")
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("malformed Basic: %d", r.StatusCode)
	}
	// Not on other hosts.
	if r := anon.get("http://localhost:8080/metrics", "Authorization", basicAuth(testAdminEmail, testAdminPassword)); r.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the site: %d", r.StatusCode)
	}

	r = anon.get(adminURL+"/metrics", "Authorization", basicAuth(testAdminEmail, testAdminPassword))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("Basic auth: %d %s", r.StatusCode, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q", ct)
	}
	mustContain(t, r.Body,
		"# TYPE todos_http_requests_total counter",
		`todos_http_requests_total{host="admin",code="2xx"}`,
		`todos_http_requests_total{host="site",code="4xx"} 1`,
		`todos_http_requests_total{host="tenant",code="5xx"} 0`,
		`todos_http_requests_total{host="unknown",code="3xx"} 0`,
		"# TYPE todos_http_request_duration_seconds histogram",
		`todos_http_request_duration_seconds_bucket{host="admin",le="0.005"}`,
		`todos_http_request_duration_seconds_bucket{host="admin",le="+Inf"}`,
		`todos_http_request_duration_seconds_sum{host="admin"}`,
		`todos_http_request_duration_seconds_count{host="admin"}`,
		"# TYPE todos_pool_open gauge", "todos_pool_capacity 8", "todos_pool_hits_total", "todos_pool_misses_total", "todos_pool_evictions_total",
		`todos_tenants{status="active"} 1`, `todos_tenants{status="suspended"} 0`, `todos_tenants{status="deleted"} 0`)
	if m := regexp.MustCompile(`(?m)^todos_http_requests_total\{host="admin",code="2xx"\} (\d+)$`).FindStringSubmatch(r.Body); m == nil || m[1] == "0" {
		t.Errorf("admin 2xx count: %v", m)
	}
	// Every line is a comment or "name{labels} value".
	line := regexp.MustCompile(`^(# (HELP|TYPE) .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)$`)
	for _, l := range strings.Split(strings.TrimSpace(r.Body), "\n") {
		if !line.MatchString(l) {
			t.Errorf("bad exposition line %q", l)
		}
	}

	// An admin session works too.
	if r := admin.get(adminURL + "/metrics"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "todos_tenants") {
		t.Errorf("session: %d", r.StatusCode)
	}
}

func TestHTTPMetricsHistogram(t *testing.T) {
	m := newHTTPMetrics()
	now := time.Now()
	m.observe(hostTenant, 200, 3*time.Millisecond, now)
	m.observe(hostTenant, 302, 30*time.Millisecond, now)
	m.observe(hostTenant, 503, 20*time.Second, now)
	m.observe(hostKind(42), 101, time.Millisecond, now)
	if got := m.requests[hostTenant][0].Load() + m.requests[hostTenant][1].Load() + m.requests[hostTenant][3].Load(); got != 3 {
		t.Errorf("tenant requests = %d", got)
	}
	if m.requests[hostUnknown][0].Load() != 1 {
		t.Errorf("an unknown host kind and 1xx are not counted as unknown 2xx")
	}
	s := &Server{metrics: m}
	var b strings.Builder
	buf := new(bytes.Buffer)
	s.writeHTTPMetrics(buf)
	b.WriteString(buf.String())
	mustContain(t, b.String(),
		`todos_http_request_duration_seconds_bucket{host="tenant",le="0.005"} 1`,
		`todos_http_request_duration_seconds_bucket{host="tenant",le="0.05"} 2`,
		`todos_http_request_duration_seconds_bucket{host="tenant",le="10"} 2`,
		`todos_http_request_duration_seconds_bucket{host="tenant",le="+Inf"} 3`,
		`todos_http_request_duration_seconds_count{host="tenant"} 3`,
		`todos_http_request_duration_seconds_sum{host="tenant"} 20.033`)
}

func TestMinuteRingRate(t *testing.T) {
	var r minuteRing
	base := time.Unix(1_800_000_000, 0).Truncate(time.Minute)
	for range 60 {
		r.add(base.Add(10 * time.Second)) // previous minute
	}
	for range 5 {
		r.add(base.Add(70 * time.Second)) // current minute
	}
	// 15 s into the current minute: 5 + 60*(45/60).
	if got := r.rate(base.Add(75 * time.Second)); got != 50 {
		t.Errorf("rate = %d; want 50", got)
	}
	// An hour later the old slots count for nothing.
	if got := r.rate(base.Add(time.Hour + 75*time.Second)); got != 0 {
		t.Errorf("rate an hour later = %d", got)
	}
}
