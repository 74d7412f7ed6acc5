// Package providertest is the contract every store.Provider keeps, as one
// suite that the tests of each provider run: the local files provider
// (app/store), a real libSQL server with and without JWT auth
// (app/store/sqld) and Turso through its fake (app/store/turso). It drives
// the provider through its public methods and, for what the product does
// with it (sign-up, todos, clone, export, import, suspend, trash and
// restore, migrations), through store.Tenants and the tenant pool. Faults
// (the server stopped or hung, the API answering 429, 500 or slowly,
// expired tokens) run where the caller says how to cause them. Only
// _test.go files import it; the product never does.
package providertest
