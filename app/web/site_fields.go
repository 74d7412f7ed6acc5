package web

import (
	"strings"

	"todos/app"
)

// signupInvalidField names the sign-up field that err, returned when
// creating a tenant from in, is about ("name", "region", "email" or
// "password"), or "" when it is about none (a rate limit), so the landing
// page marks that field invalid and focuses it. The checks follow the order
// in which the tenant service validates its input.
func (s *Server) signupInvalidField(in app.CreateTenantInput, err error) string {
	_, nameErr := app.NormalizeTenantName(in.Name)
	_, emailErr := app.NormalizeEmail(in.OwnerEmail)
	return fieldRefused(err,
		fieldCheck{"name", nameErr != nil},
		fieldCheck{"region", !s.knownRegion(in.Region)},
		fieldCheck{"email", emailErr != nil},
		fieldCheck{"password", app.ValidatePassword(in.OwnerPassword) != nil})
}

// fieldCheck is one field of a refused form and whether its value is
// invalid.
type fieldCheck struct {
	field   string
	invalid bool
}

// fieldRefused names the field of a form that err, its refusal, is about:
// "name" when the name is taken (ECONFLICT), the first invalid one of
// checks (in the order the service validates them) when a value was
// refused (EINVALID), else "".
func fieldRefused(err error, checks ...fieldCheck) string {
	switch app.ErrorCode(err) {
	case app.ECONFLICT:
		return "name"
	case app.EINVALID:
		for _, c := range checks {
			if c.invalid {
				return c.field
			}
		}
	}
	return ""
}

// knownRegion reports whether code is one of the regions a list can be
// created in.
func (s *Server) knownRegion(code string) bool {
	for _, r := range s.svc.Tenants.Regions() {
		if r.Code == code {
			return true
		}
	}
	return false
}

// signupFields are the sign-up form's fields, in the order of the page.
var signupFields = []string{"name", "email", "password", "region"}

// signupFieldErrors checks every field of a sign-up at once, so that the
// page says everything that is wrong in one answer rather than one error
// per submit. It returns the message of each invalid field by field name
// (empty when all are valid) and the first invalid one in page order.
// Whether the name is free is left to the tenant service.
func (s *Server) signupFieldErrors(in app.CreateTenantInput) (map[string]string, string) {
	errs := map[string]string{}
	if _, err := app.NormalizeTenantName(in.Name); err != nil {
		errs["name"] = app.ErrorMessage(err)
	}
	if _, err := app.NormalizeEmail(in.OwnerEmail); err != nil {
		errs["email"] = app.ErrorMessage(err)
	}
	if err := app.ValidatePassword(in.OwnerPassword); err != nil {
		errs["password"] = app.ErrorMessage(err)
	}
	if !s.knownRegion(in.Region) {
		codes := make([]string, 0, len(s.svc.Tenants.Regions()))
		for _, r := range s.svc.Tenants.Regions() {
			codes = append(codes, r.Code)
		}
		errs["region"] = "Please choose a region: " + strings.Join(codes, ", ") + "."
	}
	for _, f := range signupFields {
		if errs[f] != "" {
			return errs, f
		}
	}
	return errs, ""
}
