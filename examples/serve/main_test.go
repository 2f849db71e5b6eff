package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vetplan/healthplan/internal/protocol"
)

// TestMain runs the command itself when the test binary is started as a
// server by the tests below (SERVE_MAIN=1), so that they test a real
// process: its signals, its shutdown, its memory.
func TestMain(m *testing.M) {
	if os.Getenv("SERVE_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const cases = "../../internal/protocol/testdata/cases"

type testCase struct {
	name   string
	reqs   [][]byte // without their newlines
	golden []byte
}

func loadCases(t testing.TB) []testCase {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(cases, "*.jsonl"))
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	var out []testCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(strings.TrimSuffix(f, ".jsonl") + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		s := testCase{name: filepath.Base(f), golden: golden}
		s.reqs = bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		out = append(out, s)
	}
	return out
}

// TestStdio: every case through -stdio gives its golden responses, byte
// for byte.
func TestStdio(t *testing.T) {
	for _, s := range loadCases(t) {
		in := bytes.Join(s.reqs, []byte("\n"))
		var out, errOut bytes.Buffer
		if code := run([]string{"-stdio"}, bytes.NewReader(in), &out, &errOut); code != 0 {
			t.Fatalf("%s: exit %d: %s", s.name, code, errOut.String())
		}
		if !bytes.Equal(out.Bytes(), s.golden) {
			t.Errorf("%s: -stdio answers differ from the golden responses", s.name)
		}
	}
}

// TestStdioLines: blank lines are skipped, CRLF is a line end, a line over
// the limit is answered tooLarge and the next one is answered as usual.
func TestStdioLines(t *testing.T) {
	e := protocol.New(protocol.Options{})
	in := "\n  \r\n" + `{"id":1,"op":"schedule"}` + "\r\n" + `{"id":2,"op":"x","pad":"` + strings.Repeat("a", 300) + `"}` + "\n" + `{"id":3}`
	var out bytes.Buffer
	if err := serveLines(strings.NewReader(in), &out, e, 200); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d responses for 3 requests:\n%s", len(lines), out.String())
	}
	for i, want := range []string{`{"id":1,"error":{"code":"invalid"`, `{"id":null,"error":{"code":"tooLarge"`, `{"id":3,"error":{"code":"unknownOperation"`} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("response %d: %s; want %s...", i, lines[i], want)
		}
	}
}

// TestStdioAnswersAtOnce: a client that waits for each answer before
// sending the next request gets it.
func TestStdioAnswersAtOnce(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serveLines(inR, outW, protocol.New(protocol.Options{}), 1<<20); outW.Close() }()
	answers := bufio.NewReader(outR)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(inW, `{"id":%d,"op":"validate","catalog":{"currency":"GBP","groups":[],"plans":[]}}`+"\n", i)
		line, err := answers.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, fmt.Sprintf(`{"id":%d,"result"`, i)) {
			t.Fatalf("answer %d: %q %v", i, line, err)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// server starts the HTTP server in this process on a loopback port.
func server(t testing.TB, o options) (string, *bytes.Buffer) {
	t.Helper()
	if o.maxRequest == 0 {
		o.maxRequest = 1 << 20
	}
	for _, d := range []*time.Duration{&o.readHeaderTimeout, &o.readTimeout, &o.writeTimeout, &o.idleTimeout} {
		if *d == 0 {
			*d = 10 * time.Second
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv := newServer(o, protocol.New(protocol.Options{}), slog.New(slog.NewJSONHandler(logs, nil)))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String(), &logs.b
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func post(t testing.TB, url, ctype string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// opOf is the op a case's request names, for its URL.
func opOf(req []byte) string {
	var r struct{ Op any }
	json.Unmarshal(req, &r)
	if s, ok := r.Op.(string); ok && s != "" && !strings.ContainsAny(s, "/?#%") {
		return s
	}
	return "replay"
}

// TestHTTPCases: every case over HTTP gives its golden responses:
// the same bytes for a result, and a problem document carrying the same
// id and error for an error.
func TestHTTPCases(t *testing.T) {
	for _, s := range loadCases(t) {
		url, _ := server(t, options{})
		golden := bytes.SplitAfter(s.golden, []byte("\n"))
		for i, req := range s.reqs {
			op := opOf(req)
			resp, body := post(t, url+"/v1/"+op, "application/json", req)
			want := golden[i]
			var w struct{ Error *struct{ Code string } }
			json.Unmarshal(want, &w)
			if w.Error == nil {
				if resp.StatusCode != 200 || !bytes.Equal(body, want) {
					t.Errorf("%s:%d: %d %s\nwant %s", s.name, i+1, resp.StatusCode, body, want)
				}
				continue
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s:%d: content type %q", s.name, i+1, ct)
			}
			var p struct {
				Status int
				Type   string
			}
			json.Unmarshal(body, &p)
			if resp.StatusCode != p.Status || resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Errorf("%s:%d: status %d, problem status %d", s.name, i+1, resp.StatusCode, p.Status)
			}
			if !bytes.HasSuffix(body, want[1:]) && opOf(req) != "replay" {
				t.Errorf("%s:%d: the problem does not carry the response:\n%s\nwant ...%s", s.name, i+1, body, want[1:])
			}
		}
	}
}

// TestHTTPBadInput: every way a client can get a request wrong is a 4xx
// problem document naming what is wrong, and the server goes on serving.
func TestHTTPBadInput(t *testing.T) {
	url, logs := server(t, options{maxRequest: 4096, readTimeout: 500 * time.Millisecond, writeTimeout: 2 * time.Second})
	big := []byte(`{"op":"validate","catalog":{"pad":"` + strings.Repeat("x", 5000) + `"}}`)
	cases := []struct {
		name, method, path, ctype string
		body                      []byte
		chunked                   bool
		status                    int
		code, has                 string
	}{
		{"malformed JSON", "POST", "/v1/commit", "application/json", []byte("{\"id\": 1,\n \"contract\": {,}}"), false, 400, "malformed", `"line":2,"column":15`},
		{"unknown operation", "POST", "/v1/comit", "application/json", []byte(`{}`), false, 404, "unknownOperation", `\"comit\" is not an operation`},
		{"unknown path", "GET", "/v2/commit", "", nil, false, 404, "notFound", `/v2/commit`},
		{"wrong method", "GET", "/v1/commit", "", nil, false, 405, "methodNotAllowed", `use POST`},
		{"wrong method on health", "POST", "/healthz", "application/json", []byte(`{}`), false, 405, "methodNotAllowed", `use GET`},
		{"wrong content type", "POST", "/v1/schedule", "text/plain", []byte(`{}`), false, 415, "unsupportedMediaType", `text/plain`},
		{"form content type", "POST", "/v1/schedule", "application/x-www-form-urlencoded", []byte(`{}`), false, 415, "unsupportedMediaType", `not application/json`},
		{"no content type", "POST", "/v1/schedule", "", []byte(`{}`), false, 415, "unsupportedMediaType", `no Content-Type`},
		{"wrong charset", "POST", "/v1/schedule", "application/json; charset=latin1", []byte(`{}`), false, 415, "unsupportedMediaType", `latin1`},
		{"over the limit", "POST", "/v1/validate", "application/json", big, false, 413, "tooLarge", `4096 bytes`},
		{"over the limit, chunked", "POST", "/v1/validate", "application/json", big, true, 413, "tooLarge", `4096 bytes`},
		{"bad fields", "POST", "/v1/eligibility", "application/json", []byte(`{"id":"x","catalog":{"currency":"GBP","groups":[],"plans":[]},"date":"2026-13-01","patient":{"weightKg":"heavy"},"dat":1}`), false, 422, "invalid",
			`"problems":[{"path":"date","value":"2026-13-01"`},
		{"op in body differs", "POST", "/v1/schedule", "application/json; charset=utf-8", []byte(`{"op":"commit"}`), false, 422, "invalid", `"path":"op"`},
		{"empty body", "POST", "/v1/schedule", "application/json", nil, false, 400, "malformed", `unexpected end of JSON input`},
		{"not UTF-8", "POST", "/v1/schedule", "application/json", []byte("{\"id\":\"\xff\"}"), false, 400, "malformed", `line`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader = bytes.NewReader(c.body)
			if c.chunked {
				body = io.MultiReader(bytes.NewReader(c.body)) // no length: sent chunked
			}
			req, _ := http.NewRequest(c.method, url+c.path, body)
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("status %d; want %d: %s", resp.StatusCode, c.status, b)
			}
			var p struct {
				Type, Title, Detail string
				Status              int
				Error               struct{ Code string }
			}
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatalf("not a problem document: %v: %s", err, b)
			}
			if resp.Header.Get("Content-Type") != "application/problem+json" || p.Status != c.status || p.Error.Code != c.code || p.Title == "" || p.Detail == "" || !strings.HasSuffix(p.Type, "#"+c.code) {
				t.Errorf("problem %s; want status %d code %s", b, c.status, c.code)
			}
			if !strings.Contains(string(b), c.has) {
				t.Errorf("problem %s; want it to say %s", b, c.has)
			}
			if c.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	healthy(t, url)
	if strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("a 500 was logged:\n%s", logs.String())
	}
}

func healthy(t testing.TB, url string) {
	t.Helper()
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("the server no longer answers: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "{\"status\":\"ok\"}\n" {
		t.Fatalf("healthz: %d %s", resp.StatusCode, b)
	}
}

// TestHTTPSlowClient: a client that sends its body too slowly is timed
// out, whether it stalls in its headers or its body, and the server goes
// on serving others meanwhile.
func TestHTTPSlowClient(t *testing.T) {
	url, _ := server(t, options{readHeaderTimeout: 300 * time.Millisecond, readTimeout: 600 * time.Millisecond, writeTimeout: 2 * time.Second})
	addr := strings.TrimPrefix(url, "http://")
	for _, c := range []struct{ name, sent string }{
		{"stalls in the body", "POST /v1/schedule HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":"},
		{"stalls in the headers", "POST /v1/schedule HTTP/1.1\r\nHost: x\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			io.WriteString(conn, c.sent)
			healthy(t, url) // others are served while this client stalls
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			got, _ := io.ReadAll(conn) // the server answers (or not) and closes
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the slow client was held for %v", d)
			}
			if len(got) > 0 && !bytes.Contains(got, []byte("408")) {
				t.Errorf("answered %q; want a 408 or nothing", got)
			}
		})
	}
	healthy(t, url)
}

// TestHTTPConcurrent: many clients at once get exactly the answers one
// gets alone.
func TestHTTPConcurrent(t *testing.T) {
	url, _ := server(t, options{})
	ss := loadCases(t)
	// Fill the terms cache as the cases do, then ask everything at once.
	for _, s := range ss {
		for _, req := range s.reqs {
			post(t, url+"/v1/"+opOf(req), "application/json", req)
		}
	}
	type pair struct{ op, req, want []byte }
	var cases []pair
	for _, s := range ss {
		for _, req := range s.reqs {
			_, b := post(t, url+"/v1/"+opOf(req), "application/json", req)
			cases = append(cases, pair{[]byte(opOf(req)), req, b})
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := range cases {
				c := cases[(k+w*5)%len(cases)]
				req, _ := http.NewRequest("POST", url+"/v1/"+string(c.op), bytes.NewReader(c.req))
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !bytes.Equal(b, c.want) {
					t.Errorf("at once: %s\nalone: %s", b, c.want)
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

// process starts the command as a process serving HTTP on a loopback
// port, and returns its address once it listens.
func process(t testing.TB, args ...string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-http", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "SERVE_MAIN=1")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
			var l struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "listening" {
				addr <- l.Addr
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	select {
	case a := <-addr:
		return cmd, "http://" + a, logs
	case <-time.After(10 * time.Second):
		t.Fatalf("the server did not start:\n%s", logs.b.String())
	}
	return nil, "", nil
}

// TestGracefulShutdown: on SIGTERM the server stops taking requests, the
// one in flight gets its answer, and the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	cmd, url, logs := process(t)
	pr, pw := io.Pipe()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url+"/v1/validate", pr)
	req.Header.Set("Content-Type", "application/json")
	answered := make(chan string, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- fmt.Sprintf("%d %s", resp.StatusCode, b)
	}()
	io.WriteString(pw, `{"id":"in flight","catalog":`)
	time.Sleep(200 * time.Millisecond) // the request is in flight
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	io.WriteString(pw, `{"currency":"GBP","groups":[],"plans":[]}}`)
	pw.Close()
	if got := <-answered; got != "200 {\"id\":\"in flight\",\"result\":{\"plans\":[]}}\n" {
		t.Errorf("the request in flight got %q", got)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, logs.b.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if !strings.Contains(logs.b.String(), `"msg":"stopped"`) {
		t.Errorf("no stop logged:\n%s", logs.b.String())
	}
}
