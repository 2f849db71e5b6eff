package plan_test

import (
	"encoding/json"
	"testing"

	"github.com/vetplan/healthplan/plan"
)

// FuzzParseDate: any string is refused or parsed, and a parsed date writes
// back as the same string.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "2024-02-29", "2025-02-29", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-5", "", "2026-01-31T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := plan.ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) writes back as %q", s, d)
		}
		for _, n := range []int{-120, -1, 1, 12, 120} {
			m := d.AddMonths(n)
			if _, _, day := m.Date(); day > 31 || day < 1 {
				t.Fatalf("%s + %d months = %s", d, n, m)
			}
		}
	})
}

// FuzzCatalogJSON: any bytes decode to a valid catalog or an error; a
// decoded catalog encodes to JSON that decodes to the same encoding.
func FuzzCatalogJSON(f *testing.F) {
	f.Add([]byte(`{"currency":"GBP","groups":[{"id":"flea","core":true,"items":[{"code":"F","units":3}]}],"plans":[{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15","rules":[{"group":"flea","discountPercent":"100","allowed":3,"endDay":90}]}]}`))
	f.Add([]byte(`{"currency":"JPY","groups":[],"plans":[{"id":"p","species":"cat","termMonths":1,"monthlyFee":1e3,"weightKg":{"min":1},"rules":[]}]}`))
	f.Add([]byte(`{"currency":"GBP","plans":[{"id":"p","rules":[{"discountPercnt":"10"}]}]}`))
	f.Add([]byte(`{"currency":"GBP","groups":[],"plans":[{"id":"p","species":"dog","termMonths":12,"monthlyFee":"15","dunning":{"retryDays":[]},"rules":[]}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c plan.Catalog
		if err := json.Unmarshal(data, &c); err != nil {
			if len(plan.Problems(err)) == 0 && err.Error() == "" {
				t.Fatalf("an error with no message")
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("decoded a catalog that does not validate: %v", err)
		}
		once, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back plan.Catalog
		if err := json.Unmarshal(once, &back); err != nil {
			t.Fatalf("the encoding of a decoded catalog does not decode: %v\n%s", err, once)
		}
		twice, _ := json.Marshal(back)
		if string(once) != string(twice) {
			t.Fatalf("encodings differ:\n%s\n%s", once, twice)
		}
	})
}
