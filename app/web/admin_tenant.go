package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// tenantParam returns the ":name" route parameter, lowercased and copied
// (fiber reuses the original).
func tenantParam(c *fiber.Ctx) string { return strings.ToLower(strings.Clone(c.Params("name"))) }

// tenantPath is the admin page of a tenant.
func tenantPath(name string) string { return "/tenants/" + url.PathEscape(name) }

// adminTenant finds the tenant named by the route, with a not-found error
// that says which.
func (s *Server) adminTenant(c *fiber.Ctx) (*app.Tenant, error) {
	name := tenantParam(c)
	t, err := s.svc.TenantAdmin.FindTenant(c.UserContext(), name)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "There is no tenant called %q. It may have been deleted: look in the trash.", name)
	}
	return t, err
}

// handleAdminTenantView handles "GET /tenants/:name": what the control
// plane knows of one tenant, and its actions.
func (s *Server) handleAdminTenantView(c *fiber.Ctx) error {
	t, err := s.adminTenant(c)
	if err != nil {
		return err
	}
	if t.Status != app.TenantDeleted {
		// The control plane's counters may lag its database by a batch of
		// activity (or more after a crash): show, and keep, the real ones.
		if counted, err := s.svc.TenantAdmin.RecountTenant(c.UserContext(), t); err != nil {
			s.logger.Warn("tenant recount", "tenant", t.Name, "error", err)
		} else {
			t = counted
		}
	}
	row := tenantRow{Tenant: t, URL: s.tenantURL(c, t.Name) + "/", RegionLabel: s.regionLabel(t.Region)}
	if size, err := s.svc.TenantAdmin.TenantSize(c.UserContext(), t); err != nil {
		s.logger.Warn("tenant size", "tenant", t.Name, "error", err)
	} else {
		row.Size, row.SizeKnown = size, true
	}
	var users []tenantUserView
	if t.Status != app.TenantDeleted {
		if users, err = s.tenantUsers(c, t); err != nil {
			s.logger.Warn("tenant users", "tenant", t.Name, "error", err)
		}
	}
	return s.renderAdmin(c, "admin/tenant", "", fiber.Map{
		"Title":     t.Name,
		"Users":     users,
		"Nav":       "tenants",
		"T":         row,
		"Retention": s.cfg.TrashRetention,
		"Regions":   s.svc.Tenants.Regions(),
		"Now":       time.Now(),
	})
}

// tenantReturn is where an action on a tenant goes back to: the tenant's
// page, or the dashboard when the tenant is not there.
func tenantReturn(name string, err error) string {
	if app.ErrorCode(err) == app.ENOTFOUND {
		return "/"
	}
	return tenantPath(name)
}
