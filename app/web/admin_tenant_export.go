package web

import (
	"io"
	"os"

	"github.com/gofiber/fiber/v2"
)

// exportFile is the temporary copy of an export being sent. fasthttp
// closes a body stream when the response is done (or the client goes away),
// which removes the file.
type exportFile struct{ *os.File }

// Close closes and removes the file.
func (f exportFile) Close() error {
	err := f.File.Close()
	if rerr := os.Remove(f.Name()); err == nil {
		err = rerr
	}
	return err
}

// errExportNeedsPost answers a GET of an export's address: an export is a
// POST with the CSRF token, so that a link on another site cannot start one.
var errExportNeedsPost = fiber.NewError(fiber.StatusMethodNotAllowed,
	"An export starts from the Export database button on the tenant's page.")

// handleAdminTenantExport handles "POST /tenants/:name/export" (a form with
// the CSRF token, from the tenant's page): the tenant's database as a
// download named NAME-YYYY-MM-DD.db. The snapshot is written to a
// temporary file in Config.TempDir first, so that a failed export is an
// error message rather than a truncated download that looks complete, and
// the download has a Content-Length.
func (s *Server) handleAdminTenantExport(c *fiber.Ctx) error {
	name := tenantParam(c)
	size, err := s.sendExport(c, name, func(w io.Writer) error {
		_, err := s.svc.TenantAdmin.ExportTenant(c.UserContext(), name, w)
		return err
	})
	if err != nil {
		s.auditAdmin(c, "export", name, "", err)
		return s.adminDone(c, tenantReturn(name, err), err, "")
	}
	s.auditAdmin(c, "export", name, humanBytes(size), nil)
	return nil
}

// sendExport writes a database export (export writes it) to a temporary
// file in Config.TempDir, then answers with that file as the download
// NAME-YYYY-MM-DD.db, and returns its size. A failed export is returned
// before anything is sent: the caller shows its message instead of a
// truncated download that looks complete, and the download has a
// Content-Length.
func (s *Server) sendExport(c *fiber.Ctx, name string, export func(io.Writer) error) (int64, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, exportFilePattern)
	if err != nil {
		return 0, err
	}
	file := exportFile{f}
	err = export(f)
	var info os.FileInfo
	if err == nil {
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			info, err = f.Stat()
		}
	}
	if err != nil {
		if cerr := file.Close(); cerr != nil {
			s.logger.Warn("export temp file", "error", cerr)
		}
		return 0, err
	}
	attachment(c, "application/vnd.sqlite3", name, ".db")
	c.Context().SetBodyStream(file, int(info.Size()))
	return info.Size(), nil
}

// handleAdminTenantExportGet handles "GET /tenants/:name/export", the
// address of exports before they needed a POST: 405, never a download.
func (s *Server) handleAdminTenantExportGet(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAllow, fiber.MethodPost)
	return errExportNeedsPost
}
