package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleMetrics handles "GET /metrics" on the admin host: the Prometheus
// text format. It takes an admin session, or an admin's email and password
// as HTTP Basic credentials (rate-limited like sign-ins) for scrapers.
func (s *Server) handleMetrics(c *fiber.Ctx) error {
	ok, err := s.metricsAllowed(c)
	if err != nil {
		return err
	}
	if !ok {
		c.Set(fiber.HeaderWWWAuthenticate, `Basic realm="TODOs admin", charset="UTF-8"`)
		return fiber.NewError(fiber.StatusUnauthorized, "Sign in as an admin to read the metrics.")
	}
	var b bytes.Buffer
	s.writeHTTPMetrics(&b)
	if s.svc.PoolCounters != nil {
		p := s.svc.PoolCounters()
		writeMetric(&b, "todos_pool_open", "gauge", "Tenant databases open in the pool.", p.Open)
		writeMetric(&b, "todos_pool_capacity", "gauge", "Tenant databases the pool keeps open at most.", p.Capacity)
		writeMetric(&b, "todos_pool_hits_total", "counter", "Acquires that found the tenant database open.", p.Hits)
		writeMetric(&b, "todos_pool_misses_total", "counter", "Acquires that had to open the tenant database.", p.Misses)
		writeMetric(&b, "todos_pool_evictions_total", "counter", "Tenant databases closed to stay within capacity.", p.Evictions)
	}
	s.writeStorageMetrics(c, &b)
	s.writeControlSyncMetrics(&b)
	n, err := s.countTenants(c.UserContext())
	if err != nil {
		return err
	}
	b.WriteString("# HELP todos_tenants Tenants by status.\n# TYPE todos_tenants gauge\n")
	fmt.Fprintf(&b, "todos_tenants{status=%q} %d\n", app.TenantActive, n.Active)
	fmt.Fprintf(&b, "todos_tenants{status=%q} %d\n", app.TenantSuspended, n.Suspended)
	fmt.Fprintf(&b, "todos_tenants{status=%q} %d\n", app.TenantDeleted, n.Deleted)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.Send(b.Bytes())
}

// metricsAllowed reports whether the request comes from an admin: by
// session, or by Basic credentials.
func (s *Server) metricsAllowed(c *fiber.Ctx) (bool, error) {
	a, err := s.sessionAdmin(c)
	if err != nil || a != nil {
		return a != nil, err
	}
	auth := c.Get(fiber.HeaderAuthorization)
	encoded, found := strings.CutPrefix(auth, "Basic ")
	if !found {
		return false, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return false, nil
	}
	user, password, found := strings.Cut(string(raw), ":")
	email, err := app.NormalizeEmail(user)
	if !found || err != nil {
		return false, nil
	}
	_, ok, err := s.checkAdminPassword(c, email, password)
	if app.ErrorCode(err) == app.ERATELIMITED {
		return false, fiber.NewError(fiber.StatusTooManyRequests, app.ErrorMessage(err))
	}
	return ok, err
}

// writeHTTPMetrics writes the request counters and latency histogram.
func (s *Server) writeHTTPMetrics(b *bytes.Buffer) {
	m := s.metrics
	b.WriteString("# HELP todos_http_requests_total HTTP requests by host kind and status class.\n")
	b.WriteString("# TYPE todos_http_requests_total counter\n")
	for k := range hostKinds {
		for cl, class := range statusClasses {
			fmt.Fprintf(b, "todos_http_requests_total{host=%q,code=%q} %d\n", hostLabels[k], class, m.requests[k][cl].Load())
		}
	}
	b.WriteString("# HELP todos_http_request_duration_seconds Time to handle a request, by host kind.\n")
	b.WriteString("# TYPE todos_http_request_duration_seconds histogram\n")
	for k := range hostKinds {
		var cum int64
		for i, le := range latencyBuckets {
			cum += m.latency[k][i].Load()
			fmt.Fprintf(b, "todos_http_request_duration_seconds_bucket{host=%q,le=%q} %d\n",
				hostLabels[k], strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		// Read after the buckets, the count may lag an observation in
		// flight; +Inf must never be below a bucket.
		count := max(m.count[k].Load(), cum)
		fmt.Fprintf(b, "todos_http_request_duration_seconds_bucket{host=%q,le=\"+Inf\"} %d\n", hostLabels[k], count)
		fmt.Fprintf(b, "todos_http_request_duration_seconds_sum{host=%q} %s\n", hostLabels[k],
			strconv.FormatFloat(float64(m.sumNanos[k].Load())/1e9, 'f', -1, 64))
		fmt.Fprintf(b, "todos_http_request_duration_seconds_count{host=%q} %d\n", hostLabels[k], count)
	}
}

// writeMetric writes one unlabelled metric with its HELP and TYPE lines.
func writeMetric(b *bytes.Buffer, name, typ, help string, v int64) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", name, help, name, typ, name, v)
}

// writeControlSyncMetrics writes the replica control plane's sync counters,
// when the control plane is one.
func (s *Server) writeControlSyncMetrics(b *bytes.Buffer) {
	if s.svc.ControlSync == nil {
		return
	}
	cs := s.svc.ControlSync()
	if !cs.Replica {
		return
	}
	writeMetric(b, "todos_control_sync_total", "counter", "Successful syncs of the control plane's local replica.", cs.Syncs)
	writeMetric(b, "todos_control_sync_failures_total", "counter", "Failed syncs of the control plane's local replica (it keeps serving its last copy).", cs.Failures)
	age := int64(-1)
	if !cs.LastSync.IsZero() {
		age = int64(time.Since(cs.LastSync).Seconds())
	}
	writeMetric(b, "todos_control_sync_age_seconds", "gauge", "Seconds since the control plane's replica last synced (-1: never).", age)
}
