package console

import (
	"strings"

	"todos/app"
)

// Messages of refusals shown to the admin.
const (
	msgWrite       = "Read-only mode: this statement would write to the database."
	msgAttach      = "ATTACH is not allowed in the console."
	msgDetach      = "DETACH is not allowed in the console."
	msgVacuum      = "VACUUM is not allowed in the console."
	msgVacuumInto  = "VACUUM INTO is not allowed in the console."
	msgTransaction = "BEGIN, COMMIT, ROLLBACK and SAVEPOINT are not allowed: write mode runs each statement in a transaction of its own."
	msgJournal     = "Changing the journal mode is not allowed in the console."
	msgCheckpoint  = "Checkpoints are not allowed in the console."
	msgVtabChange  = "Creating, changing or dropping virtual tables is not allowed in the console."
	msgWasm        = "User-defined functions are not allowed in the console."
	msgOtherDB     = "Write mode changes the tenant's database only."
	msgPageLimit   = "Changing the page limit is not allowed in the console."
)

// op is one VDBE instruction as EXPLAIN lists it (P5 and the comment
// are not needed; P4 is read only where needsP4).
type op struct {
	Addr       int64
	Opcode     string
	P1, P2, P3 int64
	P4         string
}

// vtabNamer tells which virtual table a VOpen's P4 ("vtab:ADDR") opens,
// "" when unknown, and whether the console allows reading it.
type vtabNamer interface {
	vtab(p4 string) (name string, allowed bool)
}

// checker vets the programs of a statement for one mode.
type checker struct {
	write bool
	vtabs vtabNamer
}

// refusal is why an instruction is refused. A generic refusal is the plain
// "this statement would write" of read-only mode.
type refusal struct {
	msg     string
	generic bool
}

// refuse returns a specific refusal.
func refuse(msg string) *refusal { return &refusal{msg: msg} }

// writeRefusal is the refusal of a write in read-only mode.
var writeRefusal = &refusal{msg: msgWrite, generic: true}

// check returns nil when every instruction of listing is allowed, or the
// EFORBIDDEN error to show. listing is EXPLAIN's output: the main program
// followed by trigger programs, each starting again at address 0. A refusal
// that names what is refused wins over the generic one.
func (c *checker) check(listing []op) error {
	var first *refusal
	for _, prog := range splitPrograms(listing) {
		scratch := scratchCursors(prog)
		for _, o := range prog {
			r := c.checkOp(o, scratch)
			if r != nil && (first == nil || first.generic && !r.generic) {
				first = r
			}
		}
	}
	if first == nil {
		return nil
	}
	return forbidden(first.msg)
}

// checkOp vets one instruction.
func (c *checker) checkOp(o op, scratch map[int64]bool) *refusal {
	switch opcodes[o.Opcode] {
	case opRead:
		return nil
	case opScratch:
		if c.write || scratch[o.P1] {
			return nil
		}
		return writeRefusal
	case opWrite:
		if c.write {
			return nil
		}
		return writeRefusal
	case opChecked:
		return c.checkSpecial(o)
	case opNever:
		return refuse(neverMessage(o))
	}
	return refuse("This statement uses an operation the console does not allow (" + o.Opcode + ").")
}

// checkSpecial vets the instructions whose operands decide.
func (c *checker) checkSpecial(o op) *refusal {
	switch o.Opcode {
	case "Transaction":
		switch {
		case o.P2 == 0:
			return nil
		case !c.write:
			return writeRefusal
		case o.P1 > 1: // an attached database: ATTACH is refused anyway
			return refuse(msgOtherDB)
		}
		return nil
	case "MaxPgcnt":
		if o.P3 == 0 {
			return nil
		}
		return refuse(msgPageLimit)
	case "JournalMode":
		// SQLite adds a JournalMode that only queries the mode (P3 = -1) to
		// mark no-op schema changes ("CREATE TABLE IF NOT EXISTS" an existing
		// table) as writes.
		switch {
		case o.P3 != -1:
			return refuse(msgJournal)
		case c.write:
			return nil
		}
		return writeRefusal
	case "VOpen":
		return c.checkVtab(o)
	}
	return c.checkFunction(functionName(o.P4))
}

// checkFunction vets a call of the SQL function name.
func (c *checker) checkFunction(name string) *refusal {
	switch {
	case allowedFunctions[name]:
		return nil
	case name == "sqlite_attach":
		return refuse(msgAttach)
	case name == "sqlite_detach":
		return refuse(msgDetach)
	case internalWriteFunctions[name] && c.write:
		return nil
	case internalWriteFunctions[name]:
		return writeRefusal
	case deniedFunctions[name] != "":
		return refuse("The function " + name + "() is not allowed. " + deniedFunctions[name])
	}
	return refuse("The function " + name + "() is not allowed in the console.")
}

// checkVtab vets a VOpen: only the virtual tables on the console's
// allowlist may be read.
func (c *checker) checkVtab(o op) *refusal {
	if c.vtabs == nil {
		return refuse("Virtual tables are not allowed in the console.")
	}
	name, ok := c.vtabs.vtab(o.P4)
	switch {
	case ok:
		return nil
	case name == "":
		return refuse("This virtual table is not allowed in the console.")
	}
	return refuse("The table " + name + " is not allowed in the console.")
}

// neverMessage explains the refusal of an opNever instruction.
func neverMessage(o op) string {
	switch o.Opcode {
	case "AutoCommit", "Savepoint":
		return msgTransaction
	case "Vacuum":
		if o.P2 != 0 {
			return msgVacuumInto
		}
		return msgVacuum
	case "IncrVacuum":
		return msgVacuum
	case "Checkpoint":
		return msgCheckpoint
	case "CreateWasmFunc", "DropWasmFunc":
		return msgWasm
	}
	return msgVtabChange
}

// forbidden returns an EFORBIDDEN error with message msg.
func forbidden(msg string) error { return &app.Error{Code: app.EFORBIDDEN, Message: msg} }

// functionName returns the name in a function's P4, "name(nargs)".
func functionName(p4 string) string {
	if i := strings.LastIndexByte(p4, '('); i > 0 {
		return p4[:i]
	}
	return p4
}

// splitPrograms splits an EXPLAIN listing where addresses start again at 0.
func splitPrograms(listing []op) [][]op {
	var progs [][]op
	start := 0
	for i := 1; i <= len(listing); i++ {
		if i == len(listing) || listing[i].Addr == 0 {
			progs = append(progs, listing[start:i])
			start = i
		}
	}
	return progs
}

// scratchCursors returns the cursors of prog that are opened on temporary
// structures, including duplicates of those (OpenDup).
func scratchCursors(prog []op) map[int64]bool {
	scratch := map[int64]bool{}
	for _, o := range prog {
		if scratchOpeners[o.Opcode] {
			scratch[o.P1] = true
		}
	}
	for _, o := range prog {
		if o.Opcode == "OpenDup" && scratch[o.P2] {
			scratch[o.P1] = true
		}
	}
	return scratch
}

// resultColumns returns the number of columns the main program of listing
// returns, 0 when it returns no rows.
func resultColumns(listing []op) int {
	progs := splitPrograms(listing)
	if len(progs) == 0 {
		return 0
	}
	n := 0
	for _, o := range progs[0] {
		if o.Opcode == "ResultRow" && int(o.P2) > n {
			n = int(o.P2)
		}
	}
	return n
}

// writes reports whether the main program of listing opens a write
// transaction.
func writes(listing []op) bool {
	for _, o := range listing {
		if o.Opcode == "Transaction" && o.P2 != 0 {
			return true
		}
	}
	return false
}
