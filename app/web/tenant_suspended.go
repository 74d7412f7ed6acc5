package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// errSuspended answers every request to a suspended tenant's host.
var errSuspended = fiber.NewError(fiber.StatusForbidden,
	"This TODO list is suspended. Its data is safe, but it cannot be used right now.")

// suspendedError is errSuspended for one tenant, with the reason its admin
// gave (from the tenant record the request has already read: answering it
// reads and writes nothing more).
type suspendedError struct {
	Reason string // "": none given
}

// suspended returns the answer to a request to t's host while t is
// suspended.
func suspended(t *app.Tenant) error { return &suspendedError{Reason: t.SuspendReason} }

// Error returns errSuspended's message.
func (e *suspendedError) Error() string { return errSuspended.Message }

// Unwrap makes errors.Is(err, errSuspended) and errors.As(err, *fiber.Error)
// see errSuspended.
func (e *suspendedError) Unwrap() error { return errSuspended }

// suspendReasonOf returns the reason carried by a suspendedError in err's
// chain, or "".
func suspendReasonOf(err error) string {
	var se *suspendedError
	if errors.As(err, &se) {
		return se.Reason
	}
	return ""
}
