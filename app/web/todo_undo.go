package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleTodoUndo handles "POST /todos/undo": bring back the items of the
// deletion named by the form's token (views/todo/_undo.html), within
// app.UndoWindow.
func (s *Server) handleTodoUndo(c *fiber.Ctx) error {
	filter := requestFilter(c)
	u, stats, err := listOf(c).Undo(c.UserContext(), c.FormValue("token"))
	if err != nil {
		return s.writeFailed(c, filter, err)
	}
	if !isHTMX(c) {
		if err := s.addFlash(c, flashNotice, restoredMessage(u.Count)); err != nil {
			return err
		}
		return afterWrite(c, filter)
	}
	return s.committed(c, filter, func() error { return s.renderRestored(c, filter, u, stats) })
}

// restoredMessage is the notice of an undo that brought back n items.
func restoredMessage(n int) string {
	if n == 1 {
		return "Restored 1 item."
	}
	return fmt.Sprintf("Restored %d items.", n)
}

// renderRestored answers an htmx undo: the main section and footer (into
// the list's section when the list had been emptied, like a first add),
// and the notice in place of the undo one, naming the first item brought
// back for the page's script to focus.
func (s *Server) renderRestored(c *fiber.Ctx, filter app.Filter, u app.Undone, stats app.TodoStats) error {
	todos, stats, err := listOf(c).Todos(c.UserContext(), filter)
	if err != nil {
		return err
	}
	data := todoData(c, filter, todos, stats)
	data["Restored"] = restoredMessage(u.Count)
	data["RestoredID"] = u.FirstID
	if stats.Total == u.Count { // the page shows an empty list
		c.Set("HX-Retarget", "#todoapp")
		c.Set("HX-Reswap", "beforeend")
		return s.renderFragment(c, "todo/_body", data)
	}
	c.Set("HX-Retarget", "#main")
	c.Set("HX-Reswap", "outerHTML")
	data["FooterOOB"] = true
	return s.renderFragment(c, "todo/_main_changed", data)
}

// afterDelete answers a delete without JavaScript: back to the list, which
// shows the undo notice (through the flash cookie) if something was
// deleted. An offer not shown yet (deletes faster than their pages) is
// replaced, so the cookie holds one at most; the delete is saved, so a
// cookie that cannot be written only loses the offer.
func (s *Server) afterDelete(c *fiber.Ctx, filter app.Filter, del app.Deletion) error {
	if del.Undoable() {
		sess, r := s.flashSession(c)
		sess.Flashes(flashUndo)
		sess.AddFlash(encodeUndo(del), flashUndo)
		if err := s.saveFlash(c, sess, r); err != nil {
			s.logger.Warn("undo offer not kept", "host", string(c.Request().Host()), "error", err)
		}
	}
	return afterWrite(c, filter)
}

// flashUndo is the flash kind of an undo notice.
const flashUndo = "undo"

// undoTitleMax is how much of a deleted item's title the flash cookie keeps
// for the notice.
const undoTitleMax = 120

// encodeUndo writes a deletion for the flash cookie: token, count, end of
// the window (unix ms) and title, separated by "|" (the title last, as it
// may hold any character).
func encodeUndo(d app.Deletion) string {
	return strings.Join([]string{d.Token, strconv.Itoa(d.Count),
		strconv.FormatInt(d.Expires.UnixMilli(), 10), app.Clip(d.Title, undoTitleMax)}, "|")
}

// decodeUndo reads encodeUndo's form; anything else is no deletion.
func decodeUndo(s string) app.Deletion {
	parts := strings.SplitN(s, "|", 4)
	if len(parts) != 4 || !app.ValidUndoToken(parts[0]) {
		return app.Deletion{}
	}
	n, err1 := strconv.Atoi(parts[1])
	ms, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return app.Deletion{}
	}
	return app.Deletion{Token: parts[0], Count: n, Expires: time.UnixMilli(ms), Title: parts[3]}
}
