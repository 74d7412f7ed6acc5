package store

import "strings"

// SplitStatements splits SQL text into single statements, because go-libsql
// silently runs only the first statement of a multi-statement Exec. It splits
// on ';' outside '...' and "..." strings (with doubled-quote escapes), `...`
// and [...] identifiers, -- line comments, /* */ comments and the
// BEGIN ... END body of CREATE TRIGGER. Comments are removed, statements are
// trimmed and have no trailing ';', and empty statements are dropped.
func SplitStatements(sqlText string) []string {
	var s splitter
	for i := 0; i < len(sqlText); {
		i = s.step(sqlText, i)
	}
	s.flushWord()
	s.finish()
	return s.out
}

// splitter is the state of SplitStatements between bytes.
type splitter struct {
	out  []string        // finished statements
	cur  strings.Builder // the statement being read, comments removed
	word strings.Builder // the keyword or identifier being read
	trig triggerState    // where the statement is in CREATE TRIGGER
}

// step consumes the token that starts at i and returns the index after it.
func (s *splitter) step(src string, i int) int {
	c := src[i]
	switch {
	case c == '-' && strings.HasPrefix(src[i:], "--"):
		s.flushWord()
		end := strings.IndexByte(src[i:], '\n')
		if end < 0 {
			return len(src)
		}
		s.cur.WriteByte('\n')
		return i + end + 1
	case c == '/' && strings.HasPrefix(src[i:], "/*"):
		s.flushWord()
		s.cur.WriteByte(' ')
		end := strings.Index(src[i+2:], "*/")
		if end < 0 {
			return len(src)
		}
		return i + 2 + end + 2
	case c == '\'' || c == '"' || c == '`':
		s.flushWord()
		return s.quoted(src, i, c)
	case c == '[':
		s.flushWord()
		return s.quoted(src, i, ']')
	case c == ';':
		s.flushWord()
		if s.trig.inBody() {
			s.cur.WriteByte(c)
			return i + 1
		}
		s.finish()
		return i + 1
	case isWordByte(c):
		s.word.WriteByte(c)
		s.cur.WriteByte(c)
		return i + 1
	}
	s.flushWord()
	s.cur.WriteByte(c)
	return i + 1
}

// quoted copies a quoted string or identifier that starts at i and ends with
// the closing byte close; a doubled closing byte is an escaped one.
func (s *splitter) quoted(src string, i int, close byte) int {
	j := i + 1
	for j < len(src) {
		if src[j] == close {
			if j+1 < len(src) && src[j+1] == close && close != ']' {
				j += 2
				continue
			}
			j++
			break
		}
		j++
	}
	s.cur.WriteString(src[i:j])
	s.trig.token()
	return j
}

// flushWord ends the current word, if any, and feeds it to the trigger state.
func (s *splitter) flushWord() {
	if s.word.Len() == 0 {
		return
	}
	s.trig.wordSeen(strings.ToUpper(s.word.String()))
	s.word.Reset()
}

// finish ends the current statement, keeping it unless it is empty.
func (s *splitter) finish() {
	if stmt := strings.TrimSpace(s.cur.String()); stmt != "" {
		s.out = append(s.out, stmt)
	}
	s.cur.Reset()
	s.trig = triggerState{}
}

// isWordByte reports whether c may be part of a keyword or identifier. Bytes
// of multi-byte UTF-8 characters count as word bytes.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '$' || c >= 0x80
}
