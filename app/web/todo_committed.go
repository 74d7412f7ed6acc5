package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// committed sends the answer render builds to a write that is saved. If
// building it fails (a re-read, a template), the failure is logged and
// the client is sent to the list all the same: a redirect without
// JavaScript, HX-Refresh (reload the page) with htmx. Answering the saved
// write with an error would make the user repeat it.
func (s *Server) committed(c *fiber.Ctx, filter app.Filter, render func() error) error {
	err := render()
	if err == nil {
		return nil
	}
	s.logger.Error("answer to a saved write failed; the page is reloaded instead",
		"host", string(c.Request().Host()), "path", c.Path(), "error", err)
	if !isHTMX(c) {
		return afterWrite(c, filter)
	}
	c.Response().Header.Del("HX-Retarget")
	c.Response().Header.Del("HX-Reswap")
	c.Response().ResetBody()
	c.Set("HX-Refresh", "true")
	c.Status(fiber.StatusOK)
	return nil
}

// storageFullPage answers a write refused because the storage is full,
// without JavaScript: the list (reads work) with the message and what the
// user typed, status 507. (htmx requests get the message in the alert area
// from the error handler.)
func (s *Server) storageFullPage(c *fiber.Ctx, filter app.Filter, form todoForm, err error) error {
	s.countStorageFull(err)
	s.logger.Warn("write refused: storage full", "host", string(c.Request().Host()), "path", c.Path(), "error", err)
	return s.renderTodoPage(c, fiber.StatusInsufficientStorage, filter, form, []string{app.ErrorMessage(err)}, nil)
}
