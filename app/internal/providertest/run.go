package providertest

import (
	"context"
	"testing"
	"time"

	"todos/app/store"
)

// ctx is the context of every call the suite makes.
var ctx = context.Background()

// options are the faults a subject can cause, set by Option.
type options struct {
	stop, restart func()
	hang          func() (resume func())
	quick         func(t *testing.T) store.Provider
	quickAPI      func(t *testing.T) store.Provider
	failAPI       func(status, n int)
	clearAPI      func() int
	slowAPI       func(d time.Duration)
	expireTokens  func() (restore func())
}

// Option tells Run how to cause one kind of fault.
type Option func(*options)

// WithStop says how to stop the provider's server (as a crash does) and
// start it again on the same data.
func WithStop(stop, restart func()) Option {
	return func(o *options) { o.stop, o.restart = stop, restart }
}

// WithHang says how to make the provider's server accept connections and
// never answer (SIGSTOP), and returns a function that resumes it. quick
// returns a provider on that server whose deadlines are short (about a
// second): each call must then give EUNAVAILABLE by its deadline.
func WithHang(hang func() (resume func()), quick func(t *testing.T) store.Provider) Option {
	return func(o *options) { o.hang, o.quick = hang, quick }
}

// WithAPIFaults says how to make the provider's management API answer the
// next n requests with status (fail), forget the faults not yet answered
// and say how many there were (clear), and wait d before each answer
// (slow; 0 stops it). The providers of newProvider must retry fast (no
// long backoff); quick returns one whose API calls time out in about a
// second.
func WithAPIFaults(fail func(status, n int), clear func() int, slow func(d time.Duration), quick func(t *testing.T) store.Provider) Option {
	return func(o *options) { o.failAPI, o.clearAPI, o.slowAPI, o.quickAPI = fail, clear, slow, quick }
}

// WithExpiredTokens says how to make every token the provider gets from
// now on one that the server refuses as expired (a clock gone wrong: the
// issuer's behind, the provider's ahead), until restore puts the clocks
// right and moves the provider's past the lifetime of the tokens it got
// meanwhile. The provider must then get fresh ones by itself.
func WithExpiredTokens(expire func() (restore func())) Option {
	return func(o *options) { o.expireTokens = expire }
}

// Run runs the contract against the providers newProvider returns (a new
// one for each case, on the same server is fine: cases use names of their
// own), and the fault cases the options allow.
func Run(t *testing.T, newProvider func(t *testing.T) store.Provider, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	type contractCase struct {
		name string
		run  func(t *testing.T, p store.Provider)
	}
	cases := []contractCase{
		{"create write read reopen", caseReopen},
		{"create twice conflicts", caseDuplicate},
		{"unknown region", caseRegion},
		{"removed is missing", caseRemove},
		{"trash and untrash keep the data", caseTrash},
		{"adopt a staged file with data", caseAdopt},
		{"adopt onto an existing database conflicts", caseAdoptConflict},
		{"size", caseSize},
		{"tenant todos survive a new pool", caseTenantTodos},
		{"clone", caseClone},
		{"export", caseExport},
		{"import", caseImport},
		{"suspend and resume", caseSuspend},
		{"delete to the trash and restore", caseDeleteRestore},
		{"migrate to a newer schema", caseMigrate},
	}
	if o.stop != nil {
		cases = append(cases, contractCase{"server stopped mid-import and mid-use", func(t *testing.T, p store.Provider) { caseStopped(t, p, o) }})
	}
	if o.hang != nil {
		cases = append(cases, contractCase{"server hung: deadline", func(t *testing.T, _ store.Provider) { caseHung(t, o.quick(t), o.hang) }})
	}
	if o.failAPI != nil {
		cases = append(cases,
			contractCase{"API 429 and 500 retried", func(t *testing.T, p store.Provider) { caseAPIRetried(t, p, o) }},
			contractCase{"API failing for good", func(t *testing.T, p store.Provider) { caseAPIDown(t, p, o) }},
			contractCase{"API slow: deadline", func(t *testing.T, _ store.Provider) { caseAPISlow(t, o.quickAPI(t), o) }},
		)
	}
	if o.expireTokens != nil {
		cases = append(cases, contractCase{"expired tokens replaced", func(t *testing.T, p store.Provider) { caseExpiredTokens(t, p, o.expireTokens) }})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newProvider(t)) })
	}
}
