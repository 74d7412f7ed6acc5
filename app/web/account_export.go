package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleAccountExport handles "POST /account/export": the user's list as a
// SQLite file named NAME-YYYY-MM-DD.db, a consistent snapshot without
// sessions or password hashes. Like the admin's export, it is staged in a
// temporary file in Config.TempDir first, so a failure is a message on the
// account page rather than a truncated download.
func (s *Server) handleAccountExport(c *fiber.Ctx) error {
	name := tenantOf(c).Name
	size, err := s.sendExport(c, name, func(w io.Writer) error {
		_, err := s.svc.Tenants.ExportTenantForOwner(c.UserContext(), name, w)
		return err
	})
	if err != nil {
		s.auditOwner(c, "owner-export", "sqlite", err)
		return s.accountFailed(c, err)
	}
	s.auditOwner(c, "owner-export", "sqlite, "+humanBytes(size), nil)
	return nil
}

// handleAccountExportCSV handles "POST /account/export.csv": the todos as
// CSV, one row each (id, title, completed, created_at, updated_at, times
// in RFC 3339, UTC). A title a spreadsheet would run as a formula is
// written as text (see spreadsheetText); the JSON export has it as typed.
func (s *Server) handleAccountExportCSV(c *fiber.Ctx) error {
	todos, err := s.exportTodos(c, "csv")
	if err != nil {
		return s.accountFailed(c, err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "title", "completed", "created_at", "updated_at"})
	for _, td := range todos {
		_ = w.Write([]string{strconv.FormatInt(td.ID, 10), spreadsheetText(td.Title), strconv.FormatBool(td.Completed),
			td.CreatedAt.Format(time.RFC3339), td.UpdatedAt.Format(time.RFC3339)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	attachment(c, "text/csv; charset=utf-8", tenantOf(c).Name, ".csv")
	return c.Send(buf.Bytes())
}

// todosExport is the JSON document of "POST /account/export.json".
type todosExport struct {
	List       string           `json:"list"`
	ExportedAt time.Time        `json:"exported_at"`
	Todos      []app.TodoRecord `json:"todos"`
}

// handleAccountExportJSON handles "POST /account/export.json": the todos
// as a JSON document.
func (s *Server) handleAccountExportJSON(c *fiber.Ctx) error {
	todos, err := s.exportTodos(c, "json")
	if err != nil {
		return s.accountFailed(c, err)
	}
	b, err := json.MarshalIndent(todosExport{List: tenantOf(c).Name, ExportedAt: time.Now().UTC(), Todos: todos}, "", "  ")
	if err != nil {
		return err
	}
	attachment(c, "application/json", tenantOf(c).Name, ".json")
	return c.Send(append(b, '\n'))
}

// exportTodos reads the todos for a download in format, audited.
func (s *Server) exportTodos(c *fiber.Ctx, format string) ([]app.TodoRecord, error) {
	todos, err := listOf(c).TodoRecords(c.UserContext())
	detail := format
	if err == nil {
		detail += ", " + strconv.Itoa(len(todos)) + " todos"
	}
	s.auditOwner(c, "owner-export", detail, err)
	return todos, err
}

// attachment sets the headers of a download named NAME-YYYY-MM-DD.ext.
// Tenant names are lowercase letters, digits and hyphens, safe to quote.
func attachment(c *fiber.Ctx, contentType, name, ext string) {
	filename := name + "-" + time.Now().UTC().Format("2006-01-02") + ext
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// accountFailed answers an account action that failed for a reason the
// user can read: back to the account page with the message. Internal
// errors go to the error handler.
func (s *Server) accountFailed(c *fiber.Ctx, err error) error {
	switch app.ErrorCode(err) {
	case app.EINTERNAL, app.EUNAVAILABLE, "":
		return err
	}
	if ferr := s.addFlash(c, flashError, app.ErrorMessage(err)); ferr != nil {
		return ferr
	}
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// spreadsheetText returns v as a CSV cell that spreadsheets show as text:
// a value starting with =, +, -, @, a tab or a carriage return would be
// run as a formula when the file is opened (CSV injection), so it gets a
// leading apostrophe, which spreadsheets hide.
func spreadsheetText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
