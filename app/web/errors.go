package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"todos/app"
)

// statusOf maps application error codes to HTTP statuses.
var statusOf = map[string]int{
	app.ECONFLICT:     fiber.StatusConflict,
	app.EFORBIDDEN:    fiber.StatusForbidden,
	app.EFULL:         fiber.StatusInsufficientStorage,
	app.EINTERNAL:     fiber.StatusInternalServerError,
	app.EINVALID:      fiber.StatusUnprocessableEntity,
	app.ENOTFOUND:     fiber.StatusNotFound,
	app.ERATELIMITED:  fiber.StatusTooManyRequests,
	app.EUNAUTHORIZED: fiber.StatusUnauthorized,
	app.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
}

// errSessionEnded answers an htmx request that fails the CSRF check: its
// page's cookies are gone (cleared, or the browser was restarted), so the
// script on the page offers to sign in again and keeps what was typed.
// Forms posted without htmx still get errCSRF.
var errSessionEnded = fiber.NewError(fiber.StatusUnauthorized,
	"Your session has ended. Sign in again to continue.")

// handleError is every app's error handler: the one place where errors
// become responses. Internal errors are logged with detail and shown as a
// generic message; htmx requests get a small alert fragment.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if err == errCSRF && isHTMX(c) && !isBoosted(c) {
		err = errSessionEnded
	}
	status, message := fiber.StatusInternalServerError, app.ErrorMessage(err)
	var ferr *fiber.Error
	if errors.As(err, &ferr) {
		status, message = ferr.Code, ferr.Message
		if status == fiber.StatusNotFound && message == utils.StatusMessage(status) {
			message = errNothingHere.Message
		}
	} else if code := app.ErrorCode(err); statusOf[code] != 0 {
		status = statusOf[code]
	}
	if status == fiber.StatusInternalServerError && app.IsStorageFull(err) {
		// A write the store did not classify (the control plane's, say):
		// still "storage full", never "something went wrong".
		status, message = fiber.StatusInsufficientStorage, app.StorageFullMessage
	}
	s.countStorageFull(err)
	if status >= 500 {
		s.logger.Error("request failed", "method", c.Method(), "host", string(c.Request().Host()),
			"path", logPath(c), "status", status, "error", err)
	}
	c.Status(status)
	if isHTMX(c) && !isBoosted(c) {
		c.Set("HX-Retarget", "#alerts")
		c.Set("HX-Reswap", "innerHTML")
		if reason := suspendReasonOf(err); reason != "" {
			message += " Reason: " + reason
		}
		return s.renderFragment(c, "partials/alert", fiber.Map{"Message": message})
	}
	title := httpStatusTitle(status)
	if errors.Is(err, errSuspended) {
		title = "This list is suspended"
	}
	if err == errListDeleted {
		title = "This list was deleted"
	}
	return s.renderErrorPage(c, title, message, suspendReasonOf(err))
}

// httpStatusTitle is the heading of an error page.
func httpStatusTitle(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "Not found"
	case fiber.StatusForbidden:
		return "Not allowed"
	case fiber.StatusTooManyRequests:
		return "Slow down"
	case fiber.StatusServiceUnavailable:
		return "Unavailable"
	case fiber.StatusInsufficientStorage:
		return "Storage full"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "That did not work"
}
