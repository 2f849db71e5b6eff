package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/vetplan/healthplan/internal/protocol"
	"github.com/vetplan/healthplan/plan"
)

// commitRequest is a commit of a two-line visit on a contract that has
// 200 committed lines (20 visits of 10), with the terms sent once before
// (the engine holds them), as a PMS sends one at each invoice: the
// request and the engine that holds its terms.
func commitRequest(t testing.TB, e *protocol.Engine) []byte {
	t.Helper()
	data, err := os.ReadFile("../../internal/protocol/testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat plan.Catalog
	if err := cat.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	terms, _ := cat.Terms("dog-m")
	doc, _ := terms.MarshalJSON()
	answer := func(op, req string) json.RawMessage {
		resp := e.Do(op, []byte(req))
		if resp.Err != nil {
			t.Fatalf("%s: %s", op, resp.Body)
		}
		var r struct{ Contract json.RawMessage }
		json.Unmarshal(resp.Body, &r)
		return r.Contract
	}
	answer("terms", `{"terms":`+string(doc)+`}`)
	contract := answer("create", fmt.Sprintf(`{"termsRef":{"plan":"dog-m","terms":%q},"subscription":{"id":"REX","client":"SMITH","patient":{"species":"dog","weightKg":"18"},"start":"2026-01-10"}}`, terms.Digest()))
	items := []string{"FOOD", "FLEA-1", "CONSULT", "XRAY", "FOOD"}
	for v := 0; v < 20; v++ {
		var lines []string
		for l := 0; l < 10; l++ {
			lines = append(lines, fmt.Sprintf(`{"id":"%d","item":%q,"qty":"%d","unitPrice":"%d.99"}`, l+1, items[(v+l)%len(items)], 1+l%3, 5+l))
		}
		contract = answer("commit", fmt.Sprintf(`{"contract":%s,"date":"2026-%02d-%02d","invoice":"INV-%d","lines":[%s]}`,
			contract, 1+(v+1)/2, 10+v%2*10, v+1, strings.Join(lines, ",")))
	}
	return []byte(fmt.Sprintf(`{"id":"bench","contract":%s,"date":"2026-12-01","invoice":"INV-NEXT","lines":[{"id":"1","item":"FOOD","qty":"2","unitPrice":"12.99"},{"id":"2","item":"CONSULT","qty":"1","unitPrice":"42.00"}]}`, contract))
}

// BenchmarkProtocol is a commit on a contract with 200 committed lines:
// inprocess calls the engine; http sends the same request to the server
// over loopback, one connection kept alive.
func BenchmarkProtocol(b *testing.B) {
	e := protocol.New(protocol.Options{})
	req := commitRequest(b, e)
	want := e.Do("commit", req)
	if want.Err != nil {
		b.Fatalf("%s", want.Body)
	}
	b.Run("inprocess", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(req)))
		for b.Loop() {
			e.Do("commit", req)
		}
	})
	b.Run("http", func(b *testing.B) {
		url := quietServer(b)
		// The server's own engine must hold the terms too.
		srvEngine := func() { post(b, url+"/v1/terms", "application/json", termsOf(b)) }
		srvEngine()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		do := func() []byte {
			r, _ := http.NewRequest(http.MethodPost, url+"/v1/commit", bytes.NewReader(req))
			r.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			var body bytes.Buffer
			body.Grow(int(resp.ContentLength) + bytes.MinRead)
			body.ReadFrom(resp.Body)
			resp.Body.Close()
			return body.Bytes()
		}
		if got := do(); !bytes.Equal(got, want.Body) {
			b.Fatalf("over HTTP: %s\nwant %s", got, want.Body)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(req)))
		for b.Loop() {
			do()
		}
	})
}

// termsOf is the terms request for the dog-m plan of the test catalog.
func termsOf(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../../internal/protocol/testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(`{"catalog":` + string(data) + `,"plan":"dog-m"}`)
}

// quietServer is the server as it runs, its logs written (in full) to
// nowhere, where the tests' server keeps them.
func quietServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	o := options{maxRequest: 1 << 20}
	srv := newServer(o, protocol.New(protocol.Options{}), slog.New(slog.NewJSONHandler(io.Discard, nil)))
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}
