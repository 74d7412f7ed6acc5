package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// errUploadBusy answers an import while maxConcurrentUploads others upload.
var errUploadBusy = fiber.NewError(fiber.StatusServiceUnavailable,
	"Another import is in progress. Try again in a minute.")

// handleAdminTenantImport handles "POST /tenants/import": an uploaded
// SQLite database ("file") becomes a new tenant ("name", "region") once the
// store has checked it. The form is read as a stream (readUpload, which
// also checks its CSRF token), the file into a temporary file that is
// removed when the import is done; at most maxConcurrentUploads imports
// run at once. Refusals say why; nothing is left of them.
func (s *Server) handleAdminTenantImport(c *fiber.Ctx) error {
	if !s.uploads.tryAcquire() {
		c.Set(fiber.HeaderRetryAfter, "60")
		c.Context().SetConnectionClose() // its body is not read
		return errUploadBusy
	}
	defer s.uploads.release()
	u, err := s.readUpload(c, "file", s.cfg.ImportMaxBytes)
	if err == errCSRF {
		return err
	}
	defer func() {
		if err := u.Close(); err != nil {
			s.logger.Warn("upload temp file", "error", err)
		}
	}()
	form := url.Values{}
	if u != nil {
		form = u.Values
	}
	name := strings.ToLower(strings.TrimSpace(form.Get("name")))
	region := strings.TrimSpace(form.Get("region"))
	if err == nil && s.elsewhere(region) && s.offers(region) {
		// The upload is removed (u.Close); Fly's proxy replays the request
		// it kept, which it can for bodies up to 1 MB only.
		return s.replayTo(c, region)
	}
	var t *app.Tenant
	field := ""
	if err == nil {
		t, field, err = s.importTenant(c, u, name, region)
	}
	if err != nil {
		s.auditAdmin(c, "import", name, "region "+region, err)
		return s.adminRefusedBeside(c, "/", err, "import", field, url.Values{"name": {form.Get("name")}, "region": {region}})
	}
	s.auditAdmin(c, "import", t.Name, "region "+t.Region, nil)
	return s.adminDone(c, tenantPath(t.Name), nil, "Imported "+t.Name+".")
}

// importTenant checks the received file and hands it to the store. A
// refusal names the form's field it is about ("file", "name", "region" or
// "" for none).
func (s *Server) importTenant(c *fiber.Ctx, u *upload, name, region string) (*app.Tenant, string, error) {
	if u.TooLarge {
		return nil, "file", app.Errorf(app.EINVALID, "The file is too large: the largest database that can be imported is %s.",
			humanBytes(s.cfg.ImportMaxBytes))
	}
	if u.File == nil {
		return nil, "file", app.Errorf(app.EINVALID, "Choose a database file (.db) to import.")
	}
	t, err := s.svc.TenantAdmin.ImportTenant(c.UserContext(), app.ImportInput{
		Name: name, Region: region, File: u.File, MaxBytes: s.cfg.ImportMaxBytes,
	})
	if err != nil {
		return nil, s.importInvalidField(name, region, err), err
	}
	return t, "", nil
}
