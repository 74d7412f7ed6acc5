package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// errListDeleted answers the host of a tenant in the trash: a 404 like
// any address without a list, with a message that says what happened.
var errListDeleted = fiber.NewError(fiber.StatusNotFound,
	"This TODO list was deleted. It is kept for a while before it is removed for good: "+
		"if that was a mistake, ask the operator of this site to restore it.")

// noListAt answers a tenant host that names no live tenant: "deleted" when
// the name is in the trash, "no list" otherwise.
func (s *Server) noListAt(c *fiber.Ctx, name string) error {
	t, err := s.svc.Tenants.FindTenantByNameIncludingTrash(c.UserContext(), name)
	if err == nil && t.Status == app.TenantDeleted {
		return errListDeleted
	} else if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	return errNoList
}
