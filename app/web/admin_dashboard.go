package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// tenantPageSize is the number of tenants per dashboard page.
const tenantPageSize = 50

// tenantRow is one row of the tenants table.
type tenantRow struct {
	*app.Tenant
	URL       string    // the tenant's app
	Size      int64     // bytes on disk
	SizeKnown bool      // false when the size could not be read
	PurgeAt   time.Time // when a trashed tenant will be purged
	// RegionLabel names the tenant's region, e.g. "Amsterdam (ams)".
	RegionLabel string
}

// sortColumn is a sortable column header.
type sortColumn struct {
	Key, Label, URL string
	Active, Desc    bool
	Numeric         bool
}

// tenantColumns are the sortable columns, in table order. Numbers and
// times sort descending on the first click.
var tenantColumns = []sortColumn{
	{Key: app.SortName, Label: "Name"},
	{Key: app.SortRegion, Label: "Region"},
	{Key: app.SortStatus, Label: "Status"},
	{Key: app.SortCreated, Label: "Created", Numeric: true},
	{Key: app.SortLastActive, Label: "Last active", Numeric: true},
	{Key: app.SortTodos, Label: "Todos", Numeric: true},
	{Key: app.SortCompleted, Label: "Completed", Numeric: true},
	{Key: app.SortVersion, Label: "Schema", Numeric: true},
}

// dashboardQuery is what the dashboard shows, from its query string.
type dashboardQuery struct {
	app.TenantQuery
	Page  int
	Trash bool
}

// parseDashboardQuery reads "?q=&sort=&desc=1&page=&status=".
func parseDashboardQuery(c *fiber.Ctx) dashboardQuery {
	q := dashboardQuery{Page: pageNumber(c)}
	q.Search = strings.TrimSpace(c.Query("q"))
	q.Sort = app.SortName
	for _, col := range tenantColumns {
		if c.Query("sort") == col.Key {
			q.Sort = col.Key
		}
	}
	q.Desc = c.Query("desc") == "1"
	switch st := app.TenantStatus(c.Query("status")); st {
	case app.TenantActive, app.TenantSuspended, app.TenantDeleted:
		q.Status = st
	}
	q.Trash = q.Status == app.TenantDeleted
	q.Limit = tenantPageSize
	q.Offset = (q.Page - 1) * tenantPageSize
	return q
}

// values returns the query string of q, without the page; keys at their
// default are left out.
func (q dashboardQuery) values() url.Values {
	v := url.Values{}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if q.Sort != app.SortName {
		v.Set("sort", q.Sort)
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	return v
}

// columns returns the sortable headers with links that sort by each.
func (q dashboardQuery) columns() []sortColumn {
	out := make([]sortColumn, len(tenantColumns))
	for i, col := range tenantColumns {
		col.Active = col.Key == q.Sort
		col.Desc = col.Active && q.Desc
		desc := col.Numeric
		if col.Active {
			desc = !q.Desc
		}
		v := q.values()
		v.Set("sort", col.Key)
		if col.Key == app.SortName {
			v.Del("sort")
		}
		v.Del("desc")
		if desc {
			v.Set("desc", "1")
		}
		col.URL = "/"
		if len(v) > 0 {
			col.URL += "?" + v.Encode()
		}
		out[i] = col
	}
	return out
}

// handleAdminDashboard handles "GET /" on the admin host: the tenants
// table (or the trash with ?status=deleted) and the health panel. htmx
// requests, sent by the live view when tenants change, get the table alone.
func (s *Server) handleAdminDashboard(c *fiber.Ctx) error {
	q := parseDashboardQuery(c)
	ctx := c.UserContext()
	res, err := s.svc.TenantAdmin.QueryTenants(ctx, q.TenantQuery)
	if err != nil {
		return err
	}
	rows := make([]tenantRow, len(res.Tenants))
	for i, t := range res.Tenants {
		rows[i] = tenantRow{Tenant: t, URL: s.tenantURL(c, t.Name) + "/", RegionLabel: s.regionLabel(t.Region)}
		if t.Status == app.TenantDeleted {
			rows[i].PurgeAt = t.DeletedAt.Add(s.cfg.TrashRetention)
		}
		size, err := s.svc.TenantAdmin.TenantSize(ctx, t)
		if err != nil {
			s.logger.Warn("tenant size", "tenant", t.Name, "error", err)
			continue
		}
		rows[i].Size, rows[i].SizeKnown = size, true
	}
	live := "/"
	if v := q.values(); len(v) > 0 || q.Page > 1 {
		if q.Page > 1 {
			v.Set("page", strconv.Itoa(q.Page))
		}
		live = "/?" + v.Encode()
	}
	title, nav := "Tenants", "tenants"
	if q.Trash {
		title, nav = "Trash", "trash"
	}
	data := fiber.Map{
		"Title":     title,
		"Nav":       nav,
		"Query":     q,
		"Columns":   q.columns(),
		"Rows":      rows,
		"Pager":     newPager("/", q.values(), q.Page, tenantPageSize, res.Total),
		"LiveURL":   live,
		"Retention": s.cfg.TrashRetention,
		"Now":       time.Now(),
	}
	if !wantsFragment(c) {
		data["Version"] = s.events.Version()
		data["Regions"] = s.svc.Tenants.Regions()
		data["ImportMax"] = s.cfg.ImportMaxBytes
		data["Health"] = s.healthPanel(c)
		data["Routing"] = s.routing()
	}
	return s.renderAdmin(c, "admin/dashboard", "admin/_tenants", data)
}
