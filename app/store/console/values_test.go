package console

import (
	"testing"

	"todos/app"
)

// TestValues checks how each kind of stored value is shown: NULL visibly,
// blobs as lowercase hex, numbers exactly, and text exactly as stored, even
// when go-libsql would turn it into a time.Time.
func TestValues(t *testing.T) {
	t.Parallel()
	path := newDB(t, "wal")
	res := mustRun(t, path, "SELECT id, v, typeof(v) FROM vals ORDER BY id", false)
	want := map[string]app.ConsoleValue{
		"1":  {Null: true, Kind: "null", Text: "NULL"},
		"2":  {Kind: "integer", Text: "42"},
		"3":  {Kind: "real", Text: "1.5"},
		"4":  {Kind: "text", Text: "text"},
		"5":  {Kind: "blob", Text: "00ff10"},
		"6":  {Kind: "text", Text: "2024-01-02"},
		"7":  {Kind: "text", Text: "2024-01-02 10:00:00"},
		"8":  {Kind: "real", Text: "0.1"},
		"9":  {Kind: "integer", Text: "-9223372036854775808"},
		"10": {Kind: "real", Text: "1e+300"},
		"11": {Kind: "text", Text: "it's"},
		"12": {Kind: "text", Text: ""},
		"13": {Kind: "blob", Text: ""},
		"14": {Kind: "real", Text: "100.0"},
	}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(want))
	}
	for _, row := range res.Rows {
		id, v, typ := row[0].Text, row[1], row[2].Text
		if v != want[id] {
			t.Errorf("row %s: %+v, want %+v", id, v, want[id])
		}
		if v.Kind != typ {
			t.Errorf("row %s: kind %s, typeof %s", id, v.Kind, typ)
		}
	}
}

// TestValuesExact covers values computed in the query.
func TestValuesExact(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	tests := []struct {
		sql  string
		want app.ConsoleValue
	}{
		{"SELECT '2024-01-02'", app.ConsoleValue{Kind: "text", Text: "2024-01-02"}},
		{"SELECT '2024-01-02T10:00:00Z'", app.ConsoleValue{Kind: "text", Text: "2024-01-02T10:00:00Z"}},
		{"SELECT '2024-01-02 10:00'", app.ConsoleValue{Kind: "text", Text: "2024-01-02 10:00"}},
		{"SELECT datetime(0, 'unixepoch')", app.ConsoleValue{Kind: "text", Text: "1970-01-01 00:00:00"}},
		{"SELECT 0.1 + 0.2", app.ConsoleValue{Kind: "real", Text: "0.30000000000000004"}},
		{"SELECT 1e308 * 10", app.ConsoleValue{Kind: "real", Text: "Inf"}},
		{"SELECT -1e308 * 10", app.ConsoleValue{Kind: "real", Text: "-Inf"}},
		{"SELECT 2.0", app.ConsoleValue{Kind: "real", Text: "2.0"}},
		{"SELECT 9223372036854775807", app.ConsoleValue{Kind: "integer", Text: "9223372036854775807"}},
		{"SELECT x'DEADBEEF'", app.ConsoleValue{Kind: "blob", Text: "deadbeef"}},
		{"SELECT NULL", app.ConsoleValue{Null: true, Kind: "null", Text: "NULL"}},
		{"SELECT 'NULL'", app.ConsoleValue{Kind: "text", Text: "NULL"}},
		{"SELECT 'a''b''''c'", app.ConsoleValue{Kind: "text", Text: "a'b''c"}},
		{"SELECT 'héllo ✓'", app.ConsoleValue{Kind: "text", Text: "héllo ✓"}},
		{"SELECT X'41'", app.ConsoleValue{Kind: "blob", Text: "41"}},
		// Text that is not UTF-8 would abort go-libsql; read through quote()
		// it arrives, with the invalid byte replaced in the JSON result.
		{"SELECT CAST(x'ff41' AS TEXT)", app.ConsoleValue{Kind: "text", Text: "\uFFFDA"}},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			t.Parallel()
			res := mustRun(t, path, tc.sql, false)
			if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
				t.Fatalf("rows = %v", res.Rows)
			}
			if got := res.Rows[0][0]; got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestFromQuoted unit-tests the decoding of quote() output.
func TestFromQuoted(t *testing.T) {
	tests := map[string]app.ConsoleValue{
		"NULL":                        nullValue,
		"''":                          {Kind: "text"},
		"'a''b'":                      {Kind: "text", Text: "a'b"},
		"X'00AB'":                     {Kind: "blob", Text: "00ab"},
		"X''":                         {Kind: "blob"},
		"-12":                         {Kind: "integer", Text: "-12"},
		"1.0":                         {Kind: "real", Text: "1.0"},
		"1.0e+20":                     {Kind: "real", Text: "1e+20"},
		"3.00000000000000044409e-01":  {Kind: "real", Text: "0.30000000000000004"},
		"9.0e+999":                    {Kind: "real", Text: "Inf"},
		"Inf":                         {Kind: "real", Text: "Inf"},
		"-Inf":                        {Kind: "real", Text: "-Inf"},
		"'2024-01-02 10:00:00+02:00'": {Kind: "text", Text: "2024-01-02 10:00:00+02:00"},
	}
	for in, want := range tests {
		got, err := fromQuoted([]byte(in))
		if err != nil || got != want {
			t.Errorf("fromQuoted(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	if _, err := fromQuoted([]byte("garbage")); err == nil {
		t.Error("fromQuoted(garbage) gave no error")
	}
}
