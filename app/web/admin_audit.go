package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// auditPageSize is the number of audit entries per page.
const auditPageSize = 50

// auditActions are the actions the admin app records, offered as filter
// suggestions.
var auditActions = []string{
	"sign-in", "sign-out", "create", "clone", "export", "import", "suspend", "resume",
	"delete", "restore", "purge", "move", "console-query", "console-write", "console-cancel",
	"owner-export", "owner-password", "owner-sign-out-all", "owner-delete",
	"reset-link", "user-sign-out-all", "admin-invite", "admin-invite-accept", "admin-remove", "admin-password",
}

// audit records an admin action in the audit log: ok when err is nil,
// failed with err's user-facing message otherwise. The action has already
// happened (or failed), so a log that cannot be written is reported in the
// server log rather than to the admin.
func (s *Server) audit(c *fiber.Ctx, actor, action, tenant, detail string, err error) {
	if s.svc.Audit == nil {
		return
	}
	e := app.AuditEntry{At: time.Now(), Actor: actor, Action: action, Tenant: tenant, Detail: detail, Outcome: app.AuditOK}
	if err != nil {
		e.Outcome, e.Error = app.AuditFailed, app.ErrorMessage(err)
	}
	if rerr := s.svc.Audit.RecordAudit(c.UserContext(), e); rerr != nil {
		s.logger.Error("audit log", "action", action, "tenant", tenant, "error", rerr)
	}
}

// auditAdmin records an action of the signed-in admin.
func (s *Server) auditAdmin(c *fiber.Ctx, action, tenant, detail string, err error) {
	s.audit(c, adminOf(c).Email, action, tenant, detail, err)
}

// handleAdminAudit handles "GET /audit": the audit log, newest first,
// filtered by actor, action and tenant, a page at a time.
func (s *Server) handleAdminAudit(c *fiber.Ctx) error {
	f := app.AuditFilter{
		Actor:  strings.TrimSpace(c.Query("actor")),
		Action: strings.TrimSpace(c.Query("action")),
		Tenant: strings.TrimSpace(c.Query("tenant")),
		Limit:  auditPageSize,
	}
	page := pageNumber(c)
	f.Offset = (page - 1) * auditPageSize
	entries, total, err := s.svc.Audit.ListAudit(c.UserContext(), f)
	if err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "tenant": f.Tenant} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return s.renderAdmin(c, "admin/audit", "", fiber.Map{
		"Title":   "Audit log",
		"Nav":     "audit",
		"Filter":  f,
		"Entries": entries,
		"Actions": auditActions,
		"Total":   total,
		"Pager":   newPager("/audit", q, page, auditPageSize, total),
	})
}
