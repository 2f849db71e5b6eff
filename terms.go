package healthplan

import (
	"errors"
	"fmt"

	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// TermsRef names the terms a contract was sold on: the plan's id and the
// digest of the terms' canonical document ([plan.Digest]). A contract
// document carries it instead of the terms, so that its size and the cost
// of loading it do not depend on the catalog.
type TermsRef struct {
	Plan   string
	Digest string
}

// RefOf is the reference to t.
func RefOf(t *plan.Terms) TermsRef { return TermsRef{Plan: t.PlanID(), Digest: t.Digest()} }

// String writes "dog-m@sha256:...".
func (r TermsRef) String() string { return r.Plan + "@" + r.Digest }

// AppendJSON appends the reference as a contract document writes it,
// {"plan": "dog-m", "terms": "sha256:..."}.
func (r TermsRef) AppendJSON(b []byte) []byte {
	b = append(b, `{"plan":`...)
	b = wire.AppendString(b, r.Plan)
	b = append(b, `,"terms":`...)
	b = wire.AppendString(b, r.Digest)
	return append(b, '}')
}

// MarshalJSON writes the reference as AppendJSON does.
func (r TermsRef) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// UnmarshalJSON reads {"plan", "terms"}, both required, reporting every
// problem at once, each a *plan.ValidationError with its JSON path.
func (r *TermsRef) UnmarshalJSON(b []byte) error {
	ref, err := readTermsRef(string(b), "")
	if err != nil {
		return err
	}
	*r = ref
	return nil
}

func readTermsRef(doc, path string) (TermsRef, error) {
	s := wire.NewScanner(doc, path)
	var ref TermsRef
	var seen [2]bool
	if s.Object("a terms reference {\"plan\", \"terms\"}") {
		for {
			k, ok := s.Key()
			if !ok {
				break
			}
			switch {
			case k == "plan" && !seen[0]:
				seen[0] = true
				ref.Plan, _ = s.String()
			case k == "terms" && !seen[1]:
				seen[1] = true
				ref.Digest, _ = s.String()
			case k == "plan" || k == "terms":
				s.Duplicate(k)
			default:
				s.Unknown(k, "a terms reference", "plan", "terms")
			}
		}
		if ref.Plan == "" {
			s.ReportAt("plan", "", "is missing; want the id of the plan the terms are of")
		}
		if ref.Digest == "" {
			s.ReportAt("terms", "", "is missing; want the digest of the terms, sha256:<hex>")
		}
	}
	s.End()
	return ref, s.Result()
}

// TermsSource gives the terms a reference names: the host's store of terms
// documents, filled once per plan version and shared by every contract.
// Loading a contract asks it for the contract's terms, and never decodes
// or validates terms it holds. An implementation returns an error wrapping
// [ErrUnknownTerms] for a reference it does not hold; any other error (a
// database that is down) is passed on as it is.
type TermsSource interface {
	Terms(ref TermsRef) (*plan.Terms, error)
}

// Errors a caller may branch on with errors.Is.
var (
	// ErrUnknownTerms: the source holds no terms with that reference.
	ErrUnknownTerms = errors.New("no terms with that reference")
	// ErrTermsMismatch: the source's terms for a reference are not the
	// terms the reference names (another plan, or another digest).
	ErrTermsMismatch = errors.New("terms do not match their reference")
	// ErrVersion: the document is of a version this library does not
	// read.
	ErrVersion = errors.New("unsupported document version")
)

// TermsMap is a ready TermsSource: terms by digest. Fill it with Add
// before sharing it; it is then safe for any number of concurrent loads
// (as long as nothing adds to it meanwhile).
type TermsMap map[string]*plan.Terms

// Add puts t in the map and returns its reference.
func (m TermsMap) Add(t *plan.Terms) TermsRef {
	ref := RefOf(t)
	m[ref.Digest] = t
	return ref
}

// Terms returns the terms with ref's digest.
func (m TermsMap) Terms(ref TermsRef) (*plan.Terms, error) {
	t, ok := m[ref.Digest]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownTerms, ref)
	}
	return t, nil
}
