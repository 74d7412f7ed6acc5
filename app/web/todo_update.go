package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// formBool reads a checkbox-like form value.
func formBool(c *fiber.Ctx, key string) bool {
	switch c.FormValue(key) {
	case "1", "true", "on":
		return true
	}
	return false
}

// handleTodoToggle handles "POST /todos/:id/toggle": set one item completed
// ("completed" present) or active (absent). Setting, not flipping, makes a
// repeated request harmless.
func (s *Server) handleTodoToggle(c *fiber.Ctx) error {
	filter := requestFilter(c)
	id, err := todoID(c)
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	item, stats, err := listOf(c).SetTodoCompleted(c.UserContext(), id, formBool(c, "completed"))
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	return s.committed(c, filter, func() error { return s.renderItemChanged(c, filter, item, stats, false, app.Deletion{}) })
}

// handleTodoEdit handles "POST /todos/:id/edit": rename an item; an empty
// title deletes it.
func (s *Server) handleTodoEdit(c *fiber.Ctx) error {
	filter := requestFilter(c)
	id, err := todoID(c)
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	typed := c.FormValue("title")
	title, err := app.NormalizeTitle(typed)
	if err != nil {
		return s.titleRefused(c, filter, todoForm{EditID: id, EditTitle: &typed}, err)
	}
	if title == "" {
		return s.deleteTodo(c, filter, id)
	}
	item, stats, err := listOf(c).RenameTodo(c.UserContext(), id, title)
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	return s.committed(c, filter, func() error { return s.renderItemChanged(c, filter, item, stats, false, app.Deletion{}) })
}

// handleTodoDelete handles "POST /todos/:id/delete".
func (s *Server) handleTodoDelete(c *fiber.Ctx) error {
	filter := requestFilter(c)
	id, err := todoID(c)
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	return s.deleteTodo(c, filter, id)
}

// deleteTodo removes an item and answers with what changed and an undo
// notice, through committed like every write here: once saved, a write is
// never reported as failed.
func (s *Server) deleteTodo(c *fiber.Ctx, filter app.Filter, id int64) error {
	del, stats, err := listOf(c).DeleteTodo(c.UserContext(), id)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return s.afterDelete(c, filter, del)
	}
	gone := err != nil
	return s.committed(c, filter, func() error {
		if gone { // already gone: still remove it from the page
			var err error
			if stats, err = listOf(c).Stats(c.UserContext()); err != nil {
				return err
			}
		}
		return s.renderItemChanged(c, filter, app.Todo{ID: id}, stats, true, del)
	})
}

// handleTodoToggleAll handles "POST /todos/toggle-all": every item completed
// ("completed" present) or active (absent).
func (s *Server) handleTodoToggleAll(c *fiber.Ctx) error {
	filter := requestFilter(c)
	if _, err := listOf(c).SetAllCompleted(c.UserContext(), formBool(c, "completed")); err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	return s.committed(c, filter, func() error { return s.renderMainChanged(c, filter, app.Deletion{}) })
}

// handleTodoClearCompleted handles "POST /todos/clear-completed".
func (s *Server) handleTodoClearCompleted(c *fiber.Ctx) error {
	filter := requestFilter(c)
	del, _, err := listOf(c).ClearCompleted(c.UserContext())
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		return s.afterDelete(c, filter, del)
	}
	return s.committed(c, filter, func() error { return s.renderMainChanged(c, filter, del) })
}
