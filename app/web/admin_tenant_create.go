package web

import (
	"crypto/rand"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// passwordAlphabet has no look-alike characters (0/o, 1/l/i).
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// generatePassword returns a random password of four groups of five
// characters, about 99 bits, easy to read out and type.
func generatePassword() string {
	var b strings.Builder
	for i := range 20 {
		if i > 0 && i%5 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
	}
	return b.String()
}

// randIndex returns a uniform random number in [0, n) for n <= 256.
func randIndex(n int) int {
	limit := 256 - 256%n
	var buf [1]byte
	for {
		if _, err := rand.Read(buf[:]); err != nil {
			panic("crypto/rand: " + err.Error()) // never fails on supported platforms
		}
		if int(buf[0]) < limit {
			return int(buf[0]) % n
		}
	}
}

// handleAdminTenantCreate handles "POST /tenants": a new tenant and its
// owner with a generated password, shown once on the page this returns
// (never stored anywhere in clear, never put in a cookie).
func (s *Server) handleAdminTenantCreate(c *fiber.Ctx) error {
	password := generatePassword()
	in := app.CreateTenantInput{
		Name:          c.FormValue("name"),
		Region:        c.FormValue("region"),
		OwnerEmail:    c.FormValue("email"),
		OwnerPassword: password,
	}
	var t *app.Tenant
	var u *app.User
	var err error
	// Creating the owner hashes its password: within a password slot.
	s.withPasswordSlot(func() { t, u, err = s.svc.Tenants.CreateTenant(c.UserContext(), in) })
	detail := "region " + in.Region + ", owner " + in.OwnerEmail
	if err != nil {
		s.auditAdmin(c, "create", strings.ToLower(strings.TrimSpace(in.Name)), detail, err)
		return s.adminRefusedBeside(c, "/", err, "create", s.signupInvalidField(in, err),
			url.Values{"name": {in.Name}, "region": {in.Region}, "email": {in.OwnerEmail}})
	}
	s.auditAdmin(c, "create", t.Name, "region "+t.Region+", owner "+u.Email, nil)
	s.logger.Info("tenant created by admin", "tenant", t.Name, "id", t.ID, "admin", adminOf(c).Email)
	return s.renderAdmin(c.Status(fiber.StatusCreated), "admin/created", "", fiber.Map{
		"Title":    "Tenant created",
		"Nav":      "tenants",
		"T":        tenantRow{Tenant: t, URL: s.tenantURL(c, t.Name) + "/", RegionLabel: s.regionLabel(t.Region)},
		"Owner":    u,
		"Password": password,
	})
}
