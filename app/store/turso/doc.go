// Package turso keeps tenant databases on Turso Cloud: each tenant is a
// database named after its tenant id ("t_…" becomes "t-…": Turso names
// allow dashes, not underscores) in the group named after its region.
// Databases are created, branched, blocked (the trash) and deleted through
// the Platform API (api.go, a small net/http client with per-attempt
// timeouts and bounded retries on 429 and 5xx). A tenant's connection
// goes through go-libsql to the database's hostname with a token of that
// database only; tokens are kept in memory, renewed before they expire,
// and never printed (Secret redacts itself).
//
// The data plane is libSQL, as sqld's: connections reuse the sqld
// package's guarded connection (sqld.OpenRemote: one connection per
// handle, a deadline on every call, expired streams replaced), and Adopt
// and Snapshot reuse its replay and copy (sqld.ReplayFile,
// sqld.SnapshotFile). Clone needs neither: the provider is a
// store.Brancher, and a clone is a branch made on Turso's side. The size
// of a database in the trash, whose reads are blocked, is the storage the
// API's usage endpoint reports.
package turso
