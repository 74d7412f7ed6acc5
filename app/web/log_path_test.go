package web

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestLogPathHidesTokens: the tokens of reset and invitation links never
// reach a log line; other paths are logged as they are.
func TestLogPathHidesTokens(t *testing.T) {
	var got string
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error {
		got = logPath(c)
		return nil
	})
	for path, want := range map[string]string{
		"/reset/abcDEF123":  "/reset/[token]",
		"/invite/abcDEF123": "/invite/[token]",
		"/todos/3":          "/todos/3",
		"/":                 "/",
	} {
		if _, err := app.Test(httptest.NewRequest("GET", path, nil)); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("logPath(%s) = %q, want %q", path, got, want)
		}
	}
}
