package web

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A write that fails for lack of space is answered 507 with the storage-full
// message even when no layer classified it (a control-plane write, a file
// operation): never 500 "Something went wrong".
func TestUnclassifiedStorageFullIs507(t *testing.T) {
	env := newTestEnv(t)
	for _, cause := range []error{
		fmt.Errorf("record audit: %w", fmt.Errorf("SQLite failure: `database or disk is full`")),
		fmt.Errorf("stage copy: %w", syscall.ENOSPC),
	} {
		a := fiber.New(fiber.Config{ErrorHandler: env.srv.handleError})
		a.Post("/", func(c *fiber.Ctx) error { return cause })
		resp, err := a.Test(httptest.NewRequest("POST", "/", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != fiber.StatusInsufficientStorage || !strings.Contains(string(body), "Storage is full") {
			t.Errorf("%v: status %d, body %.200q; want 507 and the storage-full message", cause, resp.StatusCode, body)
		}
	}
}
