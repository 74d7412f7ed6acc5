package web

import (
	"github.com/gofiber/fiber/v2"
	"net/url"

	"todos/app"
)

// localAdmin is the Locals key of the signed-in admin.
const localAdmin = "admin"

// adminRoutes lists the routes of the admin host. Every page and action
// needs an admin session and passes the CSRF check (the import's, on its
// streamed form, in readUpload); /metrics also takes HTTP Basic
// credentials so that Prometheus can scrape it.
func (s *Server) adminRoutes(r fiber.Router) {
	if s.svc.Admins == nil {
		r.Use(func(c *fiber.Ctx) error {
			return fiber.NewError(fiber.StatusNotFound, "The admin app is not available on this server.")
		})
		return
	}
	session := s.loadSessionFor(s.adminSessions, s.cfg.SessionRenewEvery, s.ownedByAdmin)
	// The import reads its form as a stream and checks its CSRF token
	// itself (readUpload): s.csrf would read the whole form into memory.
	r.Post("/tenants/import", session, s.requireAdmin, s.handleAdminTenantImport)
	r.Use(s.csrf, session)
	r.Get("/login", s.handleAdminLoginPage)
	r.Post("/login", s.handleAdminLogin)
	r.Get("/metrics", s.handleMetrics)
	if s.adminAccounts() != nil {
		r.Get("/invite/:token", s.handleAdminInvitePage)
		r.Post("/invite/:token", s.handleAdminInviteAccept)
	}

	r.Use(s.requireAdmin)
	r.Post("/logout", s.handleAdminLogout)
	r.Get("/", s.handleAdminDashboard)
	r.Get("/events", s.handleAdminEvents)
	r.Get("/audit", s.handleAdminAudit)
	if s.adminAccounts() != nil {
		r.Get("/admins", s.handleAdminAdmins)
		r.Post("/admins/invite", s.handleAdminInvite)
		r.Post("/admins/remove", s.handleAdminRemove)
		r.Get("/password", s.handleAdminPasswordPage)
		r.Post("/password", s.handleAdminPassword)
	}
	r.Post("/tenants", s.routeSignup, s.handleAdminTenantCreate)
	r.Get("/tenants/:name", s.routeAdminTenant, s.handleAdminTenantView)
	r.Post("/tenants/:name/clone", s.routeAdminTenant, s.handleAdminTenantClone)
	r.Post("/tenants/:name/export", s.routeAdminTenant, s.handleAdminTenantExport)
	r.Post("/tenants/:name/move", s.routeAdminTenant, s.handleAdminTenantMove)
	r.Get("/tenants/:name/export", s.routeAdminTenant, s.handleAdminTenantExportGet)
	r.Post("/tenants/:name/suspend", s.routeAdminTenant, s.handleAdminTenantSuspend)
	r.Post("/tenants/:name/resume", s.routeAdminTenant, s.handleAdminTenantResume)
	r.Post("/tenants/:name/delete", s.routeAdminTenant, s.handleAdminTenantDelete)
	r.Post("/tenants/:name/restore", s.routeAdminTenant, s.handleAdminTenantRestore)
	r.Post("/tenants/:name/purge", s.routeAdminTenant, s.handleAdminTenantPurge)
	r.Post("/tenants/:name/users/:id<int>/reset-link", s.routeAdminTenant, s.handleAdminResetLink)
	r.Post("/tenants/:name/users/:id<int>/sign-out", s.routeAdminTenant, s.handleAdminUserSignOut)
	r.Get("/tenants/:name/console", s.routeAdminTenant, s.handleAdminConsolePage)
	r.Post("/tenants/:name/console", s.routeAdminTenant, s.handleAdminConsoleRun)
	r.Post("/tenants/:name/console/cancel", s.routeAdminTenant, s.handleAdminConsoleCancel)
}

// requireAdmin lets signed-in admins through and sends everyone else to the
// login page. A session that carries a tenant is never an admin's.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	a, err := s.sessionAdmin(c)
	if err != nil {
		return err
	}
	if a == nil {
		return toLogin(c)
	}
	c.Locals(localAdmin, a)
	return c.Next()
}

// adminOf returns the signed-in admin.
func adminOf(c *fiber.Ctx) *app.Admin { a, _ := c.Locals(localAdmin).(*app.Admin); return a }

// renderAdmin renders an admin page in the admin layout (or its fragment for
// htmx), with the admin, the navigation and, on whole pages, the flashes.
func (s *Server) renderAdmin(c *fiber.Ctx, page, fragment string, data fiber.Map) error {
	data["Admin"] = adminOf(c)
	if !wantsFragment(c) {
		f := s.takeFlashes(c)
		if _, ok := data["Errors"]; !ok {
			data["Errors"] = f.Errors
		}
		if _, ok := data["Notices"]; !ok {
			data["Notices"] = f.Notices
		}
		// A refused form's values, to fill it again: {{(index .Kept "create").Get "name"}}.
		data["Kept"] = f.Forms
	}
	return s.render(c, page, fragment, "layouts/admin", data)
}

// adminRefused answers a refused admin form with a redirect to next, the
// error as a flash and the form's values kept for the next page.
func (s *Server) adminRefused(c *fiber.Ctx, next string, err error, form string, values url.Values) error {
	if code := app.ErrorCode(err); code == app.EINTERNAL || code == app.EUNAVAILABLE {
		return s.adminDone(c, next, err, "")
	}
	if ferr := s.keepForm(c, form, values, app.ErrorMessage(err)); ferr != nil {
		return ferr
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// adminDone answers an admin action with a redirect to next and a flash
// that says how it went. Internal errors are logged; their message is the
// generic one.
func (s *Server) adminDone(c *fiber.Ctx, next string, err error, notice string) error {
	kind, msg := flashNotice, notice
	if err != nil {
		kind, msg = flashError, app.ErrorMessage(err)
		if code := app.ErrorCode(err); code == app.EINTERNAL || code == app.EUNAVAILABLE {
			s.logger.Error("admin action failed", "path", c.Path(), "error", err)
		}
	}
	if msg != "" {
		// The action has happened: a flash that cannot be set is logged,
		// never turned into an error.
		if ferr := s.addFlash(c, kind, msg); ferr != nil {
			s.logger.Warn("admin action done, its message was not kept", "path", c.Path(), "error", ferr)
		}
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
