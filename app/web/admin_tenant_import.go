package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleAdminTenantImport handles "POST /tenants/import": an uploaded
// SQLite database ("file") becomes a new tenant ("name", "region") once the
// store has checked it. Refusals say why; nothing is left of them.
func (s *Server) handleAdminTenantImport(c *fiber.Ctx) error {
	name := strings.ToLower(strings.TrimSpace(c.FormValue("name")))
	region := strings.TrimSpace(c.FormValue("region"))
	t, err := s.importTenant(c, name, region)
	if err != nil {
		s.auditAdmin(c, "import", name, "region "+region, err)
		return s.adminRefused(c, "/", err, "import", url.Values{"name": {c.FormValue("name")}, "region": {region}})
	}
	s.auditAdmin(c, "import", t.Name, "region "+t.Region, nil)
	return s.adminDone(c, tenantPath(t.Name), nil, "Imported "+t.Name+".")
}

// importTenant checks the upload and hands it to the store.
func (s *Server) importTenant(c *fiber.Ctx, name, region string) (*app.Tenant, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return nil, app.Errorf(app.EINVALID, "Choose a database file (.db) to import.")
	}
	if fh.Size > s.cfg.ImportMaxBytes {
		return nil, app.Errorf(app.EINVALID, "The file is %s; the largest database that can be imported is %s.",
			humanBytes(fh.Size), humanBytes(s.cfg.ImportMaxBytes))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.svc.TenantAdmin.ImportTenant(c.UserContext(), app.ImportInput{
		Name: name, Region: region, File: f, MaxBytes: s.cfg.ImportMaxBytes,
	})
}
