package web

import (
	"context"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// consoleRuns are the console queries running now, each under its admin
// and the run id its page sent, so that the page's Cancel can stop one:
// cancelling its context kills its child process (app/store/console).
// Only signed-in admins reach it, and an entry lives as long as its
// request.
type consoleRuns struct {
	mu   sync.Mutex
	runs map[string]context.CancelFunc
}

// validRunID reports whether id has the form of the ids the console page
// makes: 8 to 64 letters, digits and dashes.
func validRunID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// runKey names admin's run id.
func runKey(adminID int64, id string) string { return strconv.FormatInt(adminID, 10) + "/" + id }

// start returns ctx, cancellable under admin's run id (when valid), and
// the function that ends the run.
func (r *consoleRuns) start(ctx context.Context, adminID int64, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	if !validRunID(id) {
		return ctx, cancel
	}
	key := runKey(adminID, id)
	r.mu.Lock()
	if r.runs == nil {
		r.runs = map[string]context.CancelFunc{}
	}
	r.runs[key] = cancel
	r.mu.Unlock()
	return ctx, func() {
		r.mu.Lock()
		delete(r.runs, key)
		r.mu.Unlock()
		cancel()
	}
}

// cancel stops admin's run id and reports whether it was running.
func (r *consoleRuns) cancel(adminID int64, id string) bool {
	r.mu.Lock()
	cancel := r.runs[runKey(adminID, id)]
	r.mu.Unlock()
	if cancel == nil {
		return false
	}
	cancel()
	return true
}

// running reports whether admin's run id is running (for tests).
func (r *consoleRuns) running(adminID int64, id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[runKey(adminID, id)] != nil
}

// handleAdminConsoleCancel handles "POST /tenants/:name/console/cancel":
// stop the signed-in admin's query run_id. It answers 204 when the query
// was running (its own request then answers "The query was cancelled."),
// 404 when it was not (already over).
func (s *Server) handleAdminConsoleCancel(c *fiber.Ctx) error {
	t, err := s.adminTenant(c)
	if err != nil {
		return err
	}
	if !s.consoleRuns.cancel(adminOf(c).ID, c.FormValue("run_id")) {
		return c.SendStatus(fiber.StatusNotFound)
	}
	s.auditAdmin(c, "console-cancel", t.Name, "", nil)
	return c.SendStatus(fiber.StatusNoContent)
}
