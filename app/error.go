package app

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web layer maps each code to an
// HTTP status in one place; storage maps engine errors to these codes.
const (
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EFULL         = "storage_full" // a write refused for lack of space: see StorageFull
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ERATELIMITED  = "rate_limited"
	EUNAUTHORIZED = "unauthorized"
	EUNAVAILABLE  = "unavailable"
)

// StorageFullMessage is what a user is told when a write is refused because
// the storage is full.
const StorageFullMessage = "Storage is full: your change was not saved. Try again later."

// StorageFull returns the EFULL error of a write refused because the storage
// is full (SQLite's SQLITE_FULL, "database or disk is full", or ENOSPC):
// nothing was saved, reads still work, and cause is kept for the logs.
func StorageFull(cause error) *Error {
	return &Error{Code: EFULL, Message: StorageFullMessage, Err: cause}
}

// Error is an application error with a machine-readable code and a message
// that is safe to show to the user. Err, when set, holds the underlying cause
// for logs and is never shown.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted user message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with code and message that keeps err as its cause.
func WrapError(code, message string, err error) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
