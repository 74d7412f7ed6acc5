package web

import (
	"io"
	"os"
	"sync"
	"testing"
)

// The first renders of a template, at once, must not race: html/template
// escapes on first execution and the engine copies templates without a
// lock. Run with -race, which saw this race before templates were escaped
// when the views load.
func TestFirstRendersInParallel(t *testing.T) {
	views := newViews(os.DirFS("../../views"))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range []string{"site/home", "todo/login", "admin/login", "errors/page"} {
				_ = views.Render(io.Discard, name, nil)
			}
		}()
	}
	wg.Wait()
}
