package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
)

// errNoTenant is returned by a listStore for a tenant it does not have.
var errNoTenant = errors.New("no such tenant")

// listStore is what the comparison servers differ in: where a tenant's
// todos live.
type listStore interface {
	// List returns all of tenant's todos, oldest first, and their counts.
	List(ctx context.Context, tenant string) ([]todoItem, todoStats, error)
	// Add inserts a todo durably; with wantStats it also counts the list.
	Add(ctx context.Context, tenant, title string, wantStats bool) (todoItem, todoStats, error)
	// Close closes every database.
	Close() error
}

// serveFlags are the flags of "bench serve-floor" and "bench serve-shared".
type serveFlags struct {
	addr    string
	data    string
	maxOpen int
}

// parseServeFlags parses the flags of a serve command.
func parseServeFlags(name string, args []string) (serveFlags, error) {
	var f serveFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8090", "listen address")
	fs.StringVar(&f.data, "data", "", "data directory (required)")
	fs.IntVar(&f.maxOpen, "max-open", 0, "serve-floor: most tenant databases kept open, 0 for no limit")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.data == "" {
		return f, errors.New(name + ": --data is required")
	}
	return f, nil
}

// newListApp returns the comparison servers' fiber app: GET /healthz,
// GET / (the whole list page, or with "HX-Request: true" the list fragment)
// and POST /todos (303 to /, or with htmx the new item's fragment). The
// tenant is the first label of the Host header. There are no sessions, no
// CSRF checks and no control plane.
func newListApp(st listStore) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             1 << 20,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			code := fiber.StatusInternalServerError
			var fe *fiber.Error
			if errors.As(err, &fe) {
				code = fe.Code
			} else if errors.Is(err, errNoTenant) {
				code = fiber.StatusNotFound
			}
			return c.Status(code).SendString(err.Error())
		},
	})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/", func(c *fiber.Ctx) error {
		tenant, err := tenantOfHost(c)
		if err != nil {
			return err
		}
		todos, stats, err := st.List(c.UserContext(), tenant)
		if err != nil {
			return err
		}
		name := "page"
		if c.Get("HX-Request") == "true" {
			name = "fragment"
		}
		return sendView(c, name, newListPage(tenant, todos, stats))
	})
	app.Post("/todos", func(c *fiber.Ctx) error {
		tenant, err := tenantOfHost(c)
		if err != nil {
			return err
		}
		htmx := c.Get("HX-Request") == "true"
		title := strings.TrimSpace(c.FormValue("title"))
		if title == "" {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "empty title")
		}
		item, stats, err := st.Add(c.UserContext(), tenant, title, htmx)
		if err != nil {
			return err
		}
		if !htmx {
			return c.Redirect("/", fiber.StatusSeeOther)
		}
		page := newListPage(tenant, nil, stats)
		page.Item = item
		return sendView(c, "added", page)
	})
	return app
}

// sendView renders a template and sends it as HTML.
func sendView(c *fiber.Ctx, name string, data *listPage) error {
	body, err := render(name, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.Send(body)
}

// tenantOfHost returns the first label of the Host header, which must be a
// tenant name (a-z, 0-9, '-').
func tenantOfHost(c *fiber.Ctx) (string, error) {
	host := string(c.Request().Host())
	label, _, _ := strings.Cut(host, ".")
	if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return "", fiber.NewError(fiber.StatusNotFound, "no such tenant")
	}
	return label, nil
}

// serveUntilSignal serves app on addr until SIGINT or SIGTERM, then drains
// requests and closes st.
func serveUntilSignal(app *fiber.App, addr string, st listStore) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(addr) }()
	select {
	case err := <-errc:
		_ = st.Close()
		return err
	case <-ctx.Done():
	}
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown:", err)
	}
	return st.Close()
}
