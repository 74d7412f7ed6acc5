package web

import (
	"context"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Session keys that describe a tenant session on the account page, set at
// sign-in (describeSession).
const (
	sessionDevice   = "device"    // "Firefox on Linux", from the User-Agent
	sessionRegion   = "region"    // the label of the region that signed it in
	sessionSignedIn = "signed_in" // unix milliseconds
)

// sessionView is one of the user's sessions as the account page lists it.
type sessionView struct {
	Key      string
	Device   string
	Region   string
	LastSeen time.Time
	SignedIn time.Time
	Current  bool
}

// describeSession notes, in a session being signed in, what the account
// page shows of it: the device (a label made from the User-Agent; the
// header itself is not kept), the region and when.
func (s *Server) describeSession(c *fiber.Ctx) {
	ctx := c.UserContext()
	s.sessions.Put(ctx, sessionDevice, deviceLabel(c.Get(fiber.HeaderUserAgent)))
	s.sessions.Put(ctx, sessionRegion, regionLabelOf(c))
	s.sessions.Put(ctx, sessionSignedIn, time.Now().UnixMilli())
}

// userSessions returns the live sessions of the signed-in user, the current
// one first, then by last use.
func (s *Server) userSessions(c *fiber.Ctx) ([]sessionView, error) {
	return sessionsOfUser(c.UserContext(), listOf(c), tenantOf(c).ID, userOf(c).ID, s.currentSessionKey(c))
}

// sessionsOfUser returns the live sessions of user userID of tenant
// tenantID that records (the tenant's database) holds, the one stored
// under current first (marked Current), then by last use.
func sessionsOfUser(ctx context.Context, records app.AccountRecords, tenantID string, userID int64, current string) ([]sessionView, error) {
	stored, err := records.StoredSessions(ctx)
	if err != nil {
		return nil, err
	}
	var out []sessionView
	for _, st := range stored {
		_, values, err := (sessionCodec{}).Decode(st.Data)
		if err != nil || values[sessionTenantID] != tenantID || values[sessionUserID] != userID {
			continue
		}
		v := sessionView{Key: st.Key, Device: "Unknown device", Current: current != "" && st.Key == current}
		if d, ok := values[sessionDevice].(string); ok && d != "" {
			v.Device = d
		}
		v.Region, _ = values[sessionRegion].(string)
		if ms, ok := values[sessionRenewed].(int64); ok {
			v.LastSeen = time.UnixMilli(ms).UTC()
		}
		if ms, ok := values[sessionSignedIn].(int64); ok {
			v.SignedIn = time.UnixMilli(ms).UTC()
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Current != out[j].Current {
			return out[i].Current
		}
		return out[i].LastSeen.After(out[j].LastSeen)
	})
	return out, nil
}

// currentSessionKey is the store key of the request's session.
func (s *Server) currentSessionKey(c *fiber.Ctx) string {
	if token := s.sessions.Token(c.UserContext()); token != "" {
		return storeKey(token)
	}
	return ""
}

// endOtherSessions ends every session of the signed-in user but the
// current one.
func (s *Server) endOtherSessions(c *fiber.Ctx) error {
	_, err := endSessionsOfUser(c.UserContext(), listOf(c), tenantOf(c).ID, userOf(c).ID, s.currentSessionKey(c))
	return err
}

// endSessionsOfUser ends every session of user userID of tenant tenantID
// in records (the tenant's database) but the one stored under keep ("":
// none is kept), and returns how many it ended.
func endSessionsOfUser(ctx context.Context, records app.AccountRecords, tenantID string, userID int64, keep string) (int, error) {
	sessions, err := sessionsOfUser(ctx, records, tenantID, userID, keep)
	if err != nil {
		return 0, err
	}
	var keys []string
	for _, v := range sessions {
		if !v.Current {
			keys = append(keys, v.Key)
		}
	}
	if err := records.DeleteSessions(ctx, keys); err != nil {
		return 0, err
	}
	return len(keys), nil
}

// endAllSessions ends every session of the signed-in user, the current one
// included: its cookie is expired after the request.
func (s *Server) endAllSessions(c *fiber.Ctx) error {
	if err := s.endOtherSessions(c); err != nil {
		return err
	}
	return signOut(c, s.sessions)
}

// handleAccountEndAll handles "POST /account/sessions/end-all": "sign out
// everywhere", this browser included; then the sign-in page.
func (s *Server) handleAccountEndAll(c *fiber.Ctx) error {
	err := s.endAllSessions(c)
	s.auditOwner(c, "owner-sign-out-all", "", err)
	if err != nil {
		return err
	}
	if err := s.addFlash(c, flashNotice, "You have been signed out everywhere."); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// LastSeenLabel says when the session was last used, to within the
// session's renewal interval: "2 Dec 2026 05:40 UTC", or "unknown".
func (v sessionView) LastSeenLabel() string {
	if v.LastSeen.IsZero() {
		return "unknown"
	}
	return v.LastSeen.Format("2 Jan 2006 15:04 UTC")
}
