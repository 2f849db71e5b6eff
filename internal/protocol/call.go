package protocol

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// documents are the fields read by a document's own decoder; every other
// field is a plain value, read from one tree with the scenario's readers.
var documents = map[string]bool{
	"contract": true, "terms": true, "termsRef": true, "nextTerms": true, "nextTermsRef": true,
	"catalog": true, "scenario": true, "subscription": true,
}

// call is one request being answered: its fields, and the problems found
// reading them. Problems are collected, not returned, so that a request
// is refused with all of them at once.
type call struct {
	e    *Engine
	spec *operation
	env  *envelope
	// d holds the problems of the plain fields, o reads them.
	d wire.Decoder
	o wire.Object
	// problems are the documents' problems.
	problems []error
	// syntax is set when a field turned out to be malformed JSON: the
	// request is then answered as malformed, with its position.
	syntax bool
}

func newCall(e *Engine, spec *operation, env *envelope) *call {
	c := &call{e: e, spec: spec, env: env}
	keys := make(map[string]any, len(env.order))
	plain := make(map[string]any, len(env.order))
	for _, k := range env.order {
		keys[k] = nil
		raw := env.fields[k]
		if !slices.Contains(spec.fields, k) {
			c.checkSyntax(raw) // an unknown field is refused, but malformed JSON in it is malformed
			continue
		}
		if documents[k] {
			continue
		}
		var local wire.Decoder
		v, err := wire.Parse([]byte(raw), &local)
		if err != nil {
			c.syntax = true
			continue
		}
		for _, p := range local.Problems {
			c.d.Report(under(k, p.Path), p.Value, p.Reason)
		}
		plain[k] = v
	}
	all, _ := c.d.Object("", keys, "a request")
	all.Only(fmt.Sprintf("a %s request", spec.name), append([]string{"id", "op"}, spec.fields...)...)
	c.o, _ = c.d.Object("", plain, "a request")
	return c
}

// under puts a field's name before a path relative to the field's value.
func under(key, path string) string {
	switch {
	case path == "":
		return key
	case path[0] == '[':
		return key + path
	}
	return key + "." + path
}

func (c *call) checkSyntax(raw string) {
	s := wire.NewScanner(raw, "")
	s.Skip()
	s.End()
	if s.Failed() {
		c.syntax = true
	}
}

// failed reports whether any problem was found so far.
func (c *call) failed() bool {
	return c.syntax || len(c.problems) > 0 || len(c.d.Problems) > 0
}

// fail records err, a document's error, under the field key.
func (c *call) fail(key string, err error) {
	if err == nil {
		return
	}
	var se *wire.SyntaxError
	if errors.As(err, &se) {
		c.syntax = true
		return
	}
	c.problems = append(c.problems, plan.WithPathPrefix(key, err))
}

// report records a problem at path.
func (c *call) report(path, value, reason string) { c.d.Report(path, value, reason) }

// allProblems is every problem found, ordered by the field it is about in
// the operation's list of fields (the plain fields and the documents
// interleaved as the list says), unknown fields last.
func (c *call) allProblems() []error {
	list := append(wire.ErrorList(c.d.Problems), c.problems...)
	type keyed struct {
		at  int
		err error
	}
	var ks []keyed
	for _, e := range list {
		for _, p := range plan.Problems(e) {
			head := p.Path
			if i := strings.IndexAny(head, ".["); i >= 0 {
				head = head[:i]
			}
			at := slices.Index(c.spec.fields, head)
			if at < 0 {
				at = len(c.spec.fields)
			}
			ks = append(ks, keyed{at, p})
		}
		if len(plan.Problems(e)) == 0 {
			ks = append(ks, keyed{len(c.spec.fields), e})
		}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].at < ks[j].at })
	out := make([]error, len(ks))
	for i, k := range ks {
		out[i] = k.err
	}
	return out
}

func (c *call) has(key string) bool {
	raw, ok := c.env.fields[key]
	return ok && raw != "null"
}

// missing reports a document field that is missing.
func (c *call) missing(key, want string) { c.report(key, "", "is missing; want "+want) }

// termsDoc reads the terms document in the field key.
func (c *call) termsDoc(key string) *plan.Terms {
	var t plan.Terms
	if err := t.UnmarshalJSON([]byte(c.env.fields[key])); err != nil {
		c.fail(key, err)
		return nil
	}
	return &t
}

// termsRef reads {"plan", "terms"} in the field key and finds the terms
// it names in the cache.
func (c *call) termsRef(key string) *plan.Terms {
	var ref healthplan.TermsRef
	if err := ref.UnmarshalJSON([]byte(c.env.fields[key])); err != nil {
		c.fail(key, err)
		return nil
	}
	t, err := c.e.terms.Terms(ref)
	if err != nil {
		c.problems = append(c.problems, &plan.ValidationError{Path: key + ".terms", Value: ref.Digest, Err: healthplan.ErrUnknownTerms,
			Reason: unknownTermsReason})
		return nil
	}
	if t.PlanID() != ref.Plan {
		c.problems = append(c.problems, &plan.ValidationError{Path: key + ".plan", Value: ref.Plan, Err: healthplan.ErrTermsMismatch,
			Reason: fmt.Sprintf("is not the plan of the terms with that digest (%q)", t.PlanID())})
		return nil
	}
	return t
}

// eitherTerms reads the terms given inline in the field inline or by
// reference in the field ref, exactly one of them.
func (c *call) eitherTerms(inline, ref string) *plan.Terms {
	switch {
	case c.has(inline) && c.has(ref):
		c.report(ref, "", "is given with "+inline+"; give the terms inline or by reference, not both")
	case c.has(inline):
		return c.termsDoc(inline)
	case c.has(ref):
		return c.termsRef(ref)
	default:
		c.missing(inline, fmt.Sprintf("the terms document {\"currency\", \"groups\", \"plan\"}, or %s {\"plan\", \"terms\"} naming terms sent with the terms operation", ref))
	}
	return nil
}

// contract loads the contract document, with the terms given inline when
// the request has them and else those the engine holds.
func (c *call) contract() *healthplan.Contract {
	var src healthplan.TermsSource = c.e.terms
	if c.has("terms") {
		t := c.termsDoc("terms")
		if t == nil {
			return nil
		}
		src = oneTerms{t}
	}
	if !c.has("contract") {
		c.missing("contract", "the contract document, as the last response that changed it returned it")
		return nil
	}
	k, err := healthplan.Load([]byte(c.env.fields["contract"]), src)
	if err != nil {
		c.fail("contract", retold(err))
		return nil
	}
	return k
}

// retold says what a client of the engine does about terms it does not
// hold, where the library speaks to a host about its terms source.
func retold(err error) error {
	return wire.Rewrite(err, func(v *plan.ValidationError) {
		if v.Err == healthplan.ErrUnknownTerms {
			v.Reason = unknownTermsReason
		}
	})
}

const unknownTermsReason = "names terms the engine does not hold; send them with the terms operation, or inline as \"terms\", and retry"

// catalog reads the catalog document in the field key.
func (c *call) catalog(key string) *plan.Catalog {
	if !c.has(key) {
		c.missing(key, `the catalog {"currency", "groups", "plans"}`)
		return nil
	}
	var cat plan.Catalog
	if err := cat.UnmarshalJSON([]byte(c.env.fields[key])); err != nil {
		c.fail(key, err)
		return nil
	}
	return &cat
}

// enrollment reads the enrollment in the field key, as a contract
// document's "subscription" holds it.
func (c *call) enrollment(key string) (plan.Enrollment, bool) {
	var in plan.Enrollment
	if !c.has(key) {
		c.missing(key, `the enrollment {"id", "client", "patient", "start", "payment", "multiPet"}`)
		return in, false
	}
	if err := in.UnmarshalJSON([]byte(c.env.fields[key])); err != nil {
		c.fail(key, err)
		return in, false
	}
	return in, true
}

// onContract names the contract where the library names the subscription
// an operation was refused for.
func onContract(err error) error {
	if err == nil {
		return nil
	}
	return wire.Rewrite(err, func(v *plan.ValidationError) {
		if v.Path == "subscription" {
			v.Path = "contract"
		}
	})
}
