// Command serve answers the engine's JSON protocol, for practice-management
// systems in any language (README.md beside this file describes it):
//
//	go run ./examples/serve -stdio               # JSON Lines on standard input and output
//	go run ./examples/serve -http 127.0.0.1:8080 # POST /v1/<operation>, GET /healthz
//	GOOS=wasip1 GOARCH=wasm go build -o serve.wasm ./examples/serve
//	                                             # a WebAssembly module: -stdio under any WASI runtime
//
// Without -stdio it serves HTTP (the WebAssembly build always speaks
// -stdio). Every answer is the same bytes whichever way it goes: one
// function of the protocol makes them, and the transports only frame
// them.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vetplan/healthplan/internal/protocol"
)

// options are the command's flags.
type options struct {
	stdio      bool
	addr       string
	maxRequest int64
	termsCache int
	// The HTTP server's timeouts.
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout, shutdownTimeout time.Duration
	logLevel                                                                   slog.Level
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.stdio, "stdio", stdioOnly, "answer JSON Lines on standard input on standard output, in order")
	fs.StringVar(&o.addr, "http", "127.0.0.1:8080", "serve HTTP on this address")
	fs.Int64Var(&o.maxRequest, "max-request", 1<<20, "the largest request accepted, in bytes")
	fs.IntVar(&o.termsCache, "terms-cache", protocol.DefaultTermsCache, "how many terms documents to hold for requests that name them")
	fs.DurationVar(&o.readHeaderTimeout, "read-header-timeout", 5*time.Second, "HTTP: time to read a request's headers")
	fs.DurationVar(&o.readTimeout, "read-timeout", 10*time.Second, "HTTP: time to read a whole request")
	fs.DurationVar(&o.writeTimeout, "write-timeout", 20*time.Second, "HTTP: time from a request's headers to the end of its response")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", 60*time.Second, "HTTP: how long an idle keep-alive connection stays open")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 20*time.Second, "HTTP: how long requests in flight may take to finish after SIGTERM")
	fs.TextVar(&o.logLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if o.maxRequest < 1 {
		fmt.Fprintln(stderr, "serve: -max-request must be at least 1")
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: o.logLevel}))
	engine := protocol.New(protocol.Options{TermsCache: o.termsCache})
	engine.OnPanic(func(v any, stack []byte) {
		log.Error("engine fault", "panic", fmt.Sprint(v), "stack", string(stack))
	})
	if o.stdio {
		if err := serveLines(stdin, stdout, engine, o.maxRequest); err != nil {
			fmt.Fprintln(stderr, "serve:", err)
			return 1
		}
		return 0
	}
	if err := serveHTTP(o, engine, log); err != nil {
		log.Error("serve", "err", err.Error())
		return 1
	}
	return 0
}

// serveLines answers requests, one per line of in, with one response per
// line of out, in order. Blank lines are skipped; a line longer than max
// bytes is answered tooLarge without being read into memory. Responses
// are flushed whenever no further request is waiting, so that a client
// sending one request at a time gets each answer at once.
func serveLines(in io.Reader, out io.Writer, e *protocol.Engine, max int64) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriterSize(out, 64<<10)
	var line []byte
	for {
		line = line[:0]
		tooLarge := false
		var err error
		for {
			chunk, rerr := r.ReadSlice('\n')
			if !tooLarge && int64(len(line)+len(chunk)) > max+1 {
				tooLarge, line = true, line[:0]
			}
			if !tooLarge {
				line = append(line, chunk...)
			}
			if rerr != bufio.ErrBufferFull {
				err = rerr
				break
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		req := bytes.TrimRight(line, "\r\n")
		switch {
		case tooLarge:
			w.Write(protocol.Refuse(protocol.CodeTooLarge, fmt.Sprintf("the request is larger than %d bytes", max)).Body)
		case len(bytes.TrimSpace(req)) > 0:
			w.Write(e.Handle(req))
		}
		if err == io.EOF {
			break
		}
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil && !errors.Is(err, os.ErrClosed) {
		return err
	}
	return nil
}
