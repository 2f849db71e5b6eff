package healthplan

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Version is the version of the contract document this library writes,
// and the only one it reads.
const Version = 1

// The contract document:
//
//	{"version": 1, "revision": 7,
//	 "terms": {"plan": "dog-m", "terms": "sha256:..."},
//	 "subscription": {"id": "S1", "client": "C1", "patient": {...}, "start": "2026-01-10", "payment": "monthly"},
//	 "usage": {"visits": [...], "adjustments": [...]},
//	 "payments": [{"date": "2026-01-10", "amount": "15.00", "status": "taken"}],
//	 "termination": null,
//	 "renewedAs": ""}
//
// "terms" names the terms by plan id and digest; "subscription" is the
// enrollment (plan.Enrollment's JSON); "usage" is the ledger
// (allowance.Ledger's JSON, its lines as compact arrays); "payments" are
// billing's, in the order recorded; "termination" is null or {"date",
// "reason", "settlement"} with the settlement's figures as they were
// settled (debt.Summary's JSON); "renewedAs" is the id of the contract
// that renewed this one, or "". Suspension periods are not stored: they
// are derived from the payments.

// MarshalJSON writes the contract document. The encoding is canonical: the
// same contract always gives the same bytes, and Load gives back an equal
// contract.
func (c *Contract) MarshalJSON() ([]byte, error) {
	return c.AppendJSON(make([]byte, 0, 512+64*c.ledger.Len())), nil
}

// AppendJSON appends the contract document to dst, as MarshalJSON writes
// it; a host encoding many contracts can reuse one buffer.
func (c *Contract) AppendJSON(dst []byte) []byte {
	t := c.sub.Terms
	b := append(dst, `{"version":`...)
	b = strconv.AppendInt(b, Version, 10)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, c.revision, 10)
	b = append(b, `,"terms":`...)
	b = RefOf(t).AppendJSON(b)
	b = append(b, `,"subscription":`...)
	b = c.sub.Enrollment().AppendJSON(b)
	b = append(b, `,"usage":`...)
	b = c.ledger.AppendJSON(b)
	b = append(b, `,"payments":`...)
	b = c.account.AppendJSON(b, t.Currency())
	b = append(b, `,"termination":`...)
	if tm := c.sub.Termination; tm == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"date":"`...)
		b, _ = tm.Date.AppendText(b)
		b = append(b, `","reason":`...)
		b = wire.AppendString(b, tm.Reason)
		b = append(b, `,"settlement":`...)
		sum, _ := debt.Summary{Settlement: *c.settlement}.MarshalJSON()
		b = append(b, sum...)
		b = append(b, '}')
	}
	b = append(b, `,"renewedAs":`...)
	b = wire.AppendString(b, c.renewedAs)
	return append(b, '}')
}

var documentFields = [...]string{"version", "revision", "terms", "subscription", "usage", "payments", "termination", "renewedAs"}

// Load reads a contract document, taking its terms from src. It never
// decodes or validates the terms themselves (src holds them, built once),
// so its cost does not depend on the size of the catalog. It refuses, with
// every problem at once, each a *plan.ValidationError with its JSON path:
// a document of another version ([ErrVersion]), a terms reference src does
// not hold ([ErrUnknownTerms]) or whose terms do not match it
// ([ErrTermsMismatch]), an unknown field, and usage, payments or a
// termination the terms could not have given (usage beyond an allowance,
// a split on a rule of another group, ...). Malformed JSON is a
// *wire.SyntaxError-like error with its line and column. An error from src
// other than ErrUnknownTerms is returned as it is.
func Load(doc []byte, src TermsSource) (*Contract, error) {
	s := wire.NewScanner(string(doc), "")
	ld := loader{src: src}
	if s.Object("a contract document") {
		for {
			k, ok := s.Key()
			if !ok {
				break
			}
			f := slices.Index(documentFields[:], k)
			switch {
			case f < 0:
				s.Unknown(k, "a contract document", documentFields[:]...)
			case ld.seen[f]:
				s.Duplicate(k)
			case (k == "usage" || k == "payments") && ld.has("version", "revision", "terms", "subscription"):
				// In the order the library writes, the terms and the
				// enrollment come first: the usage, the long part, and the
				// payments are then read in this one pass.
				if err := ld.head(); err != nil {
					return nil, err
				}
				ld.seen[f] = true
				if ld.sub == nil {
					ld.raw[f] = s.Raw()
					continue
				}
				ld.read[f] = true
				if k == "usage" {
					ld.ledger, _ = allowance.ReadLedger(s, ld.sub) // problems go to s
				} else {
					ld.account, _ = billing.ReadAccount(s, ld.sub) // the same
				}
			default:
				ld.seen[f] = true
				ld.raw[f] = s.Raw()
			}
		}
	}
	s.End()
	if s.Failed() {
		return nil, s.Err()
	}
	for _, f := range []string{"version", "revision", "terms", "subscription"} {
		if _, ok := ld.get(f); !ok && len(s.Problems) == 0 {
			s.ReportAt(f, "", "is missing; a contract document has "+fmt.Sprint(documentFields))
		}
	}
	if len(s.Problems) > 0 && ld.sub == nil {
		return nil, s.Result()
	}
	if err := ld.head(); err != nil {
		return nil, err
	}
	if ld.sub == nil {
		return nil, errors.Join(ld.list...)
	}
	list, sub := append(ld.list, wire.ErrorList(s.Problems)...), ld.sub
	c := &Contract{revision: ld.revision, ledger: ld.ledger, account: ld.account}
	var err error
	if u, ok := ld.get("usage"); ok {
		if c.ledger, err = allowance.DecodeLedgerString(sub, u); err != nil {
			list = append(list, plan.WithPathPrefix("usage", err))
		}
	} else if c.ledger == nil {
		c.ledger, _ = allowance.NewLedger(sub) // sub was validated
	}
	if p, ok := ld.get("payments"); ok {
		if c.account, err = billing.DecodeAccount(sub, []byte(p)); err != nil {
			list = append(list, plan.WithPathPrefix("payments", err))
		}
	}
	if tm, ok := ld.get("termination"); ok && tm != "null" {
		if err := c.readTermination(sub, tm); err != nil {
			list = append(list, plan.WithPathPrefix("termination", err))
		}
	}
	if r, ok := ld.get("renewedAs"); ok {
		rs := wire.NewScanner(r, "renewedAs")
		c.renewedAs, _ = rs.String()
		if c.renewedAs == sub.ID {
			rs.Report(c.renewedAs, "is the contract's own id; a renewal has a new id")
		}
		if err := rs.Result(); err != nil {
			list = append(list, err)
		}
	}
	if len(list) > 0 {
		return nil, errors.Join(list...)
	}
	c.sub = *sub
	c.deriveSuspensions()
	return c, nil
}

// loader is a contract document being loaded: its fields as written, and
// what the head of it (version, revision, terms, enrollment) gave.
type loader struct {
	src TermsSource
	// By place in documentFields: whether the field was seen, its text
	// when kept to read later, and whether it was read in the first pass.
	seen, read [len(documentFields)]bool
	raw        [len(documentFields)]string
	done       bool
	revision   int64
	sub        *plan.Subscription // nil when the terms or the enrollment have problems
	list       []error            // the head's problems
	ledger     *allowance.Ledger  // the usage, when read in the first pass
	account    billing.Account    // the payments, when read in the first pass
}

// get returns a field's text as written, and whether it was kept.
func (ld *loader) get(field string) (string, bool) {
	f := slices.Index(documentFields[:], field)
	return ld.raw[f], ld.seen[f] && !ld.read[f]
}

func (ld *loader) has(fields ...string) bool {
	for _, f := range fields {
		if !ld.seen[slices.Index(documentFields[:], f)] {
			return false
		}
	}
	return true
}

// head reads the version, the revision, the terms and the enrollment,
// once. It returns an error only for what stops the load at once: another
// version, or a terms source that failed; problems go to ld.list.
func (ld *loader) head() error {
	if ld.done {
		return nil
	}
	ld.done = true
	if v := ld.raw[0]; v != strconv.Itoa(Version) {
		return &plan.ValidationError{Path: "version", Value: v, Err: ErrVersion,
			Reason: fmt.Sprintf("is not a version this library reads; it reads version %d", Version)}
	}
	rev, err := strconv.ParseInt(ld.raw[1], 10, 64)
	if err != nil || rev < 0 {
		ld.list = append(ld.list, &plan.ValidationError{Path: "revision", Value: ld.raw[1], Reason: "is not a revision; want a whole number 0 or more"})
	}
	ld.revision = rev
	terms, err := loadTerms(ld.raw[2], ld.src)
	var invalid *plan.ValidationError
	if err != nil && !errors.As(err, &invalid) {
		return err // the source failed: not a problem with the document
	}
	if err != nil {
		ld.list = append(ld.list, err)
		return nil
	}
	var in plan.Enrollment
	if err := in.UnmarshalJSON([]byte(ld.raw[3])); err != nil {
		ld.list = append(ld.list, plan.WithPathPrefix("subscription", err))
		return nil
	}
	sub, err := terms.Subscribe(in)
	if err != nil {
		ld.list = append(ld.list, plan.WithPathPrefix("subscription", err))
		return nil
	}
	ld.sub = sub
	return nil
}

// loadTerms reads {"plan", "terms"} and takes the terms from src.
func loadTerms(doc string, src TermsSource) (*plan.Terms, error) {
	ref, err := readTermsRef(doc, "terms")
	if err != nil {
		return nil, err
	}
	t, err := src.Terms(ref)
	switch {
	case errors.Is(err, ErrUnknownTerms):
		return nil, &plan.ValidationError{Path: "terms.terms", Value: ref.Digest, Err: ErrUnknownTerms,
			Reason: fmt.Sprintf("names terms of plan %q that the terms source does not hold; add them to it first", ref.Plan)}
	case err != nil:
		return nil, fmt.Errorf("healthplan: loading terms %s: %w", ref, err)
	case t.IsZero():
		return nil, fmt.Errorf("healthplan: the terms source gave the zero Terms for %s", ref)
	case t.Digest() != ref.Digest:
		return nil, &plan.ValidationError{Path: "terms.terms", Value: ref.Digest, Err: ErrTermsMismatch,
			Reason: fmt.Sprintf("is not the digest of the terms the source gives for it (%s)", t.Digest())}
	case t.PlanID() != ref.Plan:
		return nil, &plan.ValidationError{Path: "terms.plan", Value: ref.Plan, Err: ErrTermsMismatch,
			Reason: fmt.Sprintf("is not the plan of the terms with that digest (%q)", t.PlanID())}
	}
	return t, nil
}

// readTermination reads {"date", "reason", "settlement"} onto sub.
func (c *Contract) readTermination(sub *plan.Subscription, doc string) error {
	s := wire.NewScanner(doc, "")
	var t plan.Termination
	var settlement string
	fields := []string{"date", "reason", "settlement"}
	seen := map[string]bool{}
	if s.Object("a termination {\"date\", \"reason\", \"settlement\"}") {
		for {
			k, ok := s.Key()
			if !ok {
				break
			}
			switch {
			case seen[k]:
				s.Duplicate(k)
				continue
			case k == "date":
				if v, ok := s.String(); ok {
					d, err := plan.ParseDate(v)
					if err != nil {
						s.Report(v, "is not a valid date; want YYYY-MM-DD")
					}
					t.Date = d
				}
			case k == "reason":
				if v, ok := s.String(); ok {
					if v == "" {
						s.Report("", "is empty; want a reason such as cancelled")
					}
					t.Reason = v
				}
			case k == "settlement":
				settlement = s.Raw()
			default:
				s.Unknown(k, "a termination", fields...)
				continue
			}
			seen[k] = true
		}
		for _, f := range fields {
			if !seen[f] {
				s.ReportAt(f, "", "is missing; a termination has a date, a reason and its settlement")
			}
		}
	}
	if err := s.Result(); err != nil {
		return err
	}
	if t.Reason == plan.ReasonExpired && t.Date.Before(sub.End()) {
		return &plan.ValidationError{Path: "date", Value: t.Date.String(), Err: debt.ErrNotExpired,
			Reason: fmt.Sprintf("is before the term's last day %s; reason expired is for a term that ran its course", sub.End())}
	}
	set, err := debt.DecodeSummary(sub, t, []byte(settlement))
	if err != nil {
		return plan.WithPathPrefix("settlement", err)
	}
	sub.Termination = &t
	c.settlement = &set
	return nil
}
