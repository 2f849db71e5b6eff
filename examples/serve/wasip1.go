//go:build wasip1

package main

import (
	"errors"
	"log/slog"

	"github.com/vetplan/healthplan/internal/protocol"
)

// The WebAssembly build has no sockets: it speaks -stdio.
const stdioOnly = true

func serveHTTP(options, *protocol.Engine, *slog.Logger) error {
	return errors.New("the WebAssembly build serves -stdio only")
}
