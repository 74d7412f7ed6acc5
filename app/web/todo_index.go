package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleTodoIndex handles "GET /", "GET /active" and "GET /completed": the
// list under a filter. "?edit=ID" shows that item in edit mode, for browsers
// without JavaScript.
func (s *Server) handleTodoIndex(c *fiber.Ctx) error {
	filter := app.ParseFilter(strings.TrimPrefix(c.Path(), "/"))
	todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
	if err != nil {
		return err
	}
	data := todoData(c, filter, todos, stats)
	if id, err := strconv.ParseInt(c.Query("edit"), 10, 64); err == nil {
		data["EditID"] = id
	}
	data["Errors"] = s.takeFlashes(c, flashError)
	data["Notices"] = s.takeFlashes(c, flashNotice)
	return s.renderPage(c, "todo/index", "layouts/todo", data)
}
