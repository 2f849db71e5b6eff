package protocol_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vetplan/healthplan/internal/protocol"
	"github.com/vetplan/healthplan/internal/scenario"
)

// TestReplayGolden: the replay operation answers every golden scenario
// with exactly the lines examples/replay prints, and every invalid one
// with its problems.
func TestReplayGolden(t *testing.T) {
	e := protocol.New(protocol.Options{})
	files, _ := filepath.Glob("../../testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no golden scenarios")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		req := fmt.Sprintf(`{"id":%q,"op":"replay","scenario":%s}`, filepath.Base(f), data)
		events := strings.Join(strings.Split(strings.TrimSuffix(string(golden), "\n"), "\n"), ",")
		want := fmt.Sprintf(`{"id":%q,"result":{"events":[%s]}}`+"\n", filepath.Base(f), events)
		if got := string(e.Handle([]byte(req))); got != want {
			t.Errorf("%s: replay answers\n%s\nwant\n%s", f, got, want)
		}
		// The same through the path's operation, as over HTTP.
		req = fmt.Sprintf(`{"id":%q,"scenario":%s}`, filepath.Base(f), data)
		if got := string(e.Do("replay", []byte(req)).Body); got != want {
			t.Errorf("%s: replay by path answers differently", f)
		}
	}
	invalid, _ := filepath.Glob("../../testdata/invalid/*.json")
	for _, f := range invalid {
		data, _ := os.ReadFile(f)
		_, perr := scenario.Parse(data)
		resp := e.Do("replay", []byte(`{"scenario":`+string(data)+`}`))
		if resp.Err == nil {
			t.Errorf("%s: an invalid scenario was replayed", f)
			continue
		}
		if resp.Err.Code == protocol.CodeMalformed {
			continue
		}
		if got, want := len(resp.Err.Problems), len(scenario.Messages(perr)); got != want {
			t.Errorf("%s: %d problems; examples/replay reports %d", f, got, want)
		}
		for _, p := range resp.Err.Problems {
			if !strings.HasPrefix(p.Path, "scenario") {
				t.Errorf("%s: problem %q is not under scenario", f, p.Error())
			}
		}
	}
}

// TestEventFieldsCarried: every field a scenario event reads is a field of
// the operation that does the same on a contract, so that what the
// scenario format gains the protocol carries.
func TestEventFieldsCarried(t *testing.T) {
	events := map[string][]string{
		"visit": {"commit", "quote"}, "reverse": {"reverse"}, "payment": {"pay"}, "entitlements": {"entitlements"},
		"schedule": {"schedule"}, "adjust": {"adjust"}, "eligibility": {"eligibility"},
		"terminate": {"terminate", "settle"}, "renew": {"renew"}, "standing": {"standing"},
		"lint": {"lint"}, "exposure": {"exposure"},
	}
	for ev, ops := range events {
		fields := scenario.EventFields(ev)
		if fields == nil {
			t.Errorf("the scenario has no %s event", ev)
		}
		for _, op := range ops {
			have, _ := protocol.Fields(op)
			for _, f := range fields {
				if f == "subscription" || f == "preview" {
					continue // the contract, and the operation's name
				}
				if !slices.Contains(have, f) {
					t.Errorf("the %s event reads %q; the %s operation does not take it", ev, f, op)
				}
			}
		}
	}
	for _, ev := range scenario.EventTypes() {
		if _, ok := events[ev]; !ok {
			t.Errorf("the scenario's %s event has no operation here", ev)
		}
	}
}

// TestConcurrent: one engine answers many requests at once exactly as it
// answers them one by one (run with -race).
func TestConcurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.jsonl")
	type pair struct{ req, resp []byte }
	var cases []pair
	for _, f := range files {
		reqs, _ := os.ReadFile(f)
		resps, _ := os.ReadFile(strings.TrimSuffix(f, ".jsonl") + ".golden")
		rq := bytes.Split(bytes.TrimSuffix(reqs, []byte("\n")), []byte("\n"))
		rs := bytes.SplitAfter(resps, []byte("\n"))
		for i := range rq {
			cases = append(cases, pair{rq[i], rs[i]})
		}
	}
	// The answers alone come first; the cache they fill only grows, so
	// the answers at once must be the same.
	e := protocol.New(protocol.Options{})
	serial := make([][]byte, len(cases))
	for i, c := range cases {
		serial[i] = e.Handle(c.req)
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := range cases {
				i := (k + w*7) % len(cases)
				if got := e.Handle(cases[i].req); !bytes.Equal(got, serial[i]) {
					t.Errorf("request %d answered %s at once, %s alone", i, got, serial[i])
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

// TestTermsCacheBound: the cache holds at most its bound, dropping the
// least recently used.
func TestTermsCacheBound(t *testing.T) {
	e := protocol.New(protocol.Options{TermsCache: 2})
	ref := func(i int) string {
		resp := e.Handle([]byte(fmt.Sprintf(`{"op":"terms","terms":{"currency":"GBP","groups":[],"plan":{"id":"p%d","species":"dog","termMonths":12,"monthlyFee":"1.00","rules":[]}}}`, i)))
		var r struct {
			Result struct{ TermsRef json.RawMessage }
		}
		if err := json.Unmarshal(resp, &r); err != nil || r.Result.TermsRef == nil {
			t.Fatalf("terms: %s", resp)
		}
		return string(r.Result.TermsRef)
	}
	held := func(ref string) bool {
		resp := e.Do("lint", []byte(`{"termsRef":`+ref+`}`))
		return resp.Err == nil
	}
	r0, r1 := ref(0), ref(1)
	if !held(r0) { // r0 is now the most recently used
		t.Fatal("r0 not held")
	}
	r2 := ref(2)
	if !held(r0) || !held(r2) || held(r1) || e.CachedTerms() != 2 {
		t.Errorf("after 3 terms in a cache of 2: r0 %v r1 %v r2 %v, %d held", held(r0), held(r1), held(r2), e.CachedTerms())
	}
}

// TestResponseShape: every response of the cases is one line of JSON
// with the request's id and exactly one of result and error.
func TestResponseShape(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.golden")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for i, line := range bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("%s:%d: %v", f, i+1, err)
			}
			_, res := m["result"]
			_, er := m["error"]
			if _, id := m["id"]; !id || res == er {
				t.Errorf("%s:%d: want an id and one of result and error: %s", f, i+1, line)
			}
			if er && m["contract"] != nil {
				t.Errorf("%s:%d: an error with a contract", f, i+1)
			}
		}
	}
}

// TestMalformedFirst: a request malformed anywhere is answered malformed,
// with its position in the whole request, whatever else is wrong with it.
func TestMalformedFirst(t *testing.T) {
	e := protocol.New(protocol.Options{})
	for _, c := range []struct{ op, req, at string }{
		{"replay", `{"op":"schedule","contract":{"version":1,}}`, "line 1, column 42"},
		{"", `{"op":"nope","x":[1,2}`, "line 1, column 22"},
		{"", `{"op":"schedule","op":"x","contract":{"a":}}`, "line 1, column 43"},
		{"", "{\"op\":\"commit\",\n\"contract\":{\"version\":1,\"usage\":{\"visits\":[}}}", "line 2, column 44"},
		{"", `{"op":"lint","termsRef":{"plan":"p","terms":"sha256:0"},"terms":{"plan":tru}}`, "line 1, column 76"},
	} {
		resp := e.Do(c.op, []byte(c.req))
		if resp.Err == nil || resp.Err.Code != protocol.CodeMalformed || !strings.Contains(resp.Err.Message, c.at) {
			t.Errorf("%s: %s; want malformed at %s", c.req, resp.Body, c.at)
		}
	}
}
