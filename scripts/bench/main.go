// Command bench is the load benchmark of the TODOs product: it seeds data,
// starts the product (bin/todos) and two comparison servers as child
// processes, drives HTTP load at each in turn and reports throughput and
// latency as Markdown.
//
// Usage (from the repository root; scripts/bench.sh builds and runs it):
//
//	bench run [flags]                        run every case; -smoke for a tiny run
//	bench serve-floor --addr A --data DIR    the bare per-tenant floor server
//	bench serve-shared --addr A --data DIR   the shared-database server
//
// See docs/benchmarks.md, "Under load: the product against its floor".
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run":
		os.Exit(runBench(os.Args[2:]))
	case "serve-floor":
		err = runServeFloor(os.Args[2:])
	case "serve-shared":
		err = runServeShared(os.Args[2:])
	case "help", "-h", "-help", "--help":
		usage()
		return
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// usage prints the commands.
func usage() {
	fmt.Fprint(os.Stderr, `usage:
  bench run [flags]                        load benchmark of every case (bench run -h for flags)
  bench serve-floor --addr A --data DIR    serve the bare per-tenant floor [--max-open N]
  bench serve-shared --addr A --data DIR   serve the shared-database design
`)
}
