// Package tursofake is an in-repo fake of the Turso Platform API endpoints
// the turso provider uses (../shared/notes/turso-api.md): the same paths,
// JSON shapes, status codes and {"error": …} bodies. Its data plane is a
// real sqld (app/internal/sqldtest) started with JWT auth: a database is a
// namespace of the same name, its Hostname {name}.localhost:PORT routes to
// that namespace, and the database tokens it issues are Ed25519 JWTs
// scoped to it (claim id) that sqld checks. Tests can make it answer 429 or
// 500, answer slowly, and move its clock.
//
// A branch (a create with seed {"type": "database"}) is sqld's fork of the
// seed's namespace: whole committed transactions, taken while the seed
// keeps taking writes; as on Turso, the seed must be in the same group.
// Usage (…/databases/{db}/usage) reports the database's size from the
// namespace's files, readable while its reads are blocked.
//
// What it does not copy: real Turso hostnames ({db}-{org}.{region}.turso.io,
// TLS), groups' locations, point-in-time seeds (seed "timestamp": refused
// with 400, sqld needs a backup service for it), rotation, uploads; usage
// has one instance and no time window (from, to are ignored); and sqld
// accepts an expired token for about a minute, so token expiry is
// enforced by the fake's own Valid check, not by the data plane.
package tursofake
