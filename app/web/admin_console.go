package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Console limits and defaults.
const (
	consoleDefaultSQL  = "SELECT * FROM todos"
	consoleMaxSQL      = 64 << 10
	consoleHistorySize = 20
)

// consoleForm is what the admin typed.
type consoleForm struct {
	SQL          string
	Write        bool
	ConfirmWrite bool
}

// consolePage renders the console of t with the form, a result or error,
// and the tenant's latest queries.
func (s *Server) consolePage(c *fiber.Ctx, t *app.Tenant, form consoleForm, res *app.ConsoleResult, runErr error) error {
	history, err := s.svc.ConsoleHistory.ListConsole(c.UserContext(), t.ID, consoleHistorySize)
	if err != nil {
		return err
	}
	data := fiber.Map{
		"Title":   "Console · " + t.Name,
		"Nav":     "tenants",
		"T":       tenantRow{Tenant: t, URL: s.tenantURL(c, t.Name) + "/"},
		"Form":    form,
		"Result":  res,
		"History": history,
		"Now":     time.Now(),
	}
	if g, ok := s.svc.Console.(app.ConsoleGuard); ok && !g.ReadOnlyByEngine(t) {
		data["AppChecksOnly"] = true
	}
	if runErr != nil {
		code := app.ErrorCode(runErr)
		if code == app.EINTERNAL {
			s.logger.Error("console", "tenant", t.Name, "error", runErr)
		}
		status := statusOf[code]
		if status == 0 {
			status = fiber.StatusInternalServerError
		}
		c.Status(status)
		data["RunError"] = app.ErrorMessage(runErr)
	}
	return s.renderAdmin(c, "admin/console", "", data)
}

// handleAdminConsolePage handles "GET /tenants/:name/console".
func (s *Server) handleAdminConsolePage(c *fiber.Ctx) error {
	t, err := s.adminTenant(c)
	if err != nil {
		return err
	}
	return s.consolePage(c, t, consoleForm{SQL: consoleDefaultSQL}, nil, nil)
}

// handleAdminConsoleRun handles "POST /tenants/:name/console": one
// statement, read-only unless write mode is ticked and confirmed. Every
// statement run is kept in the tenant's console history and the audit log.
func (s *Server) handleAdminConsoleRun(c *fiber.Ctx) error {
	t, err := s.adminTenant(c)
	if err != nil {
		return err
	}
	form := consoleForm{
		SQL:          strings.TrimSpace(c.FormValue("sql")),
		Write:        c.FormValue("write") != "",
		ConfirmWrite: c.FormValue("confirm_write") != "",
	}
	action := "console-query"
	if form.Write {
		action = "console-write"
	}
	switch {
	case form.SQL == "":
		return s.consolePage(c, t, form, nil, app.Errorf(app.EINVALID, "Type a SQL statement to run."))
	case len(form.SQL) > consoleMaxSQL:
		return s.consolePage(c, t, form, nil, app.Errorf(app.EINVALID, "The statement is too long (at most %s).", humanBytes(consoleMaxSQL)))
	case form.Write && !form.ConfirmWrite:
		err := app.Errorf(app.EINVALID, "Nothing was run: write mode changes %s's data. Tick the confirmation box to run in write mode.", t.Name)
		s.auditAdmin(c, action, t.Name, form.SQL, err)
		return s.consolePage(c, t, form, nil, err)
	}
	ctx, done := s.consoleRuns.start(c.UserContext(), adminOf(c).ID, c.FormValue("run_id"))
	defer done() // after the history entry: a Cancel waits for it
	res, err := s.svc.Console.RunConsole(ctx, t, app.ConsoleRequest{SQL: form.SQL, Write: form.Write})
	entry := app.ConsoleEntry{At: time.Now(), TenantID: t.ID, Admin: adminOf(c).Email, SQL: form.SQL, Write: form.Write}
	if err != nil {
		entry.Error = app.ErrorMessage(err)
	} else {
		entry.Rows = len(res.Rows)
		if form.Write && len(res.Columns) == 0 {
			entry.Rows = int(res.RowsAffected)
		}
	}
	if herr := s.svc.ConsoleHistory.RecordConsole(c.UserContext(), entry); herr != nil {
		s.logger.Error("console history", "tenant", t.Name, "error", herr)
	}
	s.auditAdmin(c, action, t.Name, form.SQL, err)
	if err == nil && form.Write {
		// The child wrote behind the pool's back: bring the counters up.
		if _, rerr := s.svc.TenantAdmin.RecountTenant(c.UserContext(), t); rerr != nil {
			s.logger.Error("recount after console write", "tenant", t.Name, "error", rerr)
		}
	}
	form.ConfirmWrite = false // every write is confirmed afresh
	return s.consolePage(c, t, form, res, err)
}
