package store

// triggerState follows the words of one statement to tell whether a ';' is
// inside the BEGIN ... END body of a CREATE TRIGGER statement. CASE ... END
// expressions inside the body are counted so that their END does not end it.
type triggerState struct {
	tokens    int  // words and quoted tokens seen so far
	create    bool // the statement starts with CREATE
	isTrigger bool // CREATE [TEMP|TEMPORARY] TRIGGER
	body      bool // BEGIN seen
	ended     bool // the END that closes the body seen
	cases     int  // open CASE expressions in the body
}

// token counts a token that is not a word (a quoted string or identifier).
func (t *triggerState) token() { t.tokens++ }

// wordSeen feeds one upper-cased word of the statement.
func (t *triggerState) wordSeen(w string) {
	t.tokens++
	if t.tokens <= 3 && !t.isTrigger {
		switch {
		case t.tokens == 1:
			t.create = w == "CREATE"
		case !t.create:
		case w == "TRIGGER":
			t.isTrigger = true
		case t.tokens == 2 && (w == "TEMP" || w == "TEMPORARY"):
		default:
			t.create = false
		}
		return
	}
	if !t.isTrigger || t.ended {
		return
	}
	switch {
	case !t.body:
		t.body = w == "BEGIN"
	case w == "CASE":
		t.cases++
	case w == "END" && t.cases > 0:
		t.cases--
	case w == "END":
		t.ended = true
	}
}

// inBody reports whether a ';' seen now belongs to a trigger body.
func (t *triggerState) inBody() bool { return t.isTrigger && t.body && !t.ended }
