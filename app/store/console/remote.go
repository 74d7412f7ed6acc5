package console

import (
	"database/sql"
	"errors"
	"net/url"

	"todos/app"
	"todos/app/store/sqld"
)

// A tenant database on a libSQL server (sqld, Turso) is opened by the child
// through the sqld package's bounded connection, with the URL and token
// the parent wrote on its stdin. What keeps read-only mode read-only there
// (measured on sqld 0.24.32, see docs/engine-traps.md):
//
//   - with a read-only token (sqld JWT claim a="ro", Turso's
//     authorization=read-only), the server refuses every statement it
//     counts as a write, including most PRAGMA statements, whatever the
//     console's checks let through;
//   - without auth, nothing on the server: the session sets PRAGMA
//     query_only=1 (sqld answers "unsupported statement" to PRAGMA
//     name=value, yet SQLite has applied it while compiling it), checks it
//     took, and the console refuses PRAGMA query_only as text, since SQL
//     could switch it off again. So there the console's own checks are what
//     holds, and the admin page says so.
//
// The session's state (query_only, the transaction begun with BEGIN) lives
// in its server stream, so its connection is never re-made behind its back
// (sqld.OpenRemoteSession), and every call has its own deadline besides the
// child's time limit.

// remoteTarget is a database on a libSQL server, as the parent hands it to
// the child.
type remoteTarget struct {
	URL           string `json:"url"`
	AuthToken     string `json:"authToken,omitempty"`
	ReadOnlyToken bool   `json:"readOnlyToken,omitempty"`
}

// openRemote opens req's remote database with one connection.
func openRemote(req childRequest) (*sql.DB, error) {
	u, err := url.Parse(req.Remote.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "libsql") {
		return nil, errors.New("console: invalid remote database URL")
	}
	if tok := req.Remote.AuthToken; tok != "" {
		q := u.Query()
		q.Set("authToken", tok)
		u.RawQuery = q.Encode()
	}
	return sqld.OpenRemoteSession(u.String(), req.Timeout)
}

// setupRemote configures a remote session: trusted_schema off (the
// server's answer to it is an error, but SQLite applied it), foreign keys
// on in write mode, and query_only in read-only mode, checked when the
// token is not read-only (a read-only token may not even read a pragma).
func (s *session) setupRemote() error {
	_ = drain(s.ctx, s.conn, "PRAGMA trusted_schema=OFF")
	if s.req.Write {
		if err := drain(s.ctx, s.conn, "PRAGMA foreign_keys=ON"); err != nil {
			return app.WrapError(app.EINTERNAL, "The tenant's database could not be opened.", err)
		}
		return nil
	}
	_ = drain(s.ctx, s.conn, "PRAGMA query_only=1")
	if s.req.Remote.ReadOnlyToken {
		return nil
	}
	var on int64
	if err := s.conn.QueryRowContext(s.ctx, "PRAGMA query_only").Scan(&on); err != nil || on != 1 {
		if err == nil {
			err = errors.New("console: PRAGMA query_only did not take")
		}
		return app.WrapError(app.EINTERNAL, "The console could not make its connection read-only.", engineError(err))
	}
	return nil
}

// openError explains a connection that could not be made: the sqld
// package's errors (missing namespace, server not answering) as they are.
func openError(err error) error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	return app.WrapError(app.EINTERNAL, "The tenant's database could not be opened.", err)
}
