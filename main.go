// Command todos serves TODOs: a TODO list SaaS where every tenant has a
// libSQL database of its own. Run "todos help" for its commands.
package main

import (
	"embed"
	"io/fs"

	"todos/app/cli"
)

//go:embed all:views
var viewsFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed schema.sql
var schema string

func main() {
	views, err := fs.Sub(viewsFS, "views")
	if err != nil {
		panic(err)
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	cli.Main(cli.Assets{Views: views, Static: static, Schema: schema})
}
