package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleAdminTenantSuspend handles "POST /tenants/:name/suspend": the
// tenant's host refuses its users until resumed; its data is untouched.
func (s *Server) handleAdminTenantSuspend(c *fiber.Ctx) error {
	name := tenantParam(c)
	err := s.svc.TenantAdmin.SuspendTenant(c.UserContext(), name)
	s.auditAdmin(c, "suspend", name, "", err)
	return s.adminDone(c, tenantReturn(name, err), err, "Suspended "+name+".")
}

// handleAdminTenantResume handles "POST /tenants/:name/resume".
func (s *Server) handleAdminTenantResume(c *fiber.Ctx) error {
	name := tenantParam(c)
	err := s.svc.TenantAdmin.ResumeTenant(c.UserContext(), name)
	s.auditAdmin(c, "resume", name, "", err)
	return s.adminDone(c, tenantReturn(name, err), err, "Resumed "+name+".")
}
