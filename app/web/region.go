package web

import "github.com/gofiber/fiber/v2"

// Fly's proxy replays a request elsewhere when the response carries
// fly-replay, and marks the replayed request with fly-replay-src
// (https://fly.io/docs/networking/dynamic-request-routing/).
const (
	headerFlyReplay    = "fly-replay"
	headerFlyReplaySrc = "fly-replay-src"
)

// localRegionLabel is the Locals key of the resolved tenant's region label.
const localRegionLabel = "region_label"

// errWrongRegion answers a request that Fly already replayed once but that
// still reached an instance outside the tenant's region: replaying it again
// could loop.
var errWrongRegion = fiber.NewError(fiber.StatusServiceUnavailable,
	"Wrong region: this request reached a server outside its list's region. Please try again in a moment.")

// elsewhere reports whether a tenant whose home is region must be served by
// another instance: this one runs in a known region, and not that one.
func (s *Server) elsewhere(region string) bool {
	return s.cfg.Region != "" && region != "" && region != s.cfg.Region
}

// replayTo answers the request with "fly-replay: region=<home>" and an
// empty body, so that Fly's proxy replays it in home. Fly documents the
// header, not a status: the proxy acts on the header whatever the status,
// and 409 keeps a response that reaches a client without Fly from passing
// for a success. A request already replayed (fly-replay-src) is never sent
// on again: it gets 503 "wrong region".
func (s *Server) replayTo(c *fiber.Ctx, home string) error {
	if len(c.Request().Header.Peek(headerFlyReplaySrc)) > 0 {
		s.logger.Warn("replayed request in the wrong region", "host", string(c.Request().Host()),
			"path", logPath(c), "region", s.cfg.Region, "home", home)
		return errWrongRegion
	}
	c.Set(headerFlyReplay, "region="+home)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusConflict).Send(nil)
}

// routeTenant sends a request for a tenant of another region there, before
// its database is opened; requests for this region's tenants go on, with
// the label of their region for the pages.
func (s *Server) routeTenant(c *fiber.Ctx) error {
	t := tenantOf(c)
	if s.elsewhere(t.Region) {
		return s.replayTo(c, t.Region)
	}
	c.Locals(localRegionLabel, s.regionLabel(t.Region))
	return c.Next()
}

// routeSignup sends a sign-up (or an admin's creation) for another offered
// region there, before anything is created. An unknown region goes on, to
// be refused by the form's validation.
func (s *Server) routeSignup(c *fiber.Ctx) error {
	if region := c.FormValue("region"); s.elsewhere(region) && s.offers(region) {
		return s.replayTo(c, region)
	}
	return c.Next()
}

// routeAdminTenant sends an admin's request about a tenant of another
// region (its page, console, export, clone and every other action, which
// all read or move its database) to that region. An unknown tenant goes on,
// to its handler's "not found".
func (s *Server) routeAdminTenant(c *fiber.Ctx) error {
	t, err := s.adminTenant(c)
	if err == nil && s.elsewhere(t.Region) {
		return s.replayTo(c, t.Region)
	}
	return c.Next()
}

// offers reports whether code is one of the regions tenants may choose.
func (s *Server) offers(code string) bool {
	for _, r := range s.svc.Tenants.Regions() {
		if r.Code == code {
			return true
		}
	}
	return false
}

// regionLabel returns how pages name region code: "Amsterdam (ams)", or
// the code alone when it is not offered (any more).
func (s *Server) regionLabel(code string) string {
	for _, r := range s.svc.Tenants.Regions() {
		if r.Code == code {
			return r.Name + " (" + r.Code + ")"
		}
	}
	return code
}

// regionRouting describes the region routing in force, for the admin app.
type regionRouting struct {
	Region string // this instance's region; "" when no routing is in force
	Label  string
}

// routing returns the region routing in force.
func (s *Server) routing() regionRouting {
	if s.cfg.Region == "" {
		return regionRouting{}
	}
	return regionRouting{Region: s.cfg.Region, Label: s.regionLabel(s.cfg.Region)}
}

// regionLabelOf returns the label set by routeTenant.
func regionLabelOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(localRegionLabel).(string); ok {
		return l
	}
	if t := tenantOf(c); t != nil {
		return t.Region
	}
	return ""
}
