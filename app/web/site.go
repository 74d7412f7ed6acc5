package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// siteRoutes lists the routes of the bare domain.
func (s *Server) siteRoutes(r fiber.Router) {
	r.Use(s.csrf)
	r.Get("/", s.handleSiteHome)
	r.Post("/signup", s.routeSignup, s.handleSignup)
	r.Get("/find", s.handleFind)
}

// homeData is the landing page's data with the form values to keep.
func (s *Server) homeData(name, email, region, findName string) fiber.Map {
	return fiber.Map{
		"Title":     "Your own TODO list",
		"Name":      name,
		"Email":     email,
		"Region":    region,
		"FindName":  findName,
		"FindError": "",
		// The field the page's error is about ("name", "region", "email",
		// "password" or "find"): marked invalid and focused.
		"Invalid": "",
		// The sign-up's errors beside their fields, by field name.
		"FieldErrors": map[string]string{},
		"Regions":     s.svc.Tenants.Regions(),
	}
}

// handleSiteHome handles "GET /" on the bare domain: what TODOs is, sign-up
// and "find my list".
func (s *Server) handleSiteHome(c *fiber.Ctx) error {
	return s.renderPage(c, "site/home", "layouts/site", s.homeData("", "", "", ""))
}

// handleSignup handles "POST /signup": it creates the tenant, its database
// and its owner, then hands the new session over to the tenant's host.
// Sign-ups are limited per client and in all (Limits), counted before any
// work and given back when nothing was created; the creation, which hashes
// the password, runs within a password slot.
func (s *Server) handleSignup(c *fiber.Ctx) error {
	in := app.CreateTenantInput{
		Name:          c.FormValue("name"),
		Region:        c.FormValue("region"),
		OwnerEmail:    c.FormValue("email"),
		OwnerPassword: c.FormValue("password"),
	}
	if errs, first := s.signupFieldErrors(in); first != "" {
		// Every field is checked at once; nothing is counted or created.
		data := s.homeData(in.Name, in.OwnerEmail, in.Region, "")
		data["FieldErrors"], data["Invalid"] = errs, first
		return s.renderPage(c.Status(fiber.StatusUnprocessableEntity), "site/home", "layouts/site", data)
	}
	client := s.clientKey(c)
	var t *app.Tenant
	var u *app.User
	err := s.signups.Take(client)
	if err == nil {
		s.withPasswordSlot(func() { t, u, err = s.svc.Tenants.CreateTenant(c.UserContext(), in) })
		if code := app.ErrorCode(err); code == app.EINVALID || code == app.ECONFLICT {
			s.signups.Give(client)
		}
	}
	if err != nil {
		if code := app.ErrorCode(err); code == app.EINVALID || code == app.ECONFLICT || code == app.ERATELIMITED {
			// What was typed is kept, except the password.
			data := s.homeData(in.Name, in.OwnerEmail, in.Region, "")
			if field := s.signupInvalidField(in, err); field != "" {
				data["FieldErrors"] = map[string]string{field: app.ErrorMessage(err)}
				data["Invalid"] = field
			} else {
				data["Errors"] = []string{app.ErrorMessage(err)}
			}
			return s.renderPage(c.Status(statusOf[code]), "site/home", "layouts/site", data)
		}
		return err
	}
	s.logger.Info("tenant created", "tenant", t.Name, "id", t.ID, "region", t.Region)
	token, err := s.svc.Handoffs.CreateHandoff(c.UserContext(), app.Handoff{TenantID: t.ID, UserID: u.ID}, s.cfg.HandoffTTL)
	if err != nil {
		// The list exists; the owner can still sign in with their password.
		s.logger.Error("handoff", "tenant", t.Name, "error", err)
		return c.Redirect(s.tenantURL(c, t.Name)+"/login", fiber.StatusSeeOther)
	}
	return c.Redirect(s.tenantURL(c, t.Name)+"/auth/handoff?token="+url.QueryEscape(token), fiber.StatusSeeOther)
}

// handleFind handles "GET /find?name=": it sends the user to their list's
// host, or says why it cannot.
func (s *Server) handleFind(c *fiber.Ctx) error {
	typed := c.Query("name")
	name, err := app.NormalizeTenantName(typed)
	if err == nil {
		_, err = s.svc.Tenants.FindTenantByName(c.UserContext(), name)
		if app.ErrorCode(err) == app.ENOTFOUND {
			err = app.Errorf(app.ENOTFOUND, "There is no list called %q.", name)
		}
	}
	if err != nil {
		code := app.ErrorCode(err)
		if code != app.EINVALID && code != app.ENOTFOUND {
			return err
		}
		data := s.homeData("", "", "", typed)
		data["FindError"] = app.ErrorMessage(err) // beside its form, not in the sign-up card
		data["Invalid"] = "find"
		return s.renderPage(c.Status(statusOf[code]), "site/home", "layouts/site", data)
	}
	return c.Redirect(s.tenantURL(c, name)+"/", fiber.StatusSeeOther)
}
