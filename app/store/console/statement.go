package console

import (
	"strings"

	"todos/app"
)

// maxSQL is the longest statement the console accepts.
const maxSQL = 1 << 20

// statement is one SQL statement as typed, without the comments around it
// and its final semicolon, with its significant tokens (no whitespace or
// comments) for looking at its first keywords.
type statement struct {
	text string
	toks []token // offsets into text
}

// parseStatement returns the single statement in sql. No statement, or more
// than one, is an EINVALID error.
func parseStatement(sql string) (statement, error) {
	switch {
	case len(sql) > maxSQL:
		return statement{}, app.Errorf(app.EINVALID, "The statement is too long.")
	case strings.IndexByte(sql, 0) >= 0:
		// The engine gets C strings and would see only the text before it.
		return statement{}, app.Errorf(app.EINVALID, "The statement contains a NUL character.")
	}
	stmts := splitStatements(sql)
	switch {
	case len(stmts) == 0:
		return statement{}, app.Errorf(app.EINVALID, "Type a SQL statement to run.")
	case len(stmts) > 1:
		return statement{}, app.Errorf(app.EINVALID, "Run one statement at a time.")
	}
	return stmts[0], nil
}

// splitStatements splits sql at the semicolons that end statements, keeping
// the semicolons inside a CREATE TRIGGER body, and drops empty statements.
func splitStatements(sql string) []statement {
	var (
		stmts []statement
		cur   []token
		trig  triggerState
	)
	flush := func() {
		if len(cur) > 0 {
			start, end := cur[0].start, cur[len(cur)-1].end
			s := statement{text: sql[start:end]}
			for _, t := range cur {
				s.toks = append(s.toks, token{kind: t.kind, start: t.start - start, end: t.end - start})
			}
			stmts = append(stmts, s)
		}
		cur, trig = nil, triggerState{}
	}
	for _, t := range tokenize(sql) {
		switch t.kind {
		case tokSpace, tokComment:
			continue
		case tokSemi:
			if !trig.inBody() {
				flush()
				continue
			}
		}
		if t.kind == tokWord {
			trig.see(strings.ToUpper(sql[t.start:t.end]), len(cur))
		}
		cur = append(cur, t)
	}
	flush()
	return stmts
}

// triggerState follows "CREATE [TEMP] TRIGGER ... BEGIN ... END" so that the
// semicolons of the trigger body do not end the statement. CASE ... END
// pairs inside the body are counted so their END does not end the body.
type triggerState struct {
	prefix  int  // significant words matched of [EXPLAIN [QUERY PLAN]] CREATE [TEMP] TRIGGER
	trigger bool // the statement creates a trigger
	body    bool // inside BEGIN ... END
	ended   bool // the body's END was seen
	cases   int  // open CASE expressions in the body
}

// see notes the keyword w at significant token index i of the statement.
func (s *triggerState) see(w string, i int) {
	if !s.trigger {
		if i != s.prefix {
			return
		}
		switch {
		case w == "EXPLAIN" || w == "QUERY" || w == "PLAN" || w == "CREATE" || w == "TEMP" || w == "TEMPORARY":
			s.prefix++
		case w == "TRIGGER":
			s.trigger = true
		}
		return
	}
	switch {
	case !s.body:
		s.body = w == "BEGIN"
	case s.ended:
	case w == "CASE":
		s.cases++
	case w == "END" && s.cases > 0:
		s.cases--
	case w == "END":
		s.ended = true
	}
}

// inBody reports whether a semicolon now belongs to a trigger body.
func (s *triggerState) inBody() bool { return s.trigger && s.body && !s.ended }

// word returns the i-th significant token upper-cased if it is a bare word,
// or "" when there is no such word.
func (s statement) word(i int) string {
	if i < 0 || i >= len(s.toks) || s.toks[i].kind != tokWord {
		return ""
	}
	return strings.ToUpper(s.tok(i))
}

// tok returns the text of the i-th significant token.
func (s statement) tok(i int) string { return s.text[s.toks[i].start:s.toks[i].end] }

// explained returns the statement an EXPLAIN or EXPLAIN QUERY PLAN statement
// explains, and whether s is one.
func (s statement) explained() (statement, bool) {
	if s.word(0) != "EXPLAIN" {
		return s, false
	}
	n := 1
	if s.word(1) == "QUERY" && s.word(2) == "PLAN" {
		n = 3
	}
	if n >= len(s.toks) {
		return statement{}, true
	}
	off := s.toks[n].start
	inner := statement{text: s.text[off:]}
	for _, t := range s.toks[n:] {
		inner.toks = append(inner.toks, token{kind: t.kind, start: t.start - off, end: t.end - off})
	}
	return inner, true
}

// isQuery reports whether s is a SELECT, VALUES or WITH statement: one
// that may be read through a wrapping SELECT. (A WITH statement may also be
// an INSERT, UPDATE or DELETE; wrapping then fails to compile.)
func (s statement) isQuery() bool {
	switch s.word(0) {
	case "SELECT", "VALUES", "WITH":
		return true
	}
	return false
}
