package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleAdminUserSignOut handles "POST /tenants/:name/users/:id/sign-out":
// "sign out everywhere" for one of the tenant's users, done by an admin:
// every session of that user, kept in the tenant's own database, ends.
// Other users of the tenant stay signed in.
func (s *Server) handleAdminUserSignOut(c *fiber.Ctx) error {
	name := tenantParam(c)
	id, _ := c.ParamsInt("id")
	var ended int
	email, err := s.withTenantUser(c, int64(id), func(list app.TodoList, t *app.Tenant, u *app.User) (err error) {
		ended, err = endSessionsOfUser(c.UserContext(), list, t.ID, u.ID, "")
		return err
	})
	detail := email
	if err == nil {
		detail = fmt.Sprintf("%s (%s)", email, countOf(ended, "session"))
	}
	s.auditAdmin(c, "user-sign-out-all", name, detail, err)
	return s.adminDone(c, tenantReturn(name, err), err,
		fmt.Sprintf("Signed %s out everywhere: %s ended.", email, countOf(ended, "session")))
}
