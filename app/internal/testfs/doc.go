// Package testfs holds file-system helpers shared by the tests of several
// packages: a small tmpfs that can be filled to make a disk full, a check
// of a tree's permissions and a copy of database files without their
// companions. Only _test.go files import it; the product never does.
package testfs
