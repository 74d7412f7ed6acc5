package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// tenantRoutes lists the routes of a tenant's host.
func (s *Server) tenantRoutes(r fiber.Router) {
	r.Use(s.resolveTenant, s.routeTenant, s.csrf, s.openList, s.loadSessionFor(s.sessions, s.cfg.SessionRenewEvery, s.ownedByTenant))
	r.Get("/login", s.handleLoginPage)
	r.Post("/login", s.handleLogin)
	r.Post("/logout", s.handleLogout)
	r.Get("/auth/handoff", s.handleHandoff)
	s.resetRoutes(r)

	r.Use(s.requireUser)
	s.accountRoutes(r)
	r.Get("/", s.handleTodoIndex)
	r.Get("/active", s.handleTodoIndex)
	r.Get("/completed", s.handleTodoIndex)
	r.Post("/todos", s.handleTodoCreate)
	r.Post("/todos/toggle-all", s.handleTodoToggleAll)
	r.Post("/todos/clear-completed", s.handleTodoClearCompleted)
	r.Post("/todos/undo", s.handleTodoUndo)
	r.Post("/todos/:id<int>/toggle", s.handleTodoToggle)
	r.Post("/todos/:id<int>/edit", s.handleTodoEdit)
	r.Post("/todos/:id<int>/delete", s.handleTodoDelete)
}

// errNoList answers a tenant host that names no live tenant.
var errNoList = fiber.NewError(fiber.StatusNotFound, "There is no TODO list at this address.")

// resolveTenant finds the tenant named by the host. Unknown tenants get a
// friendly 404 page; suspended ones a page that says so, with the reason
// their admin gave. A host whose name
// no tenant may have (classifyHost left it empty: "xn--…", reserved names)
// gets the same 404 without a lookup.
func (s *Server) resolveTenant(c *fiber.Ctx) error {
	name, _ := c.Locals(localTenantName).(string)
	if app.CheckTenantName(name) != nil {
		return errNoList
	}
	t, err := s.svc.Tenants.FindTenantByName(c.UserContext(), name)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return s.noListAt(c, name)
	} else if err != nil {
		return err
	}
	if t.Status == app.TenantSuspended {
		return suspended(t)
	}
	c.Locals(localTenant, t)
	return c.Next()
}

// openList acquires the tenant's database for the request and releases it
// when the request is done. The request's context carries it as the store
// of the tenant's sessions.
func (s *Server) openList(c *fiber.Ctx) error {
	list, err := s.svc.Lists.OpenList(c.UserContext(), tenantOf(c))
	if err != nil {
		return err
	}
	defer list.Release()
	c.Locals(localList, list)
	c.SetUserContext(app.NewContextWithSessionRecords(c.UserContext(), list))
	return c.Next()
}

// requireUser lets signed-in users of this tenant through and sends everyone
// else to the login page.
func (s *Server) requireUser(c *fiber.Ctx) error {
	t := tenantOf(c)
	id, ok := s.sessionUser(c, t.ID)
	var u *app.User
	if ok {
		var err error
		u, err = listOf(c).UserByID(c.UserContext(), id)
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return err
		}
	}
	if u == nil {
		return toLogin(c)
	}
	c.Locals(localUser, u)
	return c.Next()
}

// toLogin sends a request without a valid session to its host's login page:
// a redirect, or for htmx a 401 that tells htmx to go there.
func toLogin(c *fiber.Ctx) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", "/login")
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// tenantOf returns the tenant resolved for this request.
func tenantOf(c *fiber.Ctx) *app.Tenant { t, _ := c.Locals(localTenant).(*app.Tenant); return t }

// listOf returns the tenant database acquired for this request.
func listOf(c *fiber.Ctx) app.TodoList { l, _ := c.Locals(localList).(app.TodoList); return l }

// userOf returns the signed-in user.
func userOf(c *fiber.Ctx) *app.User { u, _ := c.Locals(localUser).(*app.User); return u }
