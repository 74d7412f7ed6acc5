package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleTodoCreate handles "POST /todos": add an item. An empty title is
// ignored. With htmx, the first item brings the main section and footer;
// later ones are appended to the list.
func (s *Server) handleTodoCreate(c *fiber.Ctx) error {
	filter := requestFilter(c)
	typed := c.FormValue("title")
	title, err := app.NormalizeTitle(typed)
	if err != nil {
		return s.titleRefused(c, filter, todoForm{NewTitle: typed}, err)
	}
	if title == "" {
		if isHTMX(c) {
			return c.SendStatus(fiber.StatusNoContent)
		}
		return afterWrite(c, filter)
	}
	item, stats, err := listOf(c).AddTodo(c.UserContext(), title)
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	if stats.Total == 1 {
		todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
		if err != nil {
			return err
		}
		c.Set("HX-Retarget", "#todoapp")
		c.Set("HX-Reswap", "beforeend")
		return s.renderFragment(c, "todo/_body", todoData(c, filter, todos, stats))
	}
	c.Set("HX-Retarget", ".todo-list")
	c.Set("HX-Reswap", "beforeend")
	return s.renderItemChanged(c, filter, item, stats, false)
}
