package console

import (
	"errors"

	"todos/app"
	"todos/app/store"
)

// checkStored checks, inside write mode's transaction and after the
// statement ran, that the database holds only values the app can read
// (store.CheckValues): text that is valid UTF-8 everywhere, and the
// declared type in every column of the app's own tables. A statement that
// breaks this is rolled back, since the app would otherwise read its
// values, and go-libsql aborts the whole server on text that is not UTF-8.
func (s *session) checkStored() error {
	err := store.CheckValues(s.ctx, s.conn)
	var ve *store.ValueError
	switch {
	case errors.As(err, &ve):
		return app.WrapError(app.EINVALID, "Nothing was changed: this statement would store a value TODOs cannot read ("+
			clip(ve.Error(), 300)+"). Text must be valid UTF-8, and each column of TODOs' own tables must hold its declared type.", err)
	case err != nil:
		return app.WrapError(app.EINTERNAL, "Nothing was changed: the values the statement stored could not be checked.", err)
	}
	return nil
}
