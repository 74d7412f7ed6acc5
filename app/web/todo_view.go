package web

import (
	"encoding/json"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// requestFilter returns the filter the user is looking at: the "filter"
// form field sent by every form and htmx request.
func requestFilter(c *fiber.Ctx) app.Filter { return app.ParseFilter(c.FormValue("filter")) }

// todoID parses the ":id" route parameter.
func todoID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Errorf(app.ENOTFOUND, "That item no longer exists.")
	}
	return id, nil
}

// todoData is the data of the TODO page and every fragment of it.
func todoData(c *fiber.Ctx, filter app.Filter, todos []app.Todo, stats app.TodoStats) fiber.Map {
	csrf, _ := c.Locals(localCSRF).(string)
	return fiber.Map{
		"CSRF":         csrf,
		"FormFields":   formFields(csrf, filter),
		"FilterVals":   filterVals(filter),
		"Tenant":       tenantOf(c),
		"RegionLabel":  regionLabelOf(c),
		"User":         userOf(c),
		"Filter":       filter,
		"Todos":        todos,
		"Stats":        stats,
		"EditID":       int64(0),
		"NewTitle":     "",
		"EditTitle":    (*string)(nil),
		"TitleInvalid": false,
		"Item":         app.Todo{},
		"ShowItem":     false,
		"FooterOOB":    false,
		"ToggleOOB":    false,
		// The new-todo form's idempotency key (todo_create.go), sent
		// out of band with the answer to an add when NewKeyOOB.
		"NewTodoKey": app.NewIdempotencyKey(),
		"NewKeyOOB":  false,
		// The undo notice of a deletion (views/todo/_undo.html), and the
		// notice of an undo (Restored), sent to the alert area.
		"Undo":     app.Deletion{},
		"Restored": "",
	}
}

// afterWrite answers a form post without JavaScript: back to the list the
// user was looking at.
func afterWrite(c *fiber.Ctx, filter app.Filter) error {
	return c.Redirect(filter.Path(), fiber.StatusSeeOther)
}

// writeFailed answers a refused write. htmx requests get the message in the
// alert area (through the error handler); form posts are sent back to the
// list with the message as a flash, so nothing the user sees is lost, or,
// when the storage is full, shown the list with it at once (507).
func (s *Server) writeFailed(c *fiber.Ctx, filter app.Filter, err error) error {
	if app.ErrorCode(err) == app.EFULL && !isHTMX(c) {
		return s.storageFullPage(c, filter, todoForm{}, err)
	}
	if isHTMX(c) || app.ErrorCode(err) == app.EINTERNAL || app.ErrorCode(err) == app.EUNAVAILABLE {
		return err
	}
	if ferr := s.addFlash(c, flashError, app.ErrorMessage(err)); ferr != nil {
		return ferr
	}
	return afterWrite(c, filter)
}

// titleRefused answers a refused title. htmx requests get the message in
// the alert area (the page keeps what was typed); without JavaScript the
// page is rendered again with the message and the typed text in its form.
func (s *Server) titleRefused(c *fiber.Ctx, filter app.Filter, form todoForm, err error) error {
	if isHTMX(c) || app.ErrorCode(err) != app.EINVALID {
		return s.writeFailed(c, filter, err)
	}
	form.Invalid = true
	return s.renderTodoPage(c, fiber.StatusUnprocessableEntity, filter, form, []string{app.ErrorMessage(err)}, nil)
}

// renderItemChanged answers an htmx write that changed one item: the item
// (if it still matches the filter, otherwise it leaves the DOM), the footer
// and the toggle-all checkbox. An emptied list loses its main and footer.
func (s *Server) renderItemChanged(c *fiber.Ctx, filter app.Filter, item app.Todo, stats app.TodoStats, deleted bool, del app.Deletion) error {
	data := todoData(c, filter, nil, stats)
	data["Undo"] = del
	if stats.Total == 0 {
		return s.renderFragment(c, "todo/_emptied", data)
	}
	data["Item"] = item
	data["ShowItem"] = !deleted && filter.Matches(item)
	data["FooterOOB"] = true
	data["ToggleOOB"] = true
	return s.renderFragment(c, "todo/_changed", data)
}

// renderMainChanged answers an htmx write that changed many items: the whole
// main section and the footer, or their removal when the list is empty,
// with the undo notice of del if it removed any.
func (s *Server) renderMainChanged(c *fiber.Ctx, filter app.Filter, del app.Deletion) error {
	todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
	if err != nil {
		return err
	}
	data := todoData(c, filter, todos, stats)
	data["Undo"] = del
	if stats.Total == 0 {
		c.Set("HX-Reswap", "none")
		return s.renderFragment(c, "todo/_emptied", data)
	}
	data["FooterOOB"] = true
	return s.renderFragment(c, "todo/_main_changed", data)
}

// formFields is the hidden inputs every form of the list carries (the CSRF
// token and the filter being viewed), escaped once per page rather than in
// each of the forms of every item.
func formFields(csrf string, filter app.Filter) template.HTML {
	return template.HTML(`<input type="hidden" name="_csrf" value="` + template.HTMLEscapeString(csrf) +
		`"><input type="hidden" name="filter" value="` + template.HTMLEscapeString(string(filter)) + `">`)
}

// filterVals is the hx-vals attribute that sends the filter being viewed
// with an item's htmx requests.
func filterVals(filter app.Filter) template.HTMLAttr {
	vals, _ := json.Marshal(map[string]string{"filter": string(filter)})
	return template.HTMLAttr(`hx-vals="` + template.HTMLEscapeString(string(vals)) + `"`)
}

// itemView is what views/todo/_item.html renders: a todo, whether it is the
// one being edited, and the data of the page (or fragment) it is part of.
type itemView struct {
	T       app.Todo
	Editing bool
	Page    fiber.Map
}

// newItemView returns the view of t on page.
func newItemView(t app.Todo, page fiber.Map) itemView {
	editID, _ := page["EditID"].(int64)
	return itemView{T: t, Editing: editID != 0 && editID == t.ID, Page: page}
}

// itemViews returns the views of the todos of page, for {{range items $}}.
func itemViews(page fiber.Map) []itemView {
	todos, _ := page["Todos"].([]app.Todo)
	views := make([]itemView, len(todos))
	for i, t := range todos {
		views[i] = newItemView(t, page)
	}
	return views
}
