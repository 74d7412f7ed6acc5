package console

// opClass is what an opcode may do, for the console's policy.
type opClass int

const (
	// opRead: control flow, registers, comparisons, arithmetic and reading
	// cursors. Allowed in both modes.
	opRead opClass = iota + 1
	// opScratch writes to the cursor in P1. Read-only mode allows it only on
	// scratch cursors (OpenEphemeral, OpenAutoindex, OpenPseudo, SorterOpen
	// and OpenDup of those), which SQLite uses for DISTINCT, ORDER BY, IN,
	// GROUP BY, CTEs and window functions.
	opScratch
	// opWrite changes the database or its schema. Write mode only.
	opWrite
	// opChecked needs a look at its operands (Transaction, functions,
	// virtual tables, MaxPgcnt, JournalMode).
	opChecked
	// opNever is refused in both modes; unknown opcodes are refused too.
	opNever
)

// opcodes classifies every opcode of the bundled engine (SQLite 3.45.1 with
// libSQL's additions: OpenVectorIdx, VPreparedSql, CreateWasmFunc,
// DropWasmFunc).
var opcodes = map[string]opClass{
	// Control flow and registers.
	"Init": opRead, "Goto": opRead, "Gosub": opRead, "Return": opRead,
	"InitCoroutine": opRead, "Yield": opRead, "EndCoroutine": opRead,
	"BeginSubrtn": opRead, "Jump": opRead, "Once": opRead, "If": opRead,
	"IfNot": opRead, "IfPos": opRead, "IfNotZero": opRead,
	"DecrJumpZero": opRead, "IsNull": opRead, "NotNull": opRead,
	"IsType": opRead, "IfNullRow": opRead, "ZeroOrNull": opRead,
	"Halt": opRead, "HaltIfNull": opRead, "Integer": opRead, "Int64": opRead,
	"Real": opRead, "String": opRead, "String8": opRead, "Null": opRead,
	"SoftNull": opRead, "Blob": opRead, "Variable": opRead, "Move": opRead,
	"Copy": opRead, "SCopy": opRead, "IntCopy": opRead, "ResultRow": opRead,
	"MustBeInt": opRead, "RealAffinity": opRead, "Cast": opRead,
	"Affinity": opRead, "TypeCheck": opRead, "MakeRecord": opRead,
	"AddImm": opRead, "MemMax": opRead, "OffsetLimit": opRead,
	"Offset": opRead, "ReleaseReg": opRead, "Noop": opRead, "Explain": opRead,
	"Trace": opRead, "Abortable": opRead, "CursorHint": opRead,
	"Expire": opRead, "ClrSubtype": opRead, "GetSubtype": opRead,
	"SetSubtype": opRead, "Filter": opRead, "FilterAdd": opRead,
	// Comparisons, logic and arithmetic.
	"Eq": opRead, "Ne": opRead, "Lt": opRead, "Le": opRead, "Gt": opRead,
	"Ge": opRead, "ElseEq": opRead, "Compare": opRead, "Permutation": opRead,
	"CollSeq": opRead, "And": opRead, "Or": opRead, "Not": opRead,
	"IsTrue": opRead, "BitAnd": opRead, "BitOr": opRead, "BitNot": opRead,
	"ShiftLeft": opRead, "ShiftRight": opRead, "Add": opRead,
	"Subtract": opRead, "Multiply": opRead, "Divide": opRead,
	"Remainder": opRead, "Concat": opRead,
	// Reading cursors.
	"OpenRead": opRead, "ReopenIdx": opRead, "OpenDup": opRead,
	"OpenEphemeral": opRead, "OpenAutoindex": opRead, "OpenPseudo": opRead,
	"SorterOpen": opRead, "Close": opRead, "ColumnsUsed": opRead,
	"Rewind": opRead, "Last": opRead, "Next": opRead, "Prev": opRead,
	"SeekLT": opRead, "SeekLE": opRead, "SeekGE": opRead, "SeekGT": opRead,
	"SeekRowid": opRead, "SeekScan": opRead, "SeekHit": opRead,
	"SeekEnd": opRead, "NotExists": opRead, "NotFound": opRead,
	"Found": opRead, "NoConflict": opRead, "IfNoHope": opRead,
	"IfNotOpen": opRead, "IfSmaller": opRead, "IdxLE": opRead,
	"IdxGT": opRead, "IdxLT": opRead, "IdxGE": opRead, "IdxRowid": opRead,
	"DeferredSeek": opRead, "FinishSeek": opRead, "Column": opRead,
	"Rowid": opRead, "RowData": opRead, "NullRow": opRead, "Count": opRead,
	"Sequence": opRead, "SequenceTest": opRead, "Sort": opRead,
	"SorterSort": opRead, "SorterNext": opRead, "SorterData": opRead,
	"SorterCompare": opRead, "RowSetAdd": opRead, "RowSetRead": opRead,
	"RowSetTest": opRead, "ReadCookie": opRead, "Pagecount": opRead,
	"IntegrityCk": opRead,
	// Virtual table reads: the cursor comes from a VOpen that was checked.
	"VFilter": opRead, "VNext": opRead, "VColumn": opRead,
	"VInitIn": opRead, "VPreparedSql": opRead,
	// Writes to the cursor in P1.
	"Insert": opScratch, "Delete": opScratch, "IdxInsert": opScratch,
	"IdxDelete": opScratch, "NewRowid": opScratch, "ResetSorter": opScratch,
	"SorterInsert": opScratch, "RowCell": opScratch,
	// Changes to the database and its schema.
	"OpenWrite": opWrite, "OpenVectorIdx": opWrite, "CreateBtree": opWrite,
	"Destroy": opWrite, "Clear": opWrite, "DropTable": opWrite,
	"DropIndex": opWrite, "DropTrigger": opWrite, "ParseSchema": opWrite,
	"SqlExec": opWrite, "SetCookie": opWrite, "LoadAnalysis": opWrite,
	"Program": opWrite, "Param": opWrite, "FkCounter": opWrite,
	"FkIfZero": opWrite, "FkCheck": opWrite, "ResetCount": opWrite,
	"TableLock": opWrite, "CursorLock": opWrite, "CursorUnlock": opWrite,
	// Looked at one by one.
	"Transaction": opChecked, "MaxPgcnt": opChecked, "Function": opChecked,
	"PureFunc": opChecked, "AggStep": opChecked, "AggStep1": opChecked,
	"AggInverse": opChecked, "AggValue": opChecked, "AggFinal": opChecked,
	"VOpen": opChecked, "JournalMode": opChecked,
	// Never: transaction control, files and journals, virtual table
	// changes, WebAssembly functions.
	"AutoCommit": opNever, "Savepoint": opNever, "Checkpoint": opNever,
	"Vacuum": opNever, "IncrVacuum": opNever,
	"VBegin": opNever, "VCreate": opNever, "VDestroy": opNever,
	"VUpdate": opNever, "VRename": opNever, "VCheck": opNever,
	"CreateWasmFunc": opNever, "DropWasmFunc": opNever,
}

// scratchOpeners open cursors on temporary, in-memory structures.
var scratchOpeners = setOf("OpenEphemeral", "OpenAutoindex", "OpenPseudo", "SorterOpen")
