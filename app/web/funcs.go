package web

import (
	"html/template"
	"time"
)

// viewFuncs are the functions templates may call.
var viewFuncs = template.FuncMap{
	// plural returns singular when n is 1 and plural otherwise.
	"plural": func(n int, singular, plural string) string {
		if n == 1 {
			return singular
		}
		return plural
	},
	// isoTime formats t for a <time datetime> attribute.
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}

func init() {
	// dict builds a map from key/value pairs so a template can pass several
	// values to another: {{template "x" (dict "T" . "Page" $)}}.
	viewFuncs["dict"] = func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				m[k] = kv[i+1]
			}
		}
		return m
	}
}
