package console

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"todos/app"
)

// Kinds of console values.
const (
	kindNull    = "null"
	kindInteger = "integer"
	kindReal    = "real"
	kindText    = "text"
	kindBlob    = "blob"
)

// nullValue is how NULL is shown.
var nullValue = app.ConsoleValue{Null: true, Kind: kindNull, Text: "NULL"}

// fromQuoted decodes the bytes of CAST(quote(x) AS BLOB), which carry both
// the type and the exact value of x: NULL, 'text' with quotes doubled,
// X'HEX', an integer, or a real printed so that it reads back identically.
// Reading values this way avoids go-libsql's two traps: TEXT that looks like
// a date comes back as time.Time, and TEXT that is not valid UTF-8 aborts
// the process.
func fromQuoted(b []byte) (app.ConsoleValue, error) {
	switch {
	case string(b) == "NULL":
		return nullValue, nil
	case len(b) >= 2 && b[0] == '\'' && b[len(b)-1] == '\'':
		text := bytes.ReplaceAll(b[1:len(b)-1], []byte("''"), []byte("'"))
		return app.ConsoleValue{Kind: kindText, Text: string(text)}, nil
	case len(b) >= 3 && b[0] == 'X' && b[1] == '\'' && b[len(b)-1] == '\'':
		return app.ConsoleValue{Kind: kindBlob, Text: strings.ToLower(string(b[2 : len(b)-1]))}, nil
	}
	s := string(b)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return app.ConsoleValue{Kind: kindInteger, Text: strconv.FormatInt(i, 10)}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return app.ConsoleValue{}, fmt.Errorf("console: unexpected quoted value %q", clip(s, 40))
	}
	return realValue(f), nil
}

// fromDriver converts a value as go-libsql returns it. Used only for results
// that cannot be re-read through quote() (PRAGMA, EXPLAIN, RETURNING):
// time.Time, which the driver makes of date-like TEXT, is printed back in
// the shortest of the layouts it parses.
func fromDriver(v any) app.ConsoleValue {
	switch v := v.(type) {
	case nil:
		return nullValue
	case int64:
		return app.ConsoleValue{Kind: kindInteger, Text: strconv.FormatInt(v, 10)}
	case float64:
		return realValue(v)
	case []byte:
		return app.ConsoleValue{Kind: kindBlob, Text: hex.EncodeToString(v)}
	case string:
		return app.ConsoleValue{Kind: kindText, Text: v}
	case time.Time:
		return app.ConsoleValue{Kind: kindText, Text: formatTime(v)}
	}
	return app.ConsoleValue{Kind: kindText, Text: fmt.Sprint(v)}
}

// realValue shows f as the shortest decimal that reads back as f, with ".0"
// on whole numbers so that reals stay apart from integers.
func realValue(f float64) app.ConsoleValue {
	var s string
	switch {
	case math.IsInf(f, 1):
		s = "Inf"
	case math.IsInf(f, -1):
		s = "-Inf"
	default:
		s = strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEN") {
			s += ".0"
		}
	}
	return app.ConsoleValue{Kind: kindReal, Text: s}
}

// formatTime prints a time.Time that go-libsql parsed from TEXT.
func formatTime(t time.Time) string {
	layout := "2006-01-02 15:04:05.999999999"
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 && t.Location() == time.UTC {
		layout = "2006-01-02"
	}
	if t.Location() != time.UTC {
		layout += "-07:00"
	}
	return t.Format(layout)
}

// clip shortens s to at most n bytes for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
