package web

import "todos/app"

// signupInvalidField names the sign-up field that err, returned when
// creating a tenant from in, is about ("name", "region", "email" or
// "password"), or "" when it is about none (a rate limit), so the landing
// page marks that field invalid and focuses it. The checks follow the order
// in which the tenant service validates its input.
func (s *Server) signupInvalidField(in app.CreateTenantInput, err error) string {
	switch app.ErrorCode(err) {
	case app.ECONFLICT:
		return "name"
	case app.EINVALID:
	default:
		return ""
	}
	if _, err := app.NormalizeTenantName(in.Name); err != nil {
		return "name"
	}
	if !s.knownRegion(in.Region) {
		return "region"
	}
	if _, err := app.NormalizeEmail(in.OwnerEmail); err != nil {
		return "email"
	}
	if app.ValidatePassword(in.OwnerPassword) != nil {
		return "password"
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
