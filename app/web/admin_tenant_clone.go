package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// handleAdminTenantClone handles "POST /tenants/:name/clone": a copy of the
// tenant's database, taken while it keeps serving, becomes a new tenant
// named by the "name" field.
func (s *Server) handleAdminTenantClone(c *fiber.Ctx) error {
	source := tenantParam(c)
	target := strings.ToLower(strings.TrimSpace(c.FormValue("name")))
	t, err := s.svc.TenantAdmin.CloneTenant(c.UserContext(), source, target)
	if err != nil {
		s.auditAdmin(c, "clone", source, "into "+target, err)
		return s.adminRefused(c, tenantReturn(source, err), err, "clone", url.Values{"name": {c.FormValue("name")}})
	}
	s.auditAdmin(c, "clone", source, "into "+t.Name, nil)
	return s.adminDone(c, tenantPath(t.Name), nil, "Cloned "+source+" into "+t.Name+".")
}
