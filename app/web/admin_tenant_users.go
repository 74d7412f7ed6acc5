package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// tenantUserView is one account of a tenant as its admin page lists it.
type tenantUserView struct {
	ID        int64
	Email     string
	CreatedAt time.Time
	// LastSignIn is the latest sign-in among the user's live sessions
	// (zero: none known).
	LastSignIn time.Time
}

// tenantUsers reads the accounts of t from its database, with the latest
// sign-in of each that a live session records.
func (s *Server) tenantUsers(c *fiber.Ctx, t *app.Tenant) ([]tenantUserView, error) {
	list, err := s.svc.Lists.OpenList(c.UserContext(), t)
	if err != nil {
		return nil, err
	}
	defer list.Release()
	users, err := list.Users(c.UserContext())
	if err != nil {
		return nil, err
	}
	stored, err := list.StoredSessions(c.UserContext())
	if err != nil {
		return nil, err
	}
	last := map[int64]time.Time{}
	for _, st := range stored {
		_, values, err := (sessionCodec{}).Decode(st.Data)
		id, ok := values[sessionUserID].(int64)
		ms, ok2 := values[sessionSignedIn].(int64)
		if err == nil && ok && ok2 && values[sessionTenantID] == t.ID && time.UnixMilli(ms).After(last[id]) {
			last[id] = time.UnixMilli(ms).UTC()
		}
	}
	out := make([]tenantUserView, 0, len(users))
	for _, u := range users {
		out = append(out, tenantUserView{ID: u.ID, Email: u.Email, CreatedAt: u.CreatedAt, LastSignIn: last[u.ID]})
	}
	return out, nil
}

// handleAdminResetLink handles "POST /tenants/:name/users/:id/reset-link":
// a single-use link that sets a new password for one of the tenant's
// users, valid for an hour, shown only on the page this answers with.
func (s *Server) handleAdminResetLink(c *fiber.Ctx) error {
	name := tenantParam(c)
	id, _ := c.ParamsInt("id")
	var link string
	email, err := s.withTenantUser(c, int64(id), func(list app.TodoList, t *app.Tenant, u *app.User) (err error) {
		link, err = s.issueResetLink(c, list, t.Name, u.ID)
		return err
	})
	s.auditAdmin(c, "reset-link", name, email, err)
	if err != nil {
		return s.adminDone(c, tenantReturn(name, err), err, "")
	}
	return s.renderAdmin(c.Status(fiber.StatusCreated), "admin/reset_link", "", fiber.Map{
		"Title": "Reset link for " + email,
		"Nav":   "tenants",
		"Name":  name,
		"Email": email,
		"Link":  link,
		"TTL":   "an hour",
	})
}

// withTenantUser runs do with the database of the tenant named by the
// route, acquired, and its user id, and returns that user's email ("" if
// not found).
func (s *Server) withTenantUser(c *fiber.Ctx, id int64, do func(list app.TodoList, t *app.Tenant, u *app.User) error) (string, error) {
	t, err := s.adminTenant(c)
	if err != nil {
		return "", err
	}
	list, err := s.svc.Lists.OpenList(c.UserContext(), t)
	if err != nil {
		return "", err
	}
	defer list.Release()
	u, err := list.UserByID(c.UserContext(), id)
	if err != nil {
		return "", err
	}
	return u.Email, do(list, t, u)
}
