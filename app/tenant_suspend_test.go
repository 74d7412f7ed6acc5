package app

import "testing"

func TestCleanSuspendReason(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  unpaid invoice \n", "unpaid invoice"},
		{"a\tb\x00c", "a b c"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"evil\u202Eeulav", "evil eulav"},       // a bidi override would reverse what follows
		{"zero\u200Bwidth\uFEFF", "zero width"}, // invisible characters
		{"line\u2028break", "line break"},
	} {
		got, err := CleanSuspendReason(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CleanSuspendReason(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	long := make([]rune, SuspendReasonMaxLength+1)
	for i := range long {
		long[i] = 'é'
	}
	if _, err := CleanSuspendReason(string(long)); ErrorCode(err) != EINVALID {
		t.Errorf("a reason over the limit: %v", err)
	}
}
