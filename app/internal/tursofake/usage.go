package tursofake

import (
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// usage handles GET …/databases/{db}/usage: the documented shape
// {"database": {"uuid", "instances": [{"uuid", "usage"}], "total"}}, with
// one instance (the fake has no replicas). rows_read and rows_written are
// sqld's counters of the namespace (its admin stats); storage_bytes is the
// database's size, page count times page size, read from the namespace's
// files in sqld's data directory (its write-ahead log's last commit, else
// the main file's header), so that it is exact at once and also for a
// database whose reads are blocked. sqld's own stats report a size too
// (storage_bytes_used), but only after a periodic pass of tens of seconds.
func (f *Fake) usage(w http.ResponseWriter, r *http.Request, name string) {
	f.mu.Lock()
	db := f.dbs[name]
	var id string
	if db != nil {
		id = db.DbID
	}
	f.mu.Unlock()
	if db == nil {
		writeError(w, http.StatusNotFound, "database "+name+" not found")
		return
	}
	var stats struct {
		ID          string `json:"id"`
		RowsRead    int64  `json:"rows_read_count"`
		RowsWritten int64  `json:"rows_written_count"`
	}
	if err := f.adminGet(r.Context(), "/v1/namespaces/"+name+"/stats", &stats); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	size, err := databaseSize(filepath.Join(f.SQLD.Dir, "dbs", name))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	counts := map[string]int64{"rows_read": stats.RowsRead, "rows_written": stats.RowsWritten, "storage_bytes": size, "bytes_synced": 0}
	writeJSON(w, map[string]any{"database": map[string]any{
		"uuid":      id,
		"instances": []map[string]any{{"uuid": stats.ID, "usage": counts}},
		"total":     counts,
	}})
}

// databaseSize returns the size in bytes of the SQLite database whose
// files are dir/data and dir/data-wal: the page count of the last commit
// in the log (frames whose salts match the log's header), else the main
// file's, times the page size.
func databaseSize(dir string) (int64, error) {
	main, err := os.ReadFile(filepath.Join(dir, "data"))
	if err != nil {
		return 0, err
	}
	if pages, pageSize, ok := walCommitSize(filepath.Join(dir, "data-wal")); ok {
		return pages * pageSize, nil
	}
	if len(main) < 100 {
		return int64(len(main)), nil
	}
	pageSize := int64(binary.BigEndian.Uint16(main[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(main[28:32]))
	// The header's page count is valid when its change counter matches
	// "version-valid-for"; else the file's length says.
	if pages == 0 || binary.BigEndian.Uint32(main[24:28]) != binary.BigEndian.Uint32(main[92:96]) {
		pages = int64(len(main)) / pageSize
	}
	return pages * pageSize, nil
}

// walCommitSize returns the database's page count after the last commit
// in the write-ahead log at path, and the page size, if it holds one.
func walCommitSize(path string) (pages, pageSize int64, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	head := make([]byte, 32)
	if _, err := io.ReadFull(f, head); err != nil {
		return 0, 0, false
	}
	if magic := binary.BigEndian.Uint32(head); magic != 0x377f0682 && magic != 0x377f0683 {
		return 0, 0, false
	}
	pageSize = int64(binary.BigEndian.Uint32(head[8:12]))
	if pageSize < 512 || pageSize > 65536 {
		return 0, 0, false
	}
	frame := make([]byte, 24+pageSize)
	for {
		if _, err := io.ReadFull(f, frame); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return pages, pageSize, pages > 0
			}
			return 0, 0, false
		}
		if string(frame[8:16]) != string(head[16:24]) { // a frame of an earlier log
			return pages, pageSize, pages > 0
		}
		if n := binary.BigEndian.Uint32(frame[4:8]); n > 0 { // a commit
			pages = int64(n)
		}
	}
}
