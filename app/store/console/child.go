package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"todos/app"
)

// childRequest is what the parent writes on the child's stdin.
type childRequest struct {
	Path      string        `json:"path"`
	Remote    *remoteTarget `json:"remote,omitempty"` // instead of Path
	SQL       string        `json:"sql"`
	Write     bool          `json:"write"`
	MaxRows   int           `json:"maxRows"`
	MaxBytes  int           `json:"maxBytes"`
	Timeout   time.Duration `json:"timeout"`
	MaxMemory int64         `json:"maxMemory"` // address space cap, 0 for none
}

// childResponse is what the child writes on its stdout: a result or an
// error.
type childResponse struct {
	Result *app.ConsoleResult `json:"result,omitempty"`
	Error  *childError        `json:"error,omitempty"`
}

// childError carries an *app.Error across the process boundary. Detail is
// the cause, for logs only.
type childError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Detail  string `json:"detail,omitempty"`
}

// maxRequestBytes bounds what the child reads from stdin.
const maxRequestBytes = 4 << 20

// childGrace is how long after its time limit a child exits by itself, in
// case its parent died and cannot kill it.
const childGrace = 2 * time.Second

// ChildMain is the body of the hidden "__console" command: it reads one
// JSON request from stdin, runs it against the tenant's database and writes
// one JSON response to stdout. It returns the process exit code: 0 when a
// response (a result or a refusal or SQL error) was written.
func ChildMain(stdin io.Reader, stdout io.Writer) int {
	var req childRequest
	if err := json.NewDecoder(io.LimitReader(stdin, maxRequestBytes)).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "console: bad request:", err)
		return 2
	}
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	if err := limitProcess(req.MaxMemory, req.Timeout+childGrace); err != nil {
		fmt.Fprintln(os.Stderr, "console: limits:", err)
	}
	go func() {
		time.Sleep(req.Timeout + childGrace)
		fmt.Fprintln(os.Stderr, "console: time limit passed, exiting")
		os.Exit(3)
	}()

	var resp childResponse
	res, err := execute(context.Background(), req)
	if err != nil {
		resp.Error = &childError{Code: app.ErrorCode(err), Message: app.ErrorMessage(err)}
		if resp.Error.Code == app.EINTERNAL {
			resp.Error.Detail = err.Error()
		}
		if r := req.Remote; r != nil && r.AuthToken != "" { // never in a page or a log
			resp.Error.Message = strings.ReplaceAll(resp.Error.Message, r.AuthToken, "…")
			resp.Error.Detail = strings.ReplaceAll(resp.Error.Detail, r.AuthToken, "…")
		}
	} else {
		resp.Result = res
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		fmt.Fprintln(os.Stderr, "console: write response:", err)
		return 1
	}
	return 0
}
