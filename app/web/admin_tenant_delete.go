package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// trashPath is the trash view of the dashboard.
const trashPath = "/?status=deleted"

// confirmName checks that the admin typed the tenant's name in "confirm".
func confirmName(c *fiber.Ctx, name, verb string) error {
	if strings.TrimSpace(c.FormValue("confirm")) != name {
		return app.Errorf(app.EINVALID, "Nothing was %s: type the tenant's name, %s, to confirm.", verb, name)
	}
	return nil
}

// handleAdminTenantDelete handles "POST /tenants/:name/delete": with the
// name typed again, the tenant goes to the trash and leaves its host at
// once; its database is kept for the retention period.
func (s *Server) handleAdminTenantDelete(c *fiber.Ctx) error {
	name := tenantParam(c)
	err := confirmName(c, name, "deleted")
	if err == nil {
		err = s.svc.Tenants.DeleteTenant(c.UserContext(), name)
	}
	s.auditAdmin(c, "delete", name, "", err)
	if err != nil {
		return s.adminDone(c, tenantReturn(name, err), err, "")
	}
	purge := time.Now().Add(s.cfg.TrashRetention).UTC().Format("2 Jan 2006 15:04 UTC")
	return s.adminDone(c, trashPath, nil, "Moved "+name+" to the trash. It will be purged on "+purge+" unless restored.")
}

// handleAdminTenantRestore handles "POST /tenants/:name/restore": the
// tenant comes back from the trash, whole.
func (s *Server) handleAdminTenantRestore(c *fiber.Ctx) error {
	name := tenantParam(c)
	t, err := s.svc.TenantAdmin.RestoreTenant(c.UserContext(), name)
	s.auditAdmin(c, "restore", name, "", err)
	if err != nil {
		return s.adminDone(c, trashPath, err, "")
	}
	return s.adminDone(c, tenantPath(t.Name), nil, "Restored "+t.Name+".")
}

// handleAdminTenantPurge handles "POST /tenants/:name/purge": with the name
// typed again, a trashed tenant and its database are removed for good.
func (s *Server) handleAdminTenantPurge(c *fiber.Ctx) error {
	name := tenantParam(c)
	err := confirmName(c, name, "purged")
	if err == nil {
		err = s.svc.TenantAdmin.PurgeTenant(c.UserContext(), name)
	}
	s.auditAdmin(c, "purge", name, "", err)
	return s.adminDone(c, trashPath, err, "Purged "+name+" for good.")
}
