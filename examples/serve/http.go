//go:build !wasip1

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vetplan/healthplan/internal/protocol"
)

// Without -stdio the command serves HTTP.
const stdioOnly = false

// serveHTTP serves until SIGTERM or SIGINT, then stops taking connections
// and lets the requests in flight finish.
func serveHTTP(o options, e *protocol.Engine, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := newServer(o, e, log)
	log.Info("listening", "addr", ln.Addr().String(), "maxRequest", o.maxRequest, "termsCache", o.termsCache)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", o.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func newServer(o options, e *protocol.Engine, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              o.addr,
		Handler:           newHandler(e, o.maxRequest, log),
		ReadHeaderTimeout: o.readHeaderTimeout,
		ReadTimeout:       o.readTimeout,
		WriteTimeout:      o.writeTimeout,
		IdleTimeout:       o.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// handler serves POST /v1/<operation> and GET /healthz. It holds nothing
// but the engine (whose only state is its terms cache), so it is safe for
// any number of concurrent requests.
type handler struct {
	e   *protocol.Engine
	max int64
	log *slog.Logger
}

func newHandler(e *protocol.Engine, max int64, log *slog.Logger) http.Handler {
	return &handler{e: e, max: max, log: log}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	resp, read := h.answer(w, r)
	var body []byte
	switch {
	case resp.Body == nil: // the health check
		body = []byte("{\"status\":\"ok\"}\n")
		w.Header().Set("Content-Type", "application/json")
	case resp.Err == nil:
		body = resp.Body
		w.Header().Set("Content-Type", "application/json")
	default:
		body = resp.Problem()
		w.Header().Set("Content-Type", "application/problem+json")
		if resp.Err.Code == protocol.CodeMethodNotAllowed {
			w.Header().Set("Allow", allowed(r.URL.Path))
		}
		if resp.Err.Code == protocol.CodeTooLarge || resp.Err.Code == protocol.CodeTimeout {
			w.Header().Set("Connection", "close") // the rest of the body is not read
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	status := resp.Status()
	w.WriteHeader(status)
	_, werr := w.Write(body)
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
		slog.Int64("in", read), slog.Int("out", len(body)), slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	}
	if resp.Op != "" {
		attrs = append(attrs, slog.String("op", resp.Op))
	}
	if resp.Err != nil {
		attrs = append(attrs, slog.String("code", resp.Err.Code))
	}
	if werr != nil {
		attrs = append(attrs, slog.String("writeError", werr.Error()))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	h.log.LogAttrs(r.Context(), level, "request", attrs...)
}

func allowed(path string) string {
	if path == "/healthz" {
		return "GET, HEAD"
	}
	return "POST"
}

// answer is the response to r (a zero Body for the health check) and how
// many bytes of its body were read.
func (h *handler) answer(w http.ResponseWriter, r *http.Request) (protocol.Response, int64) {
	if r.URL.Path == "/healthz" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return protocol.Refuse(protocol.CodeMethodNotAllowed, fmt.Sprintf("%s is not allowed on /healthz; use GET", r.Method)), 0
		}
		return protocol.Response{}, 0
	}
	op, ok := strings.CutPrefix(r.URL.Path, "/v1/")
	if !ok || op == "" || strings.Contains(op, "/") {
		return protocol.Refuse(protocol.CodeNotFound, fmt.Sprintf("no such resource %q; the operations are POST /v1/<operation>, and GET /healthz", r.URL.Path)), 0
	}
	if r.Method != http.MethodPost {
		return protocol.Refuse(protocol.CodeMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s; use POST", r.Method, r.URL.Path)), 0
	}
	if reason := checkContentType(r.Header.Get("Content-Type")); reason != "" {
		return protocol.Refuse(protocol.CodeUnsupportedMediaType, reason), 0
	}
	tooLarge := protocol.Refuse(protocol.CodeTooLarge, fmt.Sprintf("the request is larger than %d bytes", h.max))
	if r.ContentLength > h.max {
		return tooLarge, 0
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, h.max), r.ContentLength)
	read := int64(len(body))
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooBig):
		return tooLarge, read
	case errors.As(err, &netErr) && netErr.Timeout():
		return protocol.Refuse(protocol.CodeTimeout, "the request's body did not arrive in time"), read
	case err != nil:
		return protocol.Refuse(protocol.CodeMalformed, "the request's body could not be read: "+err.Error()), read
	}
	// An unknown operation is the engine's to answer, as it answers one
	// named in the body.
	return h.e.Do(op, body), read
}

// checkContentType says what is wrong with a request's content type, ""
// when it is application/json (in UTF-8, the only charset JSON has).
func checkContentType(ct string) string {
	if ct == "" {
		return "the request has no Content-Type; send application/json"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Sprintf("the content type %q is not application/json", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Sprintf("the charset %q is not utf-8, the charset of JSON", cs)
	}
	return ""
}

// readBody reads the whole body into one buffer of the size the request
// declares (it is within the limit), growing it only for a body sent
// without a length.
func readBody(r io.Reader, length int64) ([]byte, error) {
	if length <= 0 {
		return io.ReadAll(r)
	}
	var buf bytes.Buffer
	buf.Grow(int(length) + bytes.MinRead)
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
