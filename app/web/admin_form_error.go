package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Keys of a kept form's values that are not fields: the error shown beside
// the form and the name of the field it is about ("" for none).
const (
	keptError = "error"
	keptField = "field"
)

// adminRefusedBeside answers a refused admin form with a redirect to next,
// where the form (named form) comes back filled with values, its error
// inside its own card and field (when not "") marked invalid and focused,
// rather than in the page's alert area far above it. Internal errors are
// logged; their message is the generic one.
func (s *Server) adminRefusedBeside(c *fiber.Ctx, next string, err error, form, field string, values url.Values) error {
	if code := app.ErrorCode(err); code == app.EINTERNAL || code == app.EUNAVAILABLE {
		s.logger.Error("admin action failed", "path", c.Path(), "error", err)
		field = ""
	}
	kept := url.Values{}
	for k, v := range values {
		kept[k] = v
	}
	kept.Set(keptError, app.Clip(app.ErrorMessage(err), keptValueMax-8))
	kept.Set(keptField, field)
	if ferr := s.queueFlashes(c, map[string]string{formFlashPrefix + form: keptForm(kept).Encode()}); ferr != nil {
		return ferr
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// importInvalidField names the import form's field that err, returned when
// importing a file as name in region, is about: "name", "region" or "file".
func (s *Server) importInvalidField(name, region string, err error) string {
	_, nameErr := app.NormalizeTenantName(name)
	return fieldRefused(err,
		fieldCheck{"name", nameErr != nil},
		fieldCheck{"region", !s.knownRegion(region)},
		fieldCheck{"file", true})
}
