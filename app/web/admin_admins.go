package web

import (
	"context"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// adminAccounts returns the service that manages admin accounts, or nil
// when the admin service does not offer it.
func (s *Server) adminAccounts() app.AdminManager {
	m, _ := s.svc.Admins.(app.AdminManager)
	return m
}

// adminSessionList is what the admin session store offers beyond scs: its
// sessions, to find one admin's.
type adminSessionList interface {
	StoredSessions(ctx context.Context) ([]app.StoredSession, error)
	DeleteSessions(ctx context.Context, keys []string) error
}

// endAdminSessions ends every session of admin a but the one stored under
// keep (none when keep is ""), and their open event streams in this
// process at once.
func (s *Server) endAdminSessions(ctx context.Context, a *app.Admin, keep string) error {
	store, ok := s.svc.AdminSessionStore.(adminSessionList)
	if !ok {
		return nil
	}
	stored, err := store.StoredSessions(ctx)
	if err != nil {
		return err
	}
	var keys []string
	for _, st := range stored {
		_, values, err := (sessionCodec{}).Decode(st.Data)
		if err != nil || st.Key == keep || values[sessionAdminID] != a.ID || values[sessionAdminSince] != a.CreatedAt.UnixMilli() {
			continue
		}
		keys = append(keys, st.Key)
	}
	if err := store.DeleteSessions(ctx, keys); err != nil {
		return err
	}
	for _, k := range keys {
		s.events.EndSession(k)
	}
	return nil
}

// handleAdminAdmins handles "GET /admins": the admins, a form to invite
// one and a form to remove each.
func (s *Server) handleAdminAdmins(c *fiber.Ctx) error {
	admins, err := s.adminAccounts().ListAdmins(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderAdmin(c, "admin/admins", "", fiber.Map{
		"Title":  "Admins",
		"Nav":    "admins",
		"Admins": admins,
	})
}

// handleAdminInvite handles "POST /admins/invite": a single-use link for
// the email, valid for app.AdminInviteTTL, shown only on this answer.
func (s *Server) handleAdminInvite(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	token, err := s.adminAccounts().CreateAdminInvite(c.UserContext(), email, adminOf(c).Email)
	s.auditAdmin(c, "admin-invite", "", email, err)
	if err != nil {
		return s.adminRefused(c, "/admins", err, "invite", url.Values{"email": {email}})
	}
	if normalized, nerr := app.NormalizeEmail(email); nerr == nil {
		email = normalized
	}
	link := publicScheme(c) + "://admin." + s.cfg.Domain + s.publicPort(c) + "/invite/" + token
	return s.renderAdmin(c.Status(fiber.StatusCreated), "admin/invite_link", "", fiber.Map{
		"Title": "Invitation for " + email,
		"Nav":   "admins",
		"Email": email,
		"Link":  link,
	})
}

// handleAdminRemove handles "POST /admins/remove": the admin whose email
// is typed twice (email and confirm) is removed, unless the only one, and
// every session of theirs ends at once. Removing yourself signs you out.
func (s *Server) handleAdminRemove(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	me := adminOf(c)
	var target *app.Admin
	err := func() error {
		if !strings.EqualFold(strings.TrimSpace(c.FormValue("confirm")), email) {
			return app.Errorf(app.EINVALID, "Type the admin's email address to confirm the removal.")
		}
		a, err := s.svc.Admins.AdminByEmail(c.UserContext(), email)
		if err != nil {
			return err
		}
		target = a
		return s.adminAccounts().RemoveAdminNotLast(c.UserContext(), email)
	}()
	if err == nil {
		err = s.endAdminSessions(c.UserContext(), target, "")
	}
	s.auditAdmin(c, "admin-remove", "", email, err)
	if err != nil {
		return s.adminDone(c, "/admins", err, "")
	}
	if target.ID == me.ID {
		if err := s.signOutAdmin(c); err != nil {
			return err
		}
		return s.adminDone(c, "/login", nil, "You removed your own admin account and have been signed out.")
	}
	return s.adminDone(c, "/admins", nil, "Removed admin "+target.Email+"; their sessions have ended.")
}
