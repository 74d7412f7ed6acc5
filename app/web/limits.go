package web

import "time"

// Limits are the sign-in and sign-up limits. They live in memory: a restart
// forgives everyone.
type Limits struct {
	// LoginWindow is how long failed sign-ins are remembered (default 15
	// minutes).
	LoginWindow time.Duration
	// LoginFailuresPerClientAccount is how many failed sign-ins one client
	// may make on one account in a window before that client is refused on
	// that account, even with the right password (default 5).
	LoginFailuresPerClientAccount int
	// LoginFailuresPerClient is how many failed sign-ins one client may make
	// on all accounts together in a window before it is refused (default 50).
	LoginFailuresPerClient int
	// LoginAccountSlowAfter is how many failed sign-ins an account takes,
	// from all clients together, before every attempt on it is slowed down
	// (default 10). The failures are forgiven one by one over LoginWindow.
	LoginAccountSlowAfter int
	// LoginAccountMaxDelay bounds that slow-down: each further failure adds
	// a second to the wait, up to this (default 10 seconds). An account is
	// never locked: the right password from a client that has not been
	// failing always gets in, after at most this wait.
	LoginAccountMaxDelay time.Duration
	// SignupPerHour is how many lists one client may create per hour; 0
	// turns the sign-up limits off, this one and SignupGlobalPerHour.
	SignupPerHour int
	// SignupGlobalPerHour is how many lists all clients together may create
	// per hour (when SignupPerHour is not 0); 0 means no global limit.
	SignupGlobalPerHour int
}

// Default limits. The sign-up limits have their defaults in the command
// line (--signup-per-hour, --signup-global-per-hour): here 0 means off.
const (
	DefaultLoginWindow                   = 15 * time.Minute
	DefaultLoginFailuresPerClientAccount = 5
	DefaultLoginFailuresPerClient        = 50
	DefaultLoginAccountSlowAfter         = 10
	DefaultLoginAccountMaxDelay          = 10 * time.Second
	DefaultSignupPerHour                 = 10
	DefaultSignupGlobalPerHour           = 200
)

// withLoginDefaults returns l with each unset sign-in limit at its default.
func (l Limits) withLoginDefaults() Limits {
	if l.LoginWindow <= 0 {
		l.LoginWindow = DefaultLoginWindow
	}
	if l.LoginFailuresPerClientAccount <= 0 {
		l.LoginFailuresPerClientAccount = DefaultLoginFailuresPerClientAccount
	}
	if l.LoginFailuresPerClient <= 0 {
		l.LoginFailuresPerClient = DefaultLoginFailuresPerClient
	}
	if l.LoginAccountSlowAfter <= 0 {
		l.LoginAccountSlowAfter = DefaultLoginAccountSlowAfter
	}
	if l.LoginAccountMaxDelay <= 0 {
		l.LoginAccountMaxDelay = DefaultLoginAccountMaxDelay
	}
	return l
}
