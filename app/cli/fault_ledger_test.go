package cli

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// faultLedger records what a server acknowledged, per tenant: the todos it
// said it added and those it said it marked completed; and every answer
// that was neither an acknowledgement nor a clear "storage full" refusal.
type faultLedger struct {
	mu         sync.Mutex
	added      map[string][]string // tenant → titles
	completed  map[string][]string // tenant → titles
	full       int                 // writes refused with 507 and the storage-full message
	unanswered int                 // requests that got no answer (the server was gone)
	bad        []string            // any other answer, described
}

func newFaultLedger() *faultLedger {
	return &faultLedger{added: map[string][]string{}, completed: map[string][]string{}}
}

// note records the answer a to the write what (on tenant, of title);
// acked says whether it is an acknowledgement, completion whether it
// acknowledges a completion rather than an add.
func (l *faultLedger) note(tenant, title, what string, a faultAnswer, acked, completion bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case acked && completion:
		l.completed[tenant] = append(l.completed[tenant], title)
	case acked:
		l.added[tenant] = append(l.added[tenant], title)
	case a.err != nil:
		l.unanswered++
	case a.status == http.StatusInsufficientStorage && strings.Contains(a.body, app.StorageFullMessage):
		l.full++
	default:
		if len(l.bad) < 20 {
			l.bad = append(l.bad, fmt.Sprintf("%s of %q on %s: %s", what, title, tenant, a))
		}
	}
}

// minAdded returns the fewest acknowledged adds of one of tenants.
func (l *faultLedger) minAdded(tenants []*faultTenant) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := -1
	for _, ft := range tenants {
		if k := len(l.added[ft.name]); n < 0 || k < n {
			n = k
		}
	}
	return n
}

// refusedFull returns how many writes were refused as storage full.
func (l *faultLedger) refusedFull() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.full
}

// waitAdded waits until each of tenants has at least n acknowledged adds;
// it fails the test after two minutes, which only a server that stopped
// acknowledging reaches.
func (l *faultLedger) waitAdded(t *testing.T, tenants []*faultTenant, n int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); l.minAdded(tenants) < n; time.Sleep(10 * time.Millisecond) {
		if bad := l.badAnswers(); len(bad) >= 5 {
			t.Fatalf("waiting for %d acknowledged adds per tenant, writes got answers that are neither a success nor a clear storage-full refusal:\n  %s",
				n, strings.Join(bad, "\n  "))
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %d acknowledged adds per tenant (fewest: %d); answers that were not: %v",
				n, l.minAdded(tenants), l.badAnswers())
		}
	}
}

// badAnswers returns the answers that were neither acknowledgements nor
// storage-full refusals.
func (l *faultLedger) badAnswers() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.bad)
}

// wantNoBadAnswers fails the test if any write got an answer other than
// an acknowledgement or a clear storage-full refusal (a 500, a bare 507).
func (l *faultLedger) wantNoBadAnswers(t *testing.T, what string) {
	t.Helper()
	if bad := l.badAnswers(); len(bad) > 0 {
		t.Errorf("%s: %d writes got an answer that is neither a success nor a clear storage-full refusal:\n  %s",
			what, len(bad), strings.Join(bad, "\n  "))
	}
}

// storedTodos are one tenant's todos as stored: title → completed.
type storedTodos map[string]bool

// wantAcknowledged fails the test for every tenant of the ledger whose
// acknowledged todos are not all in got, or whose acknowledged completions
// are not completed; what says where got was read.
func (l *faultLedger) wantAcknowledged(t *testing.T, what string, got map[string]storedTodos) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, tenant := range slices.Sorted(maps.Keys(l.added)) {
		var missing, active []string
		for _, title := range l.added[tenant] {
			if _, ok := got[tenant][title]; !ok {
				missing = append(missing, title)
			}
		}
		for _, title := range l.completed[tenant] {
			if done, ok := got[tenant][title]; ok && !done {
				active = append(active, title)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: tenant %s lost %d of its %d acknowledged todos, e.g. %q",
				what, tenant, len(missing), len(l.added[tenant]), missing[:min(5, len(missing))])
		}
		if len(active) > 0 {
			t.Errorf("%s: tenant %s has %d of its %d todos acknowledged as completed still active, e.g. %q",
				what, tenant, len(active), len(l.completed[tenant]), active[:min(5, len(active))])
		}
	}
}

// total returns the acknowledged adds and completions of all tenants, and
// the writes that got no answer.
func (l *faultLedger) total() (added, completed, unanswered int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	unanswered = l.unanswered
	for _, v := range l.added {
		added += len(v)
	}
	for _, v := range l.completed {
		completed += len(v)
	}
	return added, completed, unanswered
}

// faultWriters are clients writing to tenants until stopped.
type faultWriters struct {
	done chan struct{}
	wg   sync.WaitGroup
}

// startFaultWriters starts perTenant writers on each tenant. Writer w of a
// tenant adds todos titled "{tenant}-r{round}w{w}-{i}", alternately by form
// and by htmx, and marks each one added by htmx completed (by form or by
// htmx), noting every answer in l. After a request without an answer, or
// refused, it waits a moment, so that a dead or full server is not
// hammered.
func startFaultWriters(tenants []*faultTenant, perTenant, round int, l *faultLedger) *faultWriters {
	w := &faultWriters{done: make(chan struct{})}
	for _, ft := range tenants {
		for n := range perTenant {
			b := ft.browser()
			w.wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-w.done:
						return
					default:
					}
					title := fmt.Sprintf("%s-r%dw%d-%d", ft.name, round, n, i)
					a := ft.post(b, "/todos", url.Values{"title": {title}}, i%2 == 1)
					if i%2 == 0 {
						l.note(ft.name, title, "add", a, a.err == nil && a.status == http.StatusSeeOther, false)
					} else {
						l.note(ft.name, title, "htmx add", a, a.err == nil && a.status == http.StatusOK, false)
						if id := addedID(a.body, title); a.status == http.StatusOK && id != "" {
							htmx := i%4 == 3
							c := ft.post(b, "/todos/"+id+"/toggle", url.Values{"completed": {"1"}}, htmx)
							ok := c.err == nil && (c.status == http.StatusSeeOther || htmx && c.status == http.StatusOK)
							l.note(ft.name, title, "completion", c, ok, true)
						}
					}
					if a.err != nil || a.status != http.StatusSeeOther && a.status != http.StatusOK {
						time.Sleep(20 * time.Millisecond)
					}
				}
			})
		}
	}
	return w
}

// stop stops the writers and waits for them.
func (w *faultWriters) stop() {
	close(w.done)
	w.wg.Wait()
}
