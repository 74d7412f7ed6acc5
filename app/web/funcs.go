package web

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// viewFuncs are the functions templates may call.
var viewFuncs = template.FuncMap{
	// plural returns singular when n is 1 and plural otherwise.
	"plural": func(n int, singular, plural string) string {
		if n == 1 {
			return singular
		}
		return plural
	},
	// isoTime formats t for a <time datetime> attribute.
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// items returns the item views of a list page: {{range items $}}.
	"items": itemViews,
	// item returns the view of one todo on a page: {{template "todo/_item" (item .Item .)}}.
	"item": newItemView,
	// undoOf returns the deletion a page offers to undo: data's "Undo"
	// when data is a map with one (the list's pages), else none. The alert
	// area (partials/alerts) is shared by pages whose data has no Undo.
	"undoOf": func(data any) app.Deletion {
		if m, ok := data.(fiber.Map); ok {
			d, _ := m["Undo"].(app.Deletion)
			return d
		}
		return app.Deletion{}
	},
}
