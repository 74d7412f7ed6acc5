package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// handleAccountDelete handles "POST /account/delete": with the list's name
// typed again and the user's password, the list goes to the trash (kept for
// Config.TrashRetention, then purged), the user's sessions end and the
// browser goes to the list's address, which now says it was deleted.
func (s *Server) handleAccountDelete(c *fiber.Ctx) error {
	t := tenantOf(c)
	typed := c.FormValue("confirm_name")
	if strings.TrimSpace(typed) != t.Name {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, accountView{DeleteName: typed,
			DeleteNameError: "Nothing was deleted: type the list's name, " + t.Name + ", exactly."})
	}
	msg, status, err := s.checkOwnPassword(c, c.FormValue("password"))
	if err != nil {
		return err
	}
	if msg != "" {
		return s.renderAccount(c, status, accountView{DeleteName: typed, DeletePasswordError: msg})
	}
	// The sessions live in the list's database: they end before it goes.
	// Then this request gives its handle back, since the move waits for
	// every request using the database.
	if err := s.endAllSessions(c); err != nil {
		s.auditOwner(c, "owner-delete", "", err)
		return err
	}
	listOf(c).Release()
	err = s.svc.Tenants.DeleteTenant(c.UserContext(), t.Name)
	s.auditOwner(c, "owner-delete", "kept "+humanRetention(s.cfg.TrashRetention), err)
	if err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}
