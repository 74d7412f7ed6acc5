package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleAdminTenantMove handles "POST /tenants/:name/move": with the name
// typed again, the tenant's database is copied into the region of the
// "region" field, checked, and the tenant switched to it (see
// store.Tenants.MoveTenant, which audits it). A refusal or a failure is
// shown beside the form, which keeps the region chosen.
func (s *Server) handleAdminTenantMove(c *fiber.Ctx) error {
	name := tenantParam(c)
	region := strings.TrimSpace(c.FormValue("region"))
	if err := confirmName(c, name, "moved"); err != nil {
		s.auditAdmin(c, "move", name, "to "+region, err)
		return s.moveRefused(c, name, region, err)
	}
	m, err := s.svc.TenantAdmin.MoveTenant(c.UserContext(), name, region, adminOf(c).Email)
	if err != nil {
		return s.moveRefused(c, name, region, err)
	}
	msg := fmt.Sprintf("Moved %s from %s to %s: %d rows in %d tables copied and verified.",
		name, s.regionLabel(m.From), s.regionLabel(m.To), m.Rows(), len(m.Tables))
	if m.Leftover != "" {
		msg += " Its old database could not be removed: remove " + m.Leftover + " by hand."
	}
	return s.adminDone(c, tenantPath(name), nil, msg)
}

// moveRefused answers a move that did not happen: back to the tenant's
// page (the dashboard when it is not found) with the error beside the
// move form, whatever the error (a failed check of the copy included).
func (s *Server) moveRefused(c *fiber.Ctx, name, region string, err error) error {
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.adminDone(c, "/", err, "")
	}
	if code := app.ErrorCode(err); code == app.EINTERNAL || code == app.EUNAVAILABLE {
		s.logger.Error("admin action failed", "path", c.Path(), "error", err)
	}
	kept := url.Values{"region": {region}, "error": {app.Clip(app.ErrorMessage(err), keptValueMax-8)}}
	if ferr := s.queueFlashes(c, map[string]string{formFlashPrefix + "move": keptForm(kept).Encode()}); ferr != nil {
		return ferr
	}
	return c.Redirect(tenantPath(name), fiber.StatusSeeOther)
}
