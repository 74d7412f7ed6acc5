package web

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// consoleRuns are the console queries running now, each under its admin
// and the run id its page sent, so that the page's Cancel can stop one:
// cancelling its context kills its child process (app/store/console).
// Only signed-in admins reach it, and an entry lives as long as its
// request.
type consoleRuns struct {
	mu   sync.Mutex
	runs map[string]*runningQuery
}

// runningQuery is one running console query: cancel stops it; done is closed when its
// request has recorded it and answered.
type runningQuery struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// cancelWait bounds how long a Cancel waits for its query's request to
// record the cancelled run.
const cancelWait = 10 * time.Second

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
// the function that ends the run, to call once the run is recorded.
func (r *consoleRuns) start(ctx context.Context, adminID int64, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	if !validRunID(id) {
		return ctx, cancel
	}
	key := runKey(adminID, id)
	run := &runningQuery{cancel: cancel, done: make(chan struct{})}
	r.mu.Lock()
	if r.runs == nil {
		r.runs = map[string]*runningQuery{}
	}
	if r.runs[key] != nil { // the same id twice: the first stays cancellable
		r.mu.Unlock()
		return ctx, cancel
	}
	r.runs[key] = run
	r.mu.Unlock()
	return ctx, func() {
		r.mu.Lock()
		delete(r.runs, key)
		r.mu.Unlock()
		cancel()
		close(run.done)
	}
}

// cancel stops admin's run id and waits (at most cancelWait) until its
// request has recorded it. It reports whether the run was running.
func (r *consoleRuns) cancel(adminID int64, id string) bool {
	r.mu.Lock()
	run := r.runs[runKey(adminID, id)]
	r.mu.Unlock()
	if run == nil {
		return false
	}
	run.cancel()
	select {
	case <-run.done:
	case <-time.After(cancelWait):
	}
	return true
}

// running reports whether admin's run id is running (for tests).
func (r *consoleRuns) running(adminID int64, id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[runKey(adminID, id)] != nil
}

// handleAdminConsoleCancel handles "POST /tenants/:name/console/cancel":
// stop the signed-in admin's query run_id. It answers 204 once the query
// has stopped and its history entry ("The query was cancelled.") is
// written, 404 when it was not running here (over, or on another server).
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
