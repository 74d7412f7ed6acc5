package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// todoKeyField is the new-todo form's idempotency key field (views/todo/
// _new_key.html).
const todoKeyField = "idempotency_key"

// handleTodoCreate handles "POST /todos": add an item. An empty title is
// ignored. A form's idempotency key makes a retried submission answer with
// the item it added instead of adding another. With htmx, the first item
// brings the main section and footer; later ones are appended to the list.
// Once the item is saved, nothing may turn the answer into an error (the
// user would add it again): see committed.
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
	item, stats, err := s.addTodo(c, title)
	if app.ErrorCode(err) == app.EFULL && !isHTMX(c) {
		return s.storageFullPage(c, filter, todoForm{NewTitle: typed}, err)
	} else if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	return s.committed(c, filter, func() error { return s.renderCreated(c, filter, item, stats) })
}

// addTodo adds title once for the form's idempotency key. A request without
// a valid key (a page loaded before keys existed) adds it.
func (s *Server) addTodo(c *fiber.Ctx, title string) (app.Todo, app.TodoStats, error) {
	key := c.FormValue(todoKeyField)
	if !app.ValidIdempotencyKey(key) {
		return listOf(c).AddTodo(c.UserContext(), title)
	}
	item, stats, _, err := listOf(c).AddTodoOnce(c.UserContext(), key, title)
	return item, stats, err
}

// renderCreated answers htmx with the added item (the first one with the
// main section and footer) and a fresh idempotency key for the form. An
// item deleted since it was added (a late retry) shows nothing.
func (s *Server) renderCreated(c *fiber.Ctx, filter app.Filter, item app.Todo, stats app.TodoStats) error {
	if item.ID == 0 {
		c.Set("HX-Reswap", "none")
		data := todoData(c, filter, nil, stats)
		data["NewKeyOOB"] = true
		return s.renderFragment(c, "todo/_new_key", data)
	}
	if stats.Total == 1 {
		todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
		if err != nil {
			return err
		}
		c.Set("HX-Retarget", "#todoapp")
		c.Set("HX-Reswap", "beforeend")
		data := todoData(c, filter, todos, stats)
		data["NewKeyOOB"] = true
		return s.renderFragment(c, "todo/_body", data)
	}
	c.Set("HX-Retarget", ".todo-list")
	c.Set("HX-Reswap", "beforeend")
	data := todoData(c, filter, nil, stats)
	data["Item"] = item
	data["ShowItem"] = filter.Matches(item)
	data["FooterOOB"] = true
	data["ToggleOOB"] = true
	data["NewKeyOOB"] = true
	return s.renderFragment(c, "todo/_changed", data)
}
