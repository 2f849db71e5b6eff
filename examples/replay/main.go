// Command replay replays a scenario document and prints one JSON result
// per event, one per line:
//
//	go run ./examples/replay FILE
//	go run ./examples/replay - < FILE
//
// A scenario whose catalog, plans or subscriptions are invalid is not
// replayed: every problem is printed to standard error, each with its JSON
// path, and the exit status is 1. Malformed JSON also exits 1, with the
// line and column. A refused event is reported in its own result and the
// replay goes on. See README.md beside this file for the format.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/vetplan/healthplan/internal/scenario"
)

// maxInput bounds how much of a scenario is read.
const maxInput = 64 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: replay FILE   (- reads standard input)")
		return 2
	}
	var (
		data []byte
		err  error
	)
	if args[0] == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, maxInput+1))
	} else {
		var f *os.File
		if f, err = os.Open(args[0]); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, maxInput+1))
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "replay:", err)
		return 1
	}
	if len(data) > maxInput {
		fmt.Fprintf(stderr, "replay: the scenario is larger than %d bytes\n", maxInput)
		return 1
	}
	s, err := scenario.Parse(data)
	if err != nil {
		for _, m := range scenario.Messages(err) {
			fmt.Fprintln(stderr, m)
		}
		return 1
	}
	w := bufio.NewWriter(stdout)
	if err := scenario.Write(w, s.Replay()); err != nil {
		fmt.Fprintln(stderr, "replay:", err)
		return 1
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "replay:", err)
		return 1
	}
	return 0
}
