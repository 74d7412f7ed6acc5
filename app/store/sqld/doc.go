// Package sqld keeps tenant databases on a libSQL server (sqld): each
// tenant is a namespace named after its tenant id. Namespaces are created,
// deleted and blocked (the trash) through the server's admin API; a
// tenant's connection goes through go-libsql to http://{ns}.{host}:{port},
// because sqld takes the namespace from the first label of the Host header.
//
// The server has hazards, measured in ../shared/notes/engine.md, that this
// package designs around:
//   - three or more concurrent writers can hang a namespace: a handle has
//     exactly one connection, and the pool keeps one handle per tenant;
//   - sqld expires a stream idle for ~10 s (STREAM_EXPIRED): an idle
//     connection is closed after IdleConnTimeout, and a statement that
//     meets an expired stream anyway is retried once on a new one;
//   - go-libsql ignores contexts and waits forever on a server that stops
//     answering: every call has its own deadline (CallTimeout) and fails
//     with EUNAVAILABLE when it passes;
//   - sqld cancels a statement whose client stops reading its streamed
//     result, and SQLite then rolls back the whole transaction if the
//     statement wrote: every result is read to its end before it is
//     closed (a QueryRow of an INSERT … RETURNING reads one row);
//   - a namespace evicted from the server's memory can answer 404 for a
//     moment: such an answer is retried once before it counts;
//   - with Config.AuthKeyFile (the server checks JWTs), every connection
//     opens its own native database with a fresh 10-minute token for its
//     namespace alone (claim "id"), is replaced at half that age, and is
//     re-made once with a new token when the server refuses one (401); a
//     scoped token still reads other namespaces through replica sync, so
//     tenant databases are never opened as embedded replicas (auth.go);
//   - connection and namespace limits are the server's flags
//     (--max-concurrent-connections, --max-active-namespaces): size them
//     above the pool (see the README).
package sqld
