package cli

import (
	"flag"
	"fmt"
	"time"

	"todos/app/web"
)

// limitFlags registers the sign-in and sign-up limits (see web.Limits).
func limitFlags(fs *flag.FlagSet, l *web.Limits) {
	durationFlag(fs, &l.LoginWindow, "login-window", web.DefaultLoginWindow,
		"how long failed sign-ins are remembered (env TODOS_LOGIN_WINDOW)")
	fs.IntVar(&l.LoginFailuresPerClientAccount, "login-failures-per-client-account", web.DefaultLoginFailuresPerClientAccount,
		"failed sign-ins one client may make on one account per window before it is refused on that account (env TODOS_LOGIN_FAILURES_PER_CLIENT_ACCOUNT)")
	fs.IntVar(&l.LoginFailuresPerClient, "login-failures-per-client", web.DefaultLoginFailuresPerClient,
		"failed sign-ins one client may make on all accounts per window before it is refused (env TODOS_LOGIN_FAILURES_PER_CLIENT)")
	fs.IntVar(&l.LoginAccountSlowAfter, "login-account-slow-after", web.DefaultLoginAccountSlowAfter,
		"failed sign-ins on one account, from all clients, before each attempt on it is slowed down (env TODOS_LOGIN_ACCOUNT_SLOW_AFTER)")
	durationFlag(fs, &l.LoginAccountMaxDelay, "login-account-max-delay", web.DefaultLoginAccountMaxDelay,
		"the longest an attempt on a slowed-down account waits; accounts are never locked (env TODOS_LOGIN_ACCOUNT_MAX_DELAY)")
	fs.IntVar(&l.SignupPerHour, "signup-per-hour", web.DefaultSignupPerHour,
		"lists one client may create per hour; 0 turns the sign-up limits off, per client and global (env TODOS_SIGNUP_PER_HOUR)")
	fs.IntVar(&l.SignupGlobalPerHour, "signup-global-per-hour", web.DefaultSignupGlobalPerHour,
		"lists all clients together may create per hour; 0: no global limit (env TODOS_SIGNUP_GLOBAL_PER_HOUR)")
}

// validateLimits checks the limits: sign-in limits cannot be turned off,
// sign-up limits can (0).
func validateLimits(l web.Limits) error {
	if l.LoginWindow < time.Minute || l.LoginWindow > 24*time.Hour {
		return fmt.Errorf("invalid --login-window %s: want 1m to 24h", l.LoginWindow)
	}
	for _, f := range []struct {
		name string
		n    int
	}{
		{"login-failures-per-client-account", l.LoginFailuresPerClientAccount},
		{"login-failures-per-client", l.LoginFailuresPerClient},
		{"login-account-slow-after", l.LoginAccountSlowAfter},
	} {
		if f.n < 1 || f.n > 1_000_000 {
			return fmt.Errorf("invalid --%s %d: want 1 to 1000000", f.name, f.n)
		}
	}
	if l.LoginAccountMaxDelay < time.Second || l.LoginAccountMaxDelay > time.Minute {
		return fmt.Errorf("invalid --login-account-max-delay %s: want 1s to 1m", l.LoginAccountMaxDelay)
	}
	if l.SignupPerHour < 0 || l.SignupPerHour > 1_000_000 {
		return fmt.Errorf("invalid --signup-per-hour %d: want 0 (off) to 1000000", l.SignupPerHour)
	}
	if l.SignupGlobalPerHour < 0 || l.SignupGlobalPerHour > 1_000_000 {
		return fmt.Errorf("invalid --signup-global-per-hour %d: want 0 (no global limit) to 1000000", l.SignupGlobalPerHour)
	}
	return nil
}
