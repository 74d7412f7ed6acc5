package console

import "strings"

// tokenKind classifies the pieces of SQL text that matter to the console:
// where statements end and what their first keywords are. Everything else
// (numbers, operators) is a punct or word token.
type tokenKind int

const (
	tokSpace   tokenKind = iota // whitespace
	tokComment                  // -- to end of line, or /* */ (maybe unterminated)
	tokString                   // '...'
	tokQuoted                   // "...", `...` or [...]
	tokWord                     // identifier, keyword or number
	tokPunct                    // any other single character
	tokSemi                     // ;
)

// token is one piece of SQL text: text[start:end].
type token struct {
	kind       tokenKind
	start, end int
}

// isSpace reports whether c is whitespace to SQLite's tokenizer.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isWordByte reports whether c can be part of an identifier, keyword or
// number (SQLite treats every byte >= 0x80 as an identifier character).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '$' || c >= 0x80
}

// tokenize splits sql into tokens the way SQLite's tokenizer delimits
// strings, quoted identifiers and comments. An unterminated string or quoted
// identifier runs to the end of the text (SQLite then reports an error).
func tokenize(sql string) []token {
	var toks []token
	for i := 0; i < len(sql); {
		start := i
		kind := tokPunct
		c := sql[i]
		switch {
		case isSpace(c):
			kind = tokSpace
			for i < len(sql) && isSpace(sql[i]) {
				i++
			}
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			kind = tokComment
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			kind = tokComment
			if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
				i += 2 + j + 2
			} else {
				i = len(sql)
			}
		case c == '\'':
			kind, i = tokString, endQuoted(sql, i, '\'')
		case c == '"' || c == '`':
			kind, i = tokQuoted, endQuoted(sql, i, c)
		case c == '[':
			kind = tokQuoted
			if j := strings.IndexByte(sql[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == ';':
			kind, i = tokSemi, i+1
		case isWordByte(c):
			kind = tokWord
			for i < len(sql) && isWordByte(sql[i]) {
				i++
			}
		default:
			i++
		}
		toks = append(toks, token{kind: kind, start: start, end: i})
	}
	return toks
}

// endQuoted returns the index just past the quoted text opening at i, where
// a doubled quote character stands for itself.
func endQuoted(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

// unquote returns the name a word or quoted-identifier token stands for.
func unquote(s string) string {
	if len(s) >= 2 {
		switch s[0] {
		case '"', '`':
			q := s[:1]
			return strings.ReplaceAll(s[1:len(s)-1], q+q, q)
		case '[':
			return s[1 : len(s)-1]
		case '\'':
			return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
		}
	}
	return s
}
