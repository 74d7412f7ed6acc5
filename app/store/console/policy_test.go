package console

import (
	"strings"
	"testing"
)

// fakeVtabs names virtual tables for policy unit tests.
type fakeVtabs map[string]vtabEntry

func (f fakeVtabs) vtab(p4 string) (string, bool) { return f[p4].name, f[p4].allowed }

// TestCheckerUnits checks the policy on hand-made listings.
func TestCheckerUnits(t *testing.T) {
	vt := fakeVtabs{"vtab:1": {"json_each", true}, "vtab:2": {"fsdir", false}}
	tests := []struct {
		name    string
		listing []op
		read    string // refusal in read-only mode, "" when allowed
		write   string // refusal in write mode
	}{
		{"read", []op{{Opcode: "Init"}, {Addr: 1, Opcode: "OpenRead", P1: 0}, {Addr: 2, Opcode: "Transaction"}}, "", ""},
		{"write transaction", []op{{Opcode: "Transaction", P2: 1}}, msgWrite, ""},
		{"temp write", []op{{Opcode: "Transaction", P1: 1, P2: 1}}, msgWrite, ""},
		{"attached write", []op{{Opcode: "Transaction", P1: 2, P2: 1}}, msgWrite, msgOtherDB},
		{"scratch insert", []op{{Opcode: "OpenEphemeral", P1: 3}, {Addr: 1, Opcode: "IdxInsert", P1: 3}}, "", ""},
		{"dup scratch insert", []op{{Opcode: "OpenEphemeral", P1: 3}, {Addr: 1, Opcode: "OpenDup", P1: 4, P2: 3}, {Addr: 2, Opcode: "Insert", P1: 4}}, "", ""},
		{"table insert", []op{{Opcode: "OpenRead", P1: 3}, {Addr: 1, Opcode: "Insert", P1: 3}}, msgWrite, ""},
		{"open write", []op{{Opcode: "OpenWrite"}}, msgWrite, ""},
		{"named wins", []op{{Opcode: "OpenWrite"}, {Addr: 1, Opcode: "Vacuum"}}, msgVacuum, msgVacuum},
		{"vacuum into", []op{{Opcode: "Vacuum", P2: 1}}, msgVacuumInto, msgVacuumInto},
		{"attach", []op{{Opcode: "Function", P4: "sqlite_attach(3)"}}, msgAttach, msgAttach},
		{"detach", []op{{Opcode: "Function", P4: "sqlite_detach(1)"}}, msgDetach, msgDetach},
		{"allowed function", []op{{Opcode: "PureFunc", P4: "substr(3)"}, {Addr: 1, Opcode: "AggStep", P4: "count(0)"}}, "", ""},
		{"denied function", []op{{Opcode: "Function", P4: "readfile(1)"}}, "readfile() is not allowed", "readfile() is not allowed"},
		{"unknown function", []op{{Opcode: "Function", P4: "mystery(1)"}}, "mystery() is not allowed", "mystery() is not allowed"},
		{"alter function", []op{{Opcode: "Function", P4: "sqlite_rename_column(9)"}}, msgWrite, ""},
		{"json_each", []op{{Opcode: "VOpen", P4: "vtab:1"}}, "", ""},
		{"fsdir", []op{{Opcode: "VOpen", P4: "vtab:2"}}, "fsdir is not allowed", "fsdir is not allowed"},
		{"unknown vtab", []op{{Opcode: "VOpen", P4: "vtab:3"}}, "This virtual table", "This virtual table"},
		{"vtab update", []op{{Opcode: "VUpdate"}}, msgVtabChange, msgVtabChange},
		{"journal query", []op{{Opcode: "JournalMode", P3: -1}}, msgWrite, ""},
		{"journal change", []op{{Opcode: "JournalMode", P3: 0}}, msgJournal, msgJournal},
		{"checkpoint", []op{{Opcode: "Checkpoint"}}, msgCheckpoint, msgCheckpoint},
		{"begin", []op{{Opcode: "AutoCommit"}}, msgTransaction, msgTransaction},
		{"wasm", []op{{Opcode: "CreateWasmFunc"}}, msgWasm, msgWasm},
		{"page limit", []op{{Opcode: "MaxPgcnt", P3: 5}}, msgPageLimit, msgPageLimit},
		{"unknown opcode", []op{{Opcode: "Teleport"}}, "(Teleport)", "(Teleport)"},
		{"trigger program", []op{{Opcode: "Program"}, {Opcode: "Init"}, {Addr: 1, Opcode: "Function", P4: "writefile(2)"}}, "writefile() is not allowed", "writefile() is not allowed"},
	}
	for _, tc := range tests {
		for _, write := range []bool{false, true} {
			want := tc.read
			if write {
				want = tc.write
			}
			c := checker{write: write, vtabs: vt}
			err := c.check(tc.listing)
			switch {
			case want == "" && err != nil:
				t.Errorf("%s (write=%v): %v", tc.name, write, err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("%s (write=%v): %v, want %q", tc.name, write, err, want)
			}
		}
	}
}

// TestOpcodeTable checks that no opcode is in two places and that the
// scratch openers are readable.
func TestOpcodeTable(t *testing.T) {
	for name := range scratchOpeners {
		if opcodes[name] != opRead {
			t.Errorf("%s opens a scratch cursor but is not opRead", name)
		}
	}
	if len(opcodes) != 194 {
		t.Errorf("%d opcodes classified; the bundled engine has 194 (its opcode name table)", len(opcodes))
	}
}
