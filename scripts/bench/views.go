package main

import (
	"bytes"
	"embed"
	"html/template"
)

// viewFiles holds the comparison servers' templates.
//
//go:embed views/*.html
var viewFiles embed.FS

// views are the parsed templates: "page" (the whole list page), "fragment"
// (the list section and footer, for htmx) and "added" (one new item).
var views = template.Must(template.New("views").Funcs(template.FuncMap{
	"item": func(t todoItem, page *listPage) map[string]any { return map[string]any{"T": t, "Page": page} },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}).ParseFS(viewFiles, "views/*.html"))

// noCSRF stands in for the product's CSRF token in the comparison servers'
// markup (they check none): 43 characters, the length of the product's
// tokens, so that pages have the same size.
const noCSRF = "0000000000000000000000000000000000000000000"

// todoItem is one todo as the comparison servers show it.
type todoItem struct {
	ID        int64
	Title     string
	Completed bool
}

// todoStats counts a list's items.
type todoStats struct{ Total, Completed int }

// Active is the number of items left to do.
func (s todoStats) Active() int { return s.Total - s.Completed }

// AllCompleted reports whether the list has items and all are completed.
func (s todoStats) AllCompleted() bool { return s.Total > 0 && s.Completed == s.Total }

// listPage is the data of every template.
type listPage struct {
	Tenant string
	Email  string
	CSRF   string
	Filter string
	Todos  []todoItem
	Stats  todoStats
	Item   todoItem
}

// newListPage returns the page data of tenant's list.
func newListPage(tenant string, todos []todoItem, stats todoStats) *listPage {
	return &listPage{Tenant: tenant, Email: "owner@" + tenant + ".test", CSRF: noCSRF, Filter: "all",
		Todos: todos, Stats: stats}
}

// render executes template name into a new buffer, so that a failed render
// sends nothing.
func render(name string, data *listPage) ([]byte, error) {
	var b bytes.Buffer
	if err := views.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
