package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// TitleMaxLength is the longest title, in characters, a todo may have.
const TitleMaxLength = 500

// Todo is one item of a tenant's list.
type Todo struct {
	ID        int64
	Title     string
	Completed bool
	CreatedAt time.Time
}

// TodoStats counts the items of a list.
type TodoStats struct {
	Total     int
	Completed int
}

// Active returns the number of items left to do.
func (s TodoStats) Active() int { return s.Total - s.Completed }

// AllCompleted reports whether the list has items and all are completed.
func (s TodoStats) AllCompleted() bool { return s.Total > 0 && s.Completed == s.Total }

// Filter selects which items of a list are shown.
type Filter string

// Filters, named after their URL paths.
const (
	FilterAll       Filter = "all"
	FilterActive    Filter = "active"
	FilterCompleted Filter = "completed"
)

// ParseFilter returns the filter named s, or FilterAll for anything else.
func ParseFilter(s string) Filter {
	switch Filter(strings.Trim(s, "/")) {
	case FilterActive:
		return FilterActive
	case FilterCompleted:
		return FilterCompleted
	}
	return FilterAll
}

// Path returns the URL path that shows this filter.
func (f Filter) Path() string {
	if f == FilterActive || f == FilterCompleted {
		return "/" + string(f)
	}
	return "/"
}

// Matches reports whether t is shown under this filter.
func (f Filter) Matches(t Todo) bool {
	switch f {
	case FilterActive:
		return !t.Completed
	case FilterCompleted:
		return t.Completed
	}
	return true
}

// NormalizeTitle trims a title typed by a user and checks its length. It keeps
// everything else exactly as typed. An empty result is not an error: callers
// decide what empty means (ignored when adding, a delete when editing).
func NormalizeTitle(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "The title is not valid text.")
	}
	if strings.ContainsRune(s, 0) {
		return "", Errorf(EINVALID, "The title contains a NUL character.")
	}
	t := strings.TrimSpace(s)
	if n := utf8.RuneCountInString(t); n > TitleMaxLength {
		return "", Errorf(EINVALID, "The title is %d characters long; the limit is %d.", n, TitleMaxLength)
	}
	return t, nil
}

// TodoList is one tenant's open database: its todos, its users and their
// sessions. It is acquired from the tenant pool for the length of a request
// and must be released with Release. Writes to todos are counted for the
// tenant's counters in the control plane, which follow within seconds.
type TodoList interface {
	SessionRecords
	AccountRecords
	PasswordResets

	// Todos returns the items under filter, oldest first, and the stats of
	// the whole list.
	Todos(ctx context.Context, filter Filter) ([]Todo, TodoStats, error)
	// Stats counts the items.
	Stats(ctx context.Context) (TodoStats, error)
	// Todo returns one item, or ENOTFOUND.
	Todo(ctx context.Context, id int64) (Todo, error)
	// AddTodo appends an item with an already normalised, non-empty title.
	AddTodo(ctx context.Context, title string) (Todo, TodoStats, error)
	// AddTodoOnce is AddTodo for the submission named by an idempotency
	// key (ValidIdempotencyKey): the first submission of key adds the item;
	// a later one with the same key and title adds nothing and returns that
	// item with replayed true (a zero Todo if it was deleted since). A key
	// sent again with another title adds a new item.
	AddTodoOnce(ctx context.Context, key, title string) (td Todo, stats TodoStats, replayed bool, err error)
	// ToggleTodo flips an item's completed state.
	ToggleTodo(ctx context.Context, id int64) (Todo, TodoStats, error)
	// SetTodoCompleted sets an item's completed state.
	SetTodoCompleted(ctx context.Context, id int64, completed bool) (Todo, TodoStats, error)
	// RenameTodo changes an item's title (normalised, non-empty).
	RenameTodo(ctx context.Context, id int64, title string) (Todo, TodoStats, error)
	// DeleteTodo removes an item; Undo brings it back within UndoWindow.
	DeleteTodo(ctx context.Context, id int64) (Deletion, TodoStats, error)
	// SetAllCompleted marks every item completed or active.
	SetAllCompleted(ctx context.Context, completed bool) (TodoStats, error)
	// ClearCompleted removes every completed item; Undo brings them back
	// within UndoWindow.
	ClearCompleted(ctx context.Context) (Deletion, TodoStats, error)
	// Undo brings back the items of the deletion named by token, in their
	// places. After UndoWindow, or for a token it does not know, it fails
	// with ENOTFOUND.
	Undo(ctx context.Context, token string) (Undone, TodoStats, error)

	// UserByEmail returns the account with that (normalised) email, or ENOTFOUND.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UserByID returns the account with that id, or ENOTFOUND.
	UserByID(ctx context.Context, id int64) (*User, error)

	// Release returns the handle to the pool. The list must not be used after.
	Release()
}

// ListOpener hands out the open database of a tenant.
type ListOpener interface {
	// OpenList acquires the tenant's database, opening and migrating it on
	// first use.
	OpenList(ctx context.Context, t *Tenant) (TodoList, error)
}
