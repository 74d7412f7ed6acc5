package console

import (
	"fmt"
	"unicode/utf8"

	"todos/app"
)

// collector gathers result rows up to the caps of a request.
type collector struct {
	res      *app.ConsoleResult
	maxRows  int
	maxBytes int
	size     int // bytes of display text so far
}

// newCollector returns a collector for a result with columns cols.
func newCollector(cols []string, maxRows, maxBytes int) *collector {
	return &collector{
		res:      &app.ConsoleResult{Columns: cols, Rows: [][]app.ConsoleValue{}},
		maxRows:  maxRows,
		maxBytes: maxBytes,
	}
}

// full reports whether the row cap is reached: if another row exists, the
// caller calls cut.
func (c *collector) full() bool { return len(c.res.Rows) >= c.maxRows }

// cut notes that rows beyond the row cap were left out.
func (c *collector) cut() {
	c.res.Truncated = true
	c.res.Note = fmt.Sprintf("Showing the first %d rows.", c.maxRows)
}

// add keeps row and reports whether more rows may follow. A row that would
// pass the byte cap ends the result; when it is the first row, it is kept
// with its values cut to fit.
func (c *collector) add(row []app.ConsoleValue) bool {
	n := 0
	for _, v := range row {
		n += len(v.Text)
	}
	if c.size+n <= c.maxBytes {
		c.size += n
		c.res.Rows = append(c.res.Rows, row)
		return true
	}
	c.res.Truncated = true
	if len(c.res.Rows) > 0 {
		c.res.Note = fmt.Sprintf("Showing the first %d rows: results are limited to %s.", len(c.res.Rows), humanBytes(c.maxBytes))
		return false
	}
	left := c.maxBytes
	for i := range row {
		row[i].Text = cutText(row[i].Text, left)
		left -= len(row[i].Text)
	}
	c.res.Rows = append(c.res.Rows, row)
	c.res.Note = fmt.Sprintf("Showing the first row only, with long values cut: results are limited to %s.", humanBytes(c.maxBytes))
	return false
}

// cutText shortens s to at most n bytes without splitting a UTF-8 sequence.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 0 {
		n = 0
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// humanBytes prints n bytes for messages: "1 MiB", "64 KiB", "100 bytes".
func humanBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
