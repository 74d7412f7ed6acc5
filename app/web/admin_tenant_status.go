package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleAdminTenantSuspend handles "POST /tenants/:name/suspend": with a
// reason (shown to the tenant's users) and the name typed again, the
// tenant's host refuses its users until resumed; its data is untouched. A
// refusal is shown beside the form, which keeps the reason typed.
func (s *Server) handleAdminTenantSuspend(c *fiber.Ctx) error {
	name := tenantParam(c)
	typed := strings.Clone(c.FormValue("reason"))
	reason, field, err := suspendForm(c, name, typed)
	if err == nil {
		err = s.svc.TenantAdmin.SuspendTenantWithReason(c.UserContext(), name, reason)
	}
	s.auditAdmin(c, "suspend", name, reason, err)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.adminDone(c, "/", err, "")
	} else if err != nil {
		// The reason is kept as typed, clipped to what a flash can hold.
		kept := url.Values{"reason": {app.Clip(typed, keptValueMax-8)}}
		return s.adminRefusedBeside(c, tenantPath(name), err, "suspend", field, kept)
	}
	return s.adminDone(c, tenantPath(name), nil, "Suspended "+name+". Its users see the reason: “"+reason+"”")
}

// suspendForm checks the suspend form of tenant name: the reason typed (in
// its cleaned form) and the name typed to confirm. A refusal says which
// field it is about.
func suspendForm(c *fiber.Ctx, name, typed string) (reason, field string, err error) {
	reason, err = app.CleanSuspendReason(typed)
	if err == nil && reason == "" {
		err = app.ErrSuspendReasonMissing
	}
	if err != nil {
		return "", "reason", err
	}
	if err := confirmName(c, name, "suspended"); err != nil {
		return reason, "confirm", err
	}
	return reason, "", nil
}

// handleAdminTenantResume handles "POST /tenants/:name/resume": the
// tenant's users are let back in and the suspension's reason is forgotten.
func (s *Server) handleAdminTenantResume(c *fiber.Ctx) error {
	name := tenantParam(c)
	err := s.svc.TenantAdmin.ResumeTenant(c.UserContext(), name)
	s.auditAdmin(c, "resume", name, "", err)
	return s.adminDone(c, tenantReturn(name, err), err, "Resumed "+name+".")
}
