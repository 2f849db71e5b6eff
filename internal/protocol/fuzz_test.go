package protocol_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vetplan/healthplan/internal/protocol"
)

// FuzzHandle feeds the engine any bytes, as any op: the answer is always
// one line of JSON with an id and a result or an error, never a fault of
// the engine, and the same request answered twice gives the same bytes.
func FuzzHandle(f *testing.F) {
	files, _ := filepath.Glob("testdata/cases/*.jsonl")
	for _, name := range files {
		data, _ := os.ReadFile(name)
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(line) > 0 {
				f.Add("", line)
			}
		}
	}
	f.Add("commit", []byte(`{"contract":{"version":1}}`))
	f.Add("replay", []byte(`{"scenario":{"events":[{"type":"visit"}]}}`))
	f.Add("", []byte(`{"id":[1,{"a":"\u00e9"}],"op":"schedule"`))
	e := protocol.New(protocol.Options{TermsCache: 4})
	e.OnPanic(func(v any, stack []byte) { f.Fatalf("the engine panicked: %v\n%s", v, stack) })
	f.Fuzz(func(t *testing.T, op string, req []byte) {
		resp := e.Do(op, req)
		body := resp.Body
		if len(body) == 0 || body[len(body)-1] != '\n' || bytes.IndexByte(body[:len(body)-1], '\n') >= 0 {
			t.Fatalf("not one line: %q", body)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("not JSON: %v: %s", err, body)
		}
		_, res := m["result"]
		_, er := m["error"]
		if _, id := m["id"]; !id || res == er || (resp.Err != nil) != er {
			t.Fatalf("want an id and one of result and error: %s", body)
		}
		if resp.Err != nil && resp.Err.Code == protocol.CodeInternal {
			t.Fatalf("an internal error: %s", body)
		}
		if resp.Err != nil && resp.Status() >= 500 {
			t.Fatalf("status %d for a request: %s", resp.Status(), body)
		}
		if p := resp.Problem(); resp.Err != nil && !json.Valid(p) {
			t.Fatalf("the problem document is not JSON: %s", p)
		}
		// Terms requests change the cache; anything else answers the same
		// twice.
		if again := e.Do(op, req); !bytes.Equal(again.Body, body) && resp.Op != "terms" {
			t.Fatalf("answered twice differently:\n%s%s", body, again.Body)
		}
	})
}
