package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/wire"
)

var enrollmentSeeds = []string{
	`{"id":"S1","client":"C1","patient":{"id":"P1","species":"dog","weightKg":"12.5","expectedAdultWeightKg":30,"birthDate":"2025-06-01"},"start":"2026-01-10","payment":"monthly","interval":"quarter","multiPet":true}`,
	`{"id":"S1","start":"2026-01-10"}`,
	`{"start":"2026-01-10","id":"S\u00e91"}`,
	` { "id" : "S1" , "start" : "2026-01-10" , "patient" : { } } `,
	`{"id":"S1","start":"2026-01-10","client":null}`,
	`{"id":"S1","start":"2026-01-10","patient":null}`,
	`{"id":"","start":"2026-01-10"}`,
	`{"id":"S1"}`,
	`{"id":"S1","start":"2026-02-30"}`,
	`{"id":"S1","start":"2026-01-10","id":"S2"}`,
	`{"id":"S1","start":"2026-01-10","payment":"weekly"}`,
	`{"id":"S1","start":"2026-01-10","payment":""}`,
	`{"id":"S1","start":"2026-01-10","interval":"4weeks"}`,
	`{"id":"S1","start":"2026-01-10","multiPet":"yes"}`,
	`{"id":"S1","start":"2026-01-10","patient":{"weightKg":"-1"}}`,
	`{"id":"S1","start":"2026-01-10","patient":{"weightKg":"1e400"}}`,
	`{"id":"S1","start":"2026-01-10","patient":{"birthDate":""}}`,
	`{"id":"S1","start":"2026-01-10","patient":{"species":"dog","species":"cat"}}`,
	`{"id":"S1","start":"2026-01-10","patiënt":{}}`,
	`{"id":"S1","start":"2026-01-10"} x`,
	`{"id":1,"start":"2026-01-10"}`,
	`[]`,
	`{"client":"C1","iid":"S1","start":"2026-01-10"}`,
	`{"id":"S1","start":"2026-01-10","patient":{"iid":"P1"}}`,
}

// readCarefully is the enrollment as the careful reader reads it, with
// its problems.
func readCarefully(doc []byte) (Enrollment, error) {
	var v Enrollment
	err := decodeWith(doc, "an enrollment", func(o wire.Object) { v = readEnrollment(o) }, func() error { return v.Validate() })
	return v, err
}

// TestScanEnrollmentAgreesWithTheCarefulReader pins the seeds: the fast
// reader takes the plain ones, and leaves the rest to the careful one.
func TestScanEnrollmentAgreesWithTheCarefulReader(t *testing.T) {
	took := 0
	for _, doc := range enrollmentSeeds {
		if checkScanEnrollment(t, doc) {
			took++
		}
	}
	if took != 5 {
		t.Errorf("the fast reader took %d of the seeds, want the 5 that are valid and plainly written", took)
	}
}

// TestEnrollmentUnmarshalEitherWay: whichever reader reads a seed,
// UnmarshalJSON gives what the careful reader gives, or leaves its target
// alone with the careful reader's problems.
func TestEnrollmentUnmarshalEitherWay(t *testing.T) {
	opt := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	for _, doc := range enrollmentSeeds {
		careful, want := readCarefully([]byte(doc))
		got := Enrollment{ID: "untouched"}
		err := got.UnmarshalJSON([]byte(doc))
		if diff := cmp.Diff(Problems(want), Problems(err)); diff != "" {
			t.Errorf("%s: problems (-careful +UnmarshalJSON):\n%s", doc, diff)
		}
		if want != nil {
			careful = Enrollment{ID: "untouched"}
		}
		if diff := cmp.Diff(careful, got, opt, cmp.AllowUnexported(Date{})); diff != "" {
			t.Errorf("%s: (-careful +UnmarshalJSON):\n%s", doc, diff)
		}
	}
}

// FuzzScanEnrollment: whenever the fast reader takes a document, the
// careful reader reads the same enrollment from it, without a problem.
func FuzzScanEnrollment(f *testing.F) {
	for _, s := range enrollmentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) { checkScanEnrollment(t, doc) })
}

func checkScanEnrollment(t *testing.T, doc string) bool {
	t.Helper()
	fast, ok := scanEnrollment(doc)
	ok = ok && fast.Validate() == nil
	careful, err := readCarefully([]byte(doc))
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("%s: the fast reader took it, the careful one says %v", doc, err)
	}
	opt := cmp.Options{cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
		cmp.Comparer(func(a, b Date) bool { return a == b })}
	if diff := cmp.Diff(careful, fast, opt); diff != "" {
		t.Fatalf("%s: the readers differ (-careful +fast):\n%s", doc, diff)
	}
	var viaJSON Enrollment
	if err := viaJSON.UnmarshalJSON([]byte(doc)); err != nil || cmp.Diff(careful, viaJSON, opt) != "" {
		t.Fatalf("%s: UnmarshalJSON = %+v, %v; want %+v", doc, viaJSON, err, careful)
	}
	return true
}
