// Package healthplan is the front door of the library: a [Contract] is one
// pet's health-plan subscription, its whole state in one value, with the
// calls a practice-management system makes on it at every invoice, and one
// compact document the system stores.
//
//	terms, _ := catalog.Terms("dog-m")                 // the plan as sold, validated once
//	c, _ := healthplan.New(terms, plan.Enrollment{ID: "S1", Client: "C1", Start: start})
//	res, _ := c.Commit(visit)                          // which lines the plan discounts, by how much
//	doc, _ := c.MarshalJSON()                          // store doc with c.Revision()
//	c, _ = healthplan.Load(doc, source)                // at the next invoice
//
// The calls: [New] sells a contract; [Contract.Quote] and
// [Contract.Commit] price a visit (package allowance's rules);
// [Contract.Reverse] undoes a line, [Contract.Adjust] imports usage;
// [Contract.Pay] records a payment and [Contract.Standing] says where the
// account stands (package billing); [Contract.Entitlements],
// [Contract.Schedule] and [Contract.Statement] are what a screen or a
// client letter shows; [Contract.Settle] is the cost to cancel on a date
// and [Contract.Terminate] ends the contract with exactly that settlement
// (package debt); [Contract.Renew] starts the next contract. The packages
// plan, allowance, billing and debt document the rules; every result type
// there owns its JSON.
//
// Before a plan is sold, its designer asks the plan and package debt:
// plan.Terms.Lint lists what looks wrong in it, debt.Exposure what a
// client can take in core treatments and walk away from, on which day,
// what the plan's settlement would claim back and which windows to move,
// and debt.Timeline draws it.
//
// # The contract document
//
// [Contract.MarshalJSON] writes the document and [Load] reads it:
//
//	{"version": 1, "revision": 7,
//	 "terms": {"plan": "dog-m", "terms": "sha256:<hex>"},
//	 "subscription": {...}, "usage": {...}, "payments": [...],
//	 "termination": null, "renewedAs": ""}
//
// The terms travel by reference: the plan's id and the digest of the
// terms' canonical document (plan.Terms.MarshalJSON, hashed by
// plan.Digest). The host stores each terms document once per plan version
// and gives Load a [TermsSource] ([TermsMap] is a ready one) that holds
// them, built once; loading a contract never decodes or validates terms
// the source holds, so it costs the same whatever the size of the catalog,
// and little per line of history (a committed line is a compact array in
// "usage"). A reference the source does not hold, or a digest that does
// not match, is refused with an error naming it.
//
// The encoding is canonical: the same contract always gives the same
// bytes, and loading what was written gives an equal contract. "version"
// is the document's schema version ([Version]); a document of another
// version is refused with an error saying which version this library
// reads. Unknown fields are refused, as everywhere in the library.
//
// # Revisions and concurrent invoices
//
// The revision starts at 0 and rises by exactly one with every operation
// that changes the contract: a commit that records something, a reversal,
// an adjustment, a payment, a termination, a renewal (of the contract
// renewed; the new one starts at 0). Quotes, previews, standings,
// statements and the idempotent replay of a committed visit leave it.
// A host stores a contract with compare-and-swap on the revision,
//
//	UPDATE contracts SET doc = $new, revision = $r + 1
//	WHERE id = $id AND revision = $r
//
// and, when no row was updated (another invoice for the same pet won the
// race), loads the contract again and retries the operation. Two invoices
// at once then never lose an update or consume an allowance twice; the
// idempotency of commits per invoice line makes a retry after a crash safe.
//
// # No argument is changed behind the caller's back
//
// Operations on a contract change that contract only, and only when they
// succeed. The lower packages never write into what they are handed: a
// subscription's suspension periods are derived from its payments
// (billing.Suspensions), and a termination is returned (debt.Terminate)
// for its owner, the Contract, to record.
package healthplan
