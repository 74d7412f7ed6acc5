package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// accountRoutes lists the routes of the signed-in user's account page, on
// their list's host (behind requireUser; every POST passed the CSRF check).
func (s *Server) accountRoutes(r fiber.Router) {
	r.Get("/account", s.handleAccount)
	r.Post("/account/export", s.handleAccountExport)
	r.Post("/account/export.csv", s.handleAccountExportCSV)
	r.Post("/account/export.json", s.handleAccountExportJSON)
	r.Post("/account/password", s.handleAccountPassword)
	r.Post("/account/sessions/end-all", s.handleAccountEndAll)
	r.Post("/account/delete", s.handleAccountDelete)
}

// accountView is the data of the account page.
type accountView struct {
	CSRF        string
	Tenant      *app.Tenant
	User        *app.User
	RegionLabel string
	Sessions    []sessionView
	Retention   string // how long a deleted list stays in the trash
	Errors      []string
	Notices     []string
	// Errors beside the fields of the forms; what was typed in the delete
	// form's name field is kept (passwords never are).
	CurrentPasswordError string
	NewPasswordError     string
	DeleteNameError      string
	DeletePasswordError  string
	DeleteName           string
}

// handleAccount handles "GET /account": export, password, sessions and
// deletion of the signed-in user's list.
func (s *Server) handleAccount(c *fiber.Ctx) error {
	f := s.takeFlashes(c)
	return s.renderAccount(c, fiber.StatusOK, accountView{Errors: f.Errors, Notices: f.Notices})
}

// renderAccount renders the account page with status and v's messages.
func (s *Server) renderAccount(c *fiber.Ctx, status int, v accountView) error {
	sessions, err := s.userSessions(c)
	if err != nil {
		return err
	}
	v.CSRF, _ = c.Locals(localCSRF).(string)
	v.Tenant, v.User, v.RegionLabel = tenantOf(c), userOf(c), regionLabelOf(c)
	v.Sessions = sessions
	v.Retention = humanRetention(s.cfg.TrashRetention)
	return s.renderPage(c.Status(status), "todo/account", "layouts/todo", fiber.Map{
		"CSRF": v.CSRF, "Tenant": v.Tenant, "Account": v,
	})
}

// humanRetention says how long d is in days (or hours under two days).
func humanRetention(d time.Duration) string {
	if d < 48*time.Hour {
		h := int((d + time.Hour - 1) / time.Hour)
		if h == 1 {
			return "1 hour"
		}
		return strconv.Itoa(h) + " hours"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days"
}

// auditOwner records an action of the signed-in user on their own list.
func (s *Server) auditOwner(c *fiber.Ctx, action, detail string, err error) {
	s.audit(c, userOf(c).Email, action, tenantOf(c).Name, detail, err)
}

// accountDone ends a successful account form: back to the account page
// with a notice.
func (s *Server) accountDone(c *fiber.Ctx, notice string) error {
	if err := s.addFlash(c, flashNotice, notice); err != nil {
		return err
	}
	return c.Redirect("/account", fiber.StatusSeeOther)
}
