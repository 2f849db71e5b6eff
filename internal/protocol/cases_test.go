package protocol_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/internal/protocol"
	"github.com/vetplan/healthplan/plan"
)

var update = flag.Bool("update", false, "rewrite the cases under testdata/cases (review every change before committing it)")

// A case is a sequence of requests to one engine. Its script is kept
// here; its requests, written out in full (every contract document
// inline), are testdata/cases/NAME.jsonl, and the responses
// NAME.golden, one per line: the cases every transport is checked
// against, in any language.
type step struct {
	// req is the request; @catalog, @terms:PLAN, @ref:PLAN, @contract
	// (the contract the last response that had one returned), @renewed
	// (the new contract of the last renewal) and @NAME (a contract saved
	// with save) are replaced by those documents.
	req string
	// save names the response's contract for later steps.
	save string
}

var cases = map[string][]step{
	// A contract's life through every operation on it, the terms sent
	// once and named by reference.
	"lifecycle": {
		{req: `{"id": 1, "op": "terms", "terms": @terms:dog-m}`},
		{req: `{"id": 2, "op": "create", "termsRef": @ref:dog-m, "subscription": {"id": "REX-2026", "client": "SMITH", "patient": {"id": "REX", "species": "dog", "weightKg": "18"}, "start": "2026-01-10", "payment": "monthly"}}`, save: "new"},
		{req: `{"id": 3, "op": "pay", "contract": @contract, "date": "2026-01-10", "amount": "20.00", "status": "taken"}`},
		{req: `{"id": 4, "op": "quote", "contract": @contract, "date": "2026-04-05", "invoice": "INV-1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "4", "unitPrice": "23.49"}, {"id": "2", "item": "CONSULT", "qty": "1", "unitPrice": "42.00"}, {"id": "3", "item": "XRAY", "qty": "1", "unitPrice": "180.00"}]}`},
		{req: `{"id": 5, "op": "commit", "contract": @contract, "date": "2026-04-05", "invoice": "INV-1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "4", "unitPrice": "23.49"}, {"id": "2", "item": "CONSULT", "qty": "1", "unitPrice": "42.00"}, {"id": "3", "item": "XRAY", "qty": "1", "unitPrice": "180.00"}]}`, save: "visited"},
		{req: `{"id": "again: the same invoice gives its recorded result and the same revision", "op": "commit", "contract": @contract, "date": "2026-04-05", "invoice": "INV-1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "4", "unitPrice": "23.49"}]}`},
		{req: `{"id": {"pms": "vetsoft", "request": 7}, "op": "commit", "contract": @contract, "date": "2026-04-20", "invoice": "INV-2", "lines": [{"id": "1", "item": "FOOD", "qty": "2", "unitPrice": "12.99"}, {"id": "2", "item": "FLEA-3PK", "qty": 1, "unitPrice": 60.5}]}`},
		{req: `{"id": 8, "op": "pay", "contract": @contract, "date": "2026-02-10", "amount": "15.00", "status": "failed"}`},
		{req: `{"id": 9, "op": "pay", "contract": @contract, "date": "2026-03-10", "amount": "15.00", "status": "failed"}`},
		{req: `{"id": 10, "op": "standing", "contract": @contract, "date": "2026-03-11"}`},
		{req: `{"id": 11, "op": "quote", "contract": @contract, "date": "2026-03-12", "invoice": "INV-3", "lines": [{"id": "1", "item": "FOOD", "qty": "1", "unitPrice": "12.99"}]}`},
		{req: `{"id": 12, "op": "pay", "contract": @contract, "date": "2026-03-15", "amount": "30.00", "status": "taken"}`},
		{req: `{"id": 13, "op": "entitlements", "contract": @contract, "date": "2026-04-21"}`},
		{req: `{"id": 14, "op": "schedule", "contract": @contract}`},
		{req: `{"id": 15, "op": "adjust", "contract": @contract, "rule": "consult", "units": "-1"}`},
		{req: `{"id": 16, "op": "reverse", "contract": @contract, "invoice": "INV-2", "line": "1"}`},
		{req: `{"id": 17, "op": "statement", "contract": @contract, "date": "2026-04-21"}`},
		{req: `{"id": 18, "op": "settle", "contract": @contract, "date": "2026-04-21", "reason": "cancelled"}`},
		{req: `{"id": 19, "op": "terminate", "contract": @contract, "date": "2026-04-21", "reason": "cancelled"}`},
		{req: `{"id": 20, "op": "standing", "contract": @contract, "date": "2026-06-01"}`},
		{req: `{"id": 21, "op": "commit", "contract": @contract, "date": "2026-04-25", "invoice": "INV-4", "lines": [{"id": "1", "item": "FLEA-1", "qty": "1", "unitPrice": "23.49"}]}`},
		{req: `{"id": 22, "op": "pay", "contract": @contract, "date": "2026-04-30", "amount": "50.00", "status": "taken"}`},
		{req: `{"id": 23, "op": "terminate", "contract": @contract, "date": "2026-05-01", "reason": "cancelled"}`},
		{req: `{"id": 24, "op": "settle", "contract": @contract, "date": "2026-05-01", "reason": "moved"}`},
		{req: `{"id": 25, "op": "renew", "contract": @contract, "as": "REX-2027", "nextTerms": @terms:dog-m-2027}`},
		{req: `{"id": 26, "op": "statement", "contract": @contract, "date": "2026-05-01"}`},
	},
	// Terms inline instead of by reference, and what happens when the
	// terms are not the contract's or the engine does not hold them.
	"terms": {
		{req: `{"id": 1, "op": "create", "terms": @terms:cat-spring, "subscription": {"id": "TOM", "client": "JONES", "patient": {"species": "cat", "birthDate": "2025-01-01"}, "start": "2026-03-02", "multiPet": true}}`},
		{req: `{"id": 2, "op": "schedule", "terms": @terms:cat-spring, "contract": @contract}`},
		{req: `{"id": 3, "op": "schedule", "contract": @contract}`},
		{req: `{"id": 4, "op": "commit", "contract": @contract, "date": "2026-03-20", "invoice": "I1", "lines": [{"id": "1", "item": "CONSULT", "qty": "1", "unitPrice": "15.00"}]}`},
		{req: `{"id": 5, "op": "commit", "terms": @terms:dog-m, "contract": @contract, "date": "2026-03-20", "invoice": "I1", "lines": [{"id": "1", "item": "CONSULT", "qty": "1", "unitPrice": "15.00"}]}`},
		{req: `{"id": 6, "op": "create", "termsRef": @ref:cat-spring, "subscription": {"id": "TOM", "start": "2026-03-02"}}`},
		{req: `{"id": 7, "op": "terms", "catalog": @catalog, "plan": "cat-spring"}`},
		{req: `{"id": 8, "op": "create", "termsRef": @ref:cat-spring, "subscription": {"id": "TOM", "start": "2026-03-02"}}`},
		{req: `{"id": 9, "op": "commit", "contract": @contract, "date": "2026-03-20", "invoice": "I1", "lines": [{"id": "1", "item": "CONSULT", "qty": "1", "unitPrice": "15.00"}]}`},
		{req: `{"id": 10, "op": "create", "termsRef": {"plan": "dog-m", "terms": "sha256:0000"}, "subscription": {"id": "X", "start": "2026-03-02"}}`},
		{req: `{"id": 11, "op": "create", "termsRef": @ref:cat-spring, "terms": @terms:cat-spring, "subscription": {"id": "X", "start": "2026-03-02"}}`},
		{req: `{"id": 12, "op": "create", "termsRef": @ref:cat-spring, "subscription": {"id": "X", "start": "2026-06-01"}}`},
		{req: `{"id": 13, "op": "terms", "terms": {"currency": "GBP", "groups": [], "plan": {"id": "p", "species": "dog", "termMonths": 0, "monthlyFee": "x", "rules": [{"group": "flea", "discountPercent": "150"}]}}}`},
		{req: `{"id": 14, "op": "create", "subscription": {"id": "X", "start": "2026-03-02"}}`},
		{req: `{"id": 15, "op": "create", "termsRef": {"plan": "dog-m"}, "subscription": {"start": "2026-3-2", "payment": "cash", "patient": {"weightKg": "-1"}}}`},
	},
	// Renewals: onto the next plan, twice, onto the wrong plan.
	"renewal": {
		{req: `{"id": 1, "op": "terms", "catalog": @catalog, "plan": "dog-m"}`},
		{req: `{"id": 2, "op": "terms", "catalog": @catalog, "plan": "dog-m-2027"}`},
		{req: `{"id": 3, "op": "create", "termsRef": @ref:dog-m, "subscription": {"id": "REX-2026", "client": "SMITH", "patient": {"id": "REX", "species": "dog", "weightKg": "8", "expectedAdultWeightKg": "20"}, "start": "2026-01-31", "payment": "advance"}}`},
		{req: `{"id": 4, "op": "schedule", "contract": @contract}`},
		{req: `{"id": 5, "op": "renew", "contract": @contract, "as": "REX-2027", "nextTermsRef": @ref:dog-m}`},
		{req: `{"id": 6, "op": "renew", "contract": @contract, "as": "REX-2027", "patient": {"id": "REX", "species": "dog", "weightKg": "27"}, "nextTerms": @terms:dog-m-2027}`, save: "renewing"},
		{req: `{"id": 7, "op": "renew", "contract": @renewing, "as": "REX-2027b", "nextTermsRef": @ref:dog-m-2027}`},
		{req: `{"id": 8, "op": "entitlements", "contract": @renewed, "date": "2027-02-01"}`},
		{req: `{"id": 9, "op": "terminate", "contract": @renewed, "date": "2027-02-01", "reason": "expired"}`},
		{req: `{"id": 10, "op": "terminate", "contract": @renewed, "date": "2028-01-30", "reason": "expired"}`},
		{req: `{"id": 11, "op": "renew", "contract": @renewed, "as": "REX-2026", "nextTermsRef": @ref:dog-m-2027}`},
	},
	// Requests the engine refuses, each with its code and every problem's
	// path.
	"refused": {
		{req: `{"id": 1, "op": "terms", "terms": @terms:dog-m}`},
		{req: `{"id": 2, "op": "create", "termsRef": @ref:dog-m, "subscription": {"id": "S1", "start": "2026-01-10"}}`},
		{req: `{"id": 3, "op": "commit", "contract": @contract, "date": "2026-01-15", "invoice": "I1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "1", "unitPrice": "10.00"}]}`},
		{req: `{"id": 4, "op": "commit", "contract": @contract, "date": "2026-01-15", "invoice": "I1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "2", "unitPrice": "10.00"}]}`},
		{req: `{"id": 5, "op": "commit", "contract": @contract, "date": "2026-02-30", "invoice": "", "lines": [{"id": "1", "item": "FLEA-1", "qty": "0", "unitPrice": "1e999999"}, {"id": "2", "itme": "FLEA-1", "qty": "1", "unitPrice": "-1"}]}`},
		{req: `{"id": 6, "op": "reverse", "contract": @contract, "invoice": "I1", "line": "9"}`},
		{req: `{"id": 7, "op": "reverse", "contract": @contract, "invoice": "I1", "line": "1"}`},
		{req: `{"id": 8, "op": "reverse", "contract": @contract, "invoice": "I1", "line": "1"}`},
		{req: `{"id": 9, "op": "adjust", "contract": @contract, "rule": "fleas", "units": "1"}`},
		{req: `{"id": 10, "op": "adjust", "contract": @contract, "rule": "consult", "units": "2"}`},
		{req: `{"id": 11, "op": "pay", "contract": @contract, "date": "2026-01-10", "amount": "15.001", "status": "maybe"}`},
		{req: `{"id": 12, "op": "terminate", "contract": @contract, "date": "2026-01-20"}`},
		{req: `{"id": 13, "op": "terminate", "contract": @contract, "date": "2026-01-20", "reason": "expired"}`},
		{req: `{"id": 14, "op": "standing", "contract": {"version": 2, "revision": 0, "terms": {"plan": "dog-m", "terms": "sha256:00"}, "subscription": {"id": "S1", "start": "2026-01-10"}}, "date": "2026-01-20"}`},
		{req: `{"id": 15, "op": "standing", "contract": {"version": 1, "revision": -1, "terms": {"plan": "dog-m", "terms": "sha256:00"}, "subscription": {"id": "S1", "start": "2026-01-10"}, "notes": ""}, "date": "2026-01-20"}`},
		{req: `{"id": 16, "op": "standing", "contract": @contract, "date": "2026-01-20", "dates": "2026-01-21"}`},
		{req: `{"id": 17, "op": "standing", "date": "2026-01-20"}`},
		{req: `{"id": 18, "op": "comit", "contract": @contract}`},
		{req: `{"id": 19, "contract": @contract}`},
		{req: `{"id": 20, "op": 7}`},
		{req: `{"id": 21, "op": "schedule", "op": "schedule", "contract": @contract}`},
		{req: `[1, 2, 3]`},
		{req: `{"id": 23, "op": "schedule", "contract": {"version": 1,}}`},
		{req: `{"id": 24, "op": "validate", "catalog": {"currency": "GBP", "groups": [], "plans": []}} trailing`},
		{req: `{"id": 25, "op": "replay", "scenario": {"currency": "XXX", "plans": [{"id": "p"}], "subscriptions": [{"id": "S", "plan": "q"}]}}`},
		{req: `{"id": 26, "op": "eligibility", "catalog": @catalog, "date": "2026-01-01"}`},
		{req: `{"id": 27, "op": "lint", "catalog": @catalog}`},
		{req: `{"id": 28, "op": "terms", "terms": @terms:dog-m, "catalog": @catalog, "plan": "dog-m"}`},
		{req: `{"id": 29, "op": "quote", "contract": @contract, "date": "2026-01-15", "invoice": "I2", "lines": "FLEA-1"}`},
	},
	// Installment intervals, dunning, the value basis, repayment and an
	// override; the exposure of a plan design.
	"billing": {
		{req: `{"id": 1, "op": "terms", "catalog": @catalog, "plan": "dog-l"}`},
		{req: `{"id": 2, "op": "create", "termsRef": @ref:dog-l, "subscription": {"id": "MAX", "client": "BROWN", "patient": {"species": "dog", "weightKg": "31"}, "start": "2026-01-31", "payment": "auto", "interval": "quarter"}}`},
		{req: `{"id": 3, "op": "schedule", "contract": @contract}`},
		{req: `{"id": 4, "op": "commit", "contract": @contract, "date": "2026-02-02", "invoice": "V1", "lines": [{"id": "1", "item": "EXAM", "qty": "1", "unitPrice": "40.00"}]}`},
		{req: `{"id": 5, "op": "pay", "contract": @contract, "date": "2026-01-31", "amount": "52.00", "status": "taken"}`},
		{req: `{"id": "5b", "op": "commit", "contract": @contract, "date": "2026-03-10", "invoice": "V1b", "lines": [{"id": "1", "item": "FLEA-1", "qty": "4", "unitPrice": "23.49"}]}`},
		{req: `{"id": 6, "op": "standing", "contract": @contract, "date": "2026-05-10"}`},
		{req: `{"id": 7, "op": "standing", "contract": @contract, "date": "2026-06-05"}`},
		{req: `{"id": 8, "op": "quote", "contract": @contract, "date": "2026-06-05", "invoice": "V2", "lines": [{"id": "1", "item": "FLEA-1", "qty": "1", "unitPrice": "23.49"}]}`},
		{req: `{"id": 9, "op": "settle", "contract": @contract, "date": "2026-06-05", "reason": "nonPayment", "repayMonths": 3}`},
		{req: `{"id": 10, "op": "settle", "contract": @contract, "date": "2026-06-05", "reason": "nonPayment", "override": {"amount": "20.00", "note": "agreed with the client"}}`},
		{req: `{"id": 11, "op": "terminate", "contract": @contract, "date": "2026-06-05", "reason": "nonPayment", "repayMonths": 0, "override": {"note": 1}}`},
		{req: `{"id": 12, "op": "terminate", "contract": @contract, "date": "2026-06-05", "reason": "nonPayment", "repayMonths": 3}`},
		{req: `{"id": 13, "op": "create", "termsRef": @ref:dog-l, "subscription": {"id": "MAX2", "start": "2026-01-31", "interval": "4weeks"}}`},
		{req: `{"id": 14, "op": "exposure", "termsRef": @ref:dog-l, "start": "2026-01-31", "prices": {"EXAM": "40.00", "FLEA-1": "23.49"}, "cap": "40.00"}`},
		{req: `{"id": 15, "op": "exposure", "catalog": @catalog, "plan": "dog-m", "start": "2026-01-10", "prices": {"FLEA-1": "23.49", "CONSULT": "42.00"}}`},
		{req: `{"id": 16, "op": "exposure", "catalog": @catalog, "plan": "dog-m", "start": "2026-02-30", "prices": {"FLEA-1": "-1", "CONSULT": "x"}, "unitsCap": -1, "payment": "cash"}`},
	},
	// The operations on catalogs and scenarios.
	"catalog": {
		{req: `{"id": 1, "op": "validate", "catalog": @catalog}`},
		{req: `{"id": 2, "op": "validate", "catalog": {"currency": "GBP", "groups": [{"id": "flea", "items": [{"code": "F"}]}, {"id": "flea2", "items": [{"code": "F"}]}], "plans": [{"id": "p", "species": "dog", "termMonths": 12, "monthlyFee": "1", "rules": [{"group": "fleas", "discountPercnt": "10", "endDay": 10}]}]}}`},
		{req: `{"id": 3, "op": "eligibility", "catalog": @catalog, "date": "2026-04-01", "patient": {"id": "P2", "species": "dog", "weightKg": "8", "expectedAdultWeightKg": "30", "birthDate": "2026-03-01"}}`},
		{req: `{"id": 4, "op": "eligibility", "catalog": @catalog, "date": "2026-04-01", "patient": {"species": "cat", "birthDate": "2025-01-01"}}`},
		{req: `{"id": 5, "op": "lint", "catalog": @catalog, "plan": "dog-m"}`},
		{req: `{"id": 6, "op": "lint", "terms": @terms:cat-spring}`},
		{req: `{"id": 7, "op": "terms", "terms": @terms:cat-spring}`},
		{req: `{"id": 8, "op": "lint", "termsRef": @ref:cat-spring}`},
		{req: `{"id": 9, "op": "lint", "catalog": @catalog, "plan": "rabbit"}`},
		{req: `{"id": 10, "op": "replay", "scenario": {"note": "a small replay", "currency": "GBP", "groups": [{"id": "flea", "core": true, "items": [{"code": "FLEA-1"}]}], "plans": [{"id": "p", "species": "dog", "termMonths": 12, "monthlyFee": "10.00", "rules": [{"id": "flea", "group": "flea", "discountPercent": "100", "allowed": 2, "endDay": 365}]}], "subscriptions": [{"id": "S1", "plan": "p", "start": "2026-01-01"}], "events": [{"type": "visit", "subscription": "S1", "date": "2026-01-05", "invoice": "I1", "lines": [{"id": "1", "item": "FLEA-1", "qty": "3", "unitPrice": "5.00"}]}, {"type": "visit", "subscription": "S9", "date": "2026-01-05", "invoice": "I1", "lines": []}, {"type": "terminate", "subscription": "S1", "date": "2026-02-01", "reason": "cancelled", "preview": true}]}}`},
	},
}

var token = regexp.MustCompile(`@[a-z][a-zA-Z0-9:-]*`)

// fixtures are the documents the scripts name: the catalog and each of
// its plans' terms.
func fixtures(t testing.TB) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat plan.Catalog
	if err := cat.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{"@catalog": compact.String()}
	for _, p := range cat.Plans {
		terms, err := cat.Terms(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := terms.MarshalJSON()
		docs["@terms:"+p.ID] = string(doc)
		docs["@ref:"+p.ID] = fmt.Sprintf(`{"plan":%q,"terms":%q}`, p.ID, terms.Digest())
	}
	return docs
}

// run plays a case's script on a new engine and returns its requests
// and responses, one per line.
func run(t *testing.T, steps []step, docs map[string]string) (reqs, resps []byte) {
	t.Helper()
	e := protocol.New(protocol.Options{})
	saved := map[string]string{}
	for k, v := range docs {
		saved[k] = v
	}
	for i, s := range steps {
		req := token.ReplaceAllStringFunc(s.req, func(name string) string {
			v, ok := saved[name]
			if !ok {
				t.Fatalf("step %d: %s names nothing saved yet", i, name)
			}
			return v
		})
		var buf bytes.Buffer
		if json.Compact(&buf, []byte(req)) == nil {
			req = buf.String()
		}
		resp := e.Handle([]byte(req))
		reqs = append(append(reqs, req...), '\n')
		resps = append(resps, resp...)
		var r struct {
			Contract json.RawMessage
			Result   struct{ Contract json.RawMessage }
		}
		if err := json.Unmarshal(resp, &r); err != nil {
			t.Fatalf("step %d: the response is not JSON: %v\n%s", i, err, resp)
		}
		if r.Contract != nil {
			saved["@contract"] = string(r.Contract)
			if s.save != "" {
				saved["@"+s.save] = string(r.Contract)
			}
		}
		if r.Result.Contract != nil {
			saved["@renewed"] = string(r.Result.Contract)
		}
	}
	return reqs, resps
}

// TestCases plays every case's script and compares its requests
// and responses with the files under testdata/cases, which the
// transports' tests replay.
func TestCases(t *testing.T) {
	docs := fixtures(t)
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			reqs, resps := run(t, steps, docs)
			base := filepath.Join("testdata", "cases", name)
			compareFile(t, base+".jsonl", reqs)
			compareFile(t, base+".golden", resps)
		})
	}
	if !*update {
		files, _ := filepath.Glob("testdata/cases/*.jsonl")
		if len(files) != len(cases) {
			t.Errorf("testdata/cases has %d cases, the scripts %d: remove the stale ones", len(files), len(cases))
		}
	}
}

// TestCaseFiles replays the request files as a transport does, each
// case on a new engine, and compares with the responses beside them.
func TestCaseFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.jsonl")
	for _, f := range files {
		e := protocol.New(protocol.Options{})
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		for _, line := range strings.SplitAfter(string(data), "\n") {
			if strings.TrimSpace(line) != "" {
				got = append(got, e.Handle([]byte(strings.TrimSuffix(line, "\n")))...)
			}
		}
		want, _ := os.ReadFile(strings.TrimSuffix(f, ".jsonl") + ".golden")
		if !bytes.Equal(want, got) {
			t.Errorf("%s: the responses differ from its golden file", f)
		}
	}
}

func compareFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/protocol -update to create it, then review it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
