package web

import "github.com/gofiber/fiber/v2"

// renderErrorPage renders the whole-page answer to an error in the look of
// the host it happened on: for a signed-in admin, the admin layout with its
// navigation and a way back to the tenants; on a tenant's host, the list's
// own look, with a way back to the list for a signed-in user; elsewhere, the
// sign-up site's look with a link to its home page. A reason ("" for
// none: a suspension's, typed by an admin) is shown, escaped, below the
// message.
func (s *Server) renderErrorPage(c *fiber.Ctx, title, message, reason string) error {
	data := fiber.Map{
		"Title":     title,
		"Message":   message,
		"Reason":    reason,
		"BackURL":   s.siteURL(c),
		"BackLabel": "Go to the TODOs home page",
	}
	if a := adminOf(c); a != nil {
		data["Admin"], data["Nav"] = a, ""
		data["BackURL"], data["BackLabel"] = "/", "Back to the tenants"
		return s.renderPage(c, "errors/page", "layouts/admin", data)
	}
	if name, _ := c.Locals(localTenantName).(string); name != "" {
		if userOf(c) != nil {
			data["BackURL"], data["BackLabel"] = "/", "Back to your list"
		}
		return s.renderPage(c, "errors/page", "layouts/todo", data)
	}
	return s.renderPage(c, "errors/page", "layouts/site", data)
}
