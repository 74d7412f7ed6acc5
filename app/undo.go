package app

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// UndoWindow is how long deleted items can be brought back. Until then they
// are kept aside in the list's own database; after it they are removed for
// good.
const UndoWindow = 30 * time.Second

// Deletion is what one delete (an item, an emptied title, "clear completed")
// removed, and the token that brings it back within UndoWindow.
type Deletion struct {
	Token   string    // names the deletion for Undo; "" when nothing was removed
	Count   int       // items removed
	Title   string    // the title of the first item removed
	Expires time.Time // the end of the undo window
}

// Undoable reports whether d removed something that can still be brought
// back.
func (d Deletion) Undoable() bool { return d.Token != "" && d.Count > 0 && d.Remaining() > 0 }

// Undone is what an undo brought back.
type Undone struct {
	Count   int   // items restored
	FirstID int64 // the id of the first of them, in list order
}

// Remaining is how much of the undo window is left now (0 once it ended).
func (d Deletion) Remaining() time.Duration {
	return max(0, time.Until(d.Expires))
}

// NewUndoToken returns a random token naming one deletion.
func NewUndoToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ValidUndoToken reports whether s has the form of NewUndoToken's tokens.
func ValidUndoToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
