package cli

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryRunsAtOnceThenOnTicksUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var runs atomic.Int32
	done := make(chan struct{})
	go func() {
		every(ctx, 10*time.Millisecond, true, func() { runs.Add(1) })
		close(done)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runs.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("every did not stop when its context ended")
	}
	if n := runs.Load(); n < 3 {
		t.Errorf("job ran %d times, want at least 3", n)
	}
	after := runs.Load()
	time.Sleep(30 * time.Millisecond)
	if runs.Load() != after {
		t.Errorf("job ran after the context ended")
	}

	// Without now, nothing runs before the first tick.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	var ran atomic.Bool
	every(ctx2, time.Hour, false, func() { ran.Store(true) })
	if ran.Load() {
		t.Errorf("job ran at once without now")
	}
}
