package web

import (
	"io"
	"os"
	"time"

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
	f, err := os.CreateTemp(s.cfg.TempDir, exportFilePattern)
	if err != nil {
		return err
	}
	file := exportFile{f}
	_, err = s.svc.TenantAdmin.ExportTenant(c.UserContext(), name, f)
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
		s.auditAdmin(c, "export", name, "", err)
		return s.adminDone(c, tenantReturn(name, err), err, "")
	}
	s.auditAdmin(c, "export", name, humanBytes(info.Size()), nil)
	filename := name + "-" + time.Now().UTC().Format("2006-01-02") + ".db"
	c.Set(fiber.HeaderContentType, "application/vnd.sqlite3")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().SetBodyStream(file, int(info.Size()))
	return nil
}

// handleAdminTenantExportGet handles "GET /tenants/:name/export", the
// address of exports before they needed a POST: 405, never a download.
func (s *Server) handleAdminTenantExportGet(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAllow, fiber.MethodPost)
	return errExportNeedsPost
}
