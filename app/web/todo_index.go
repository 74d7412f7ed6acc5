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
	var editID int64
	if id, err := strconv.ParseInt(c.Query("edit"), 10, 64); err == nil {
		editID = id
	}
	f := s.takeFlashes(c)
	return s.renderTodoPage(c, fiber.StatusOK, filter, todoForm{EditID: editID, Undo: f.Undo}, f.Errors, f.Notices)
}

// todoForm is what the page's forms show: the text of the new-todo input,
// and the item being edited with its text.
type todoForm struct {
	NewTitle  string
	EditID    int64
	EditTitle *string // nil: the item's own title
	// Invalid: the title typed in the form (new or edited) was refused; the
	// field is marked invalid, tied to the message and focused.
	Invalid bool
	// Undo is the deletion the page offers to undo (after a delete
	// without JavaScript).
	Undo app.Deletion
}

// renderTodoPage renders the whole list under filter with the given forms
// and messages.
func (s *Server) renderTodoPage(c *fiber.Ctx, status int, filter app.Filter, form todoForm, errs, notices []string) error {
	todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
	if err != nil {
		return err
	}
	data := todoData(c, filter, todos, stats)
	data["EditID"] = form.EditID
	data["NewTitle"] = form.NewTitle
	data["EditTitle"] = form.EditTitle
	data["TitleInvalid"] = form.Invalid
	data["Errors"] = errs
	data["Notices"] = notices
	data["Undo"] = form.Undo
	return s.renderPage(c.Status(status), "todo/index", "layouts/todo", data)
}
