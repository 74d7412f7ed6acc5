package web

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// healthPanel is the dashboard's view of the server: the tenant pool, the
// request rate, tenant counts and writes per hour.
type healthPanel struct {
	Pool              PoolCounters
	HasPool           bool
	HitRate           string
	RequestsPerMinute int64
	Counts            tenantCounts
	CountsKnown       bool
	Chart             *activityChart
}

// tenantCounts are the numbers of tenants in each status.
type tenantCounts struct {
	Active, Suspended, Deleted int
}

// countTenants asks the control plane how many tenants are in each status.
func (s *Server) countTenants(ctx context.Context) (tenantCounts, error) {
	var n tenantCounts
	for _, st := range []struct {
		status app.TenantStatus
		into   *int
	}{{app.TenantActive, &n.Active}, {app.TenantSuspended, &n.Suspended}, {app.TenantDeleted, &n.Deleted}} {
		page, err := s.svc.TenantAdmin.QueryTenants(ctx, app.TenantQuery{Status: st.status, Limit: 1})
		if err != nil {
			return n, err
		}
		*st.into = page.Total
	}
	return n, nil
}

// healthPanel gathers the health panel. Parts that fail are left out and
// logged: the dashboard still shows the tenants.
func (s *Server) healthPanel(c *fiber.Ctx) healthPanel {
	ctx := c.UserContext()
	h := healthPanel{RequestsPerMinute: s.metrics.perMinute.rate(time.Now())}
	if s.svc.PoolCounters != nil {
		h.Pool, h.HasPool = s.svc.PoolCounters(), true
		h.HitRate = "–"
		if n := h.Pool.Hits + h.Pool.Misses; n > 0 {
			h.HitRate = fmt.Sprintf("%.1f%%", 100*float64(h.Pool.Hits)/float64(n))
		}
	}
	if n, err := s.countTenants(ctx); err != nil {
		s.logger.Warn("tenant counts", "error", err)
	} else {
		h.Counts, h.CountsKnown = n, true
	}
	if s.svc.Activity != nil {
		points, err := s.svc.Activity.HourlyActivity(ctx, 24)
		if err != nil {
			s.logger.Warn("hourly activity", "error", err)
		} else {
			h.Chart = newActivityChart(points)
		}
	}
	return h
}

// activityChart is a bar chart of writes per hour, drawn as SVG by the
// template with attributes only (the CSP allows no inline style).
type activityChart struct {
	Width, Height int
	Bars          []chartBar
	Labels        []chartLabel
	Max, Total    int
	Baseline      int // y of the axis
	LabelY        int // y of the hour labels
}

// chartBar is one hour's bar.
type chartBar struct {
	X, Y, W, H int
	Title      string
}

// chartLabel is an hour label under the bars.
type chartLabel struct {
	X    int
	Text string
}

// newActivityChart lays out one bar per point in a 720×150 box with a
// label every six hours.
func newActivityChart(points []app.ActivityPoint) *activityChart {
	const width, plot, gap = 720, 126, 2
	ch := &activityChart{Width: width, Height: plot + 24, Baseline: plot, LabelY: plot + 18}
	for _, p := range points {
		ch.Max = max(ch.Max, p.Writes)
		ch.Total += p.Writes
	}
	if len(points) == 0 {
		return ch
	}
	step := width / len(points)
	for i, p := range points {
		h := 0
		if ch.Max > 0 {
			h = p.Writes * (plot - 4) / ch.Max
		}
		if p.Writes > 0 && h < 2 {
			h = 2
		}
		hour := p.Hour.UTC()
		ch.Bars = append(ch.Bars, chartBar{
			X: i*step + gap/2, Y: plot - h, W: step - gap, H: h,
			Title: fmt.Sprintf("%s UTC: %d %s", hour.Format("2 Jan 15:04"), p.Writes, map[bool]string{true: "write", false: "writes"}[p.Writes == 1]),
		})
		if hour.Hour()%6 == 0 {
			ch.Labels = append(ch.Labels, chartLabel{X: i*step + step/2, Text: hour.Format("15:04")})
		}
	}
	return ch
}
