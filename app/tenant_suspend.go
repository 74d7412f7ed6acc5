package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SuspendReasonMaxLength is the most characters a suspension's reason may
// have.
const SuspendReasonMaxLength = 200

// CleanSuspendReason returns the reason an admin typed for suspending a
// tenant as it is stored and shown to the tenant's users: valid UTF-8
// (invalid bytes become U+FFFD), control and format characters (bidi
// overrides, zero-width spaces) and line breaks as spaces, trimmed. A reason longer than SuspendReasonMaxLength characters
// gives EINVALID; an empty one is returned as "" (callers that require a
// reason check for it).
func CleanSuspendReason(s string) (string, error) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > SuspendReasonMaxLength {
		return "", Errorf(EINVALID, "The reason is %d characters long: keep it to %d.", n, SuspendReasonMaxLength)
	}
	return s, nil
}

// ErrSuspendReasonMissing is the error for a suspension without a reason
// where one is required (the admin app's form).
var ErrSuspendReasonMissing = Errorf(EINVALID,
	"Nothing was suspended: give a reason. The list's users see it on the suspended page.")
