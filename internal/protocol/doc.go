// Package protocol is the engine from any language: the library's
// operations as one JSON protocol, answered by [Engine.Do] with exactly
// the same bytes whatever carries them (examples/serve speaks it over
// standard input and output, HTTP and WebAssembly).
//
// A request is one JSON object,
//
//	{"id": <any JSON value, echoed back>, "op": "<operation>", ...fields}
//
// and its response one line of compact JSON, either
//
//	{"id": ..., "result": {...}, "contract": {...}}
//
// where "contract" is the contract's new document for an operation that
// changes a contract (create, commit, reverse, adjust, pay, terminate,
// renew), or
//
//	{"id": ..., "error": {"code": "...", "message": "...", "problems": [{"path", "value", "reason"}]}}
//
// with a stable code ([Codes]) and every problem's JSON path in the
// request (a malformed request also has "line" and "column").
//
// Fields are named as in the scenario format, and read by the same
// readers: a visit's "date", "invoice" and "lines", a payment's "date",
// "amount" and "status", a termination's "date" and "reason", a renewal's
// "as" and "patient". Money, quantities and percentages are decimal
// strings (JSON numbers are read exactly, never through float64); results
// write amounts with the currency's minor units.
//
// An enrollment ("subscription" of create) is the contract document's:
// {"id", "client", "patient", "start", "payment", "interval", "multiPet"}.
//
// The operations on a contract carry its document in "contract", as the
// last response that changed it returned it (healthplan.Load reads it),
// and its terms inline in "terms" unless the engine holds them: the terms
// operation puts terms in the engine's bounded cache and returns their
// reference {"plan", "terms": "sha256:..."}, which the contract document
// carries and create and renew may give as "termsRef" and
// "nextTermsRef". A request naming terms the engine does not hold is
// answered [CodeUnknownTerms]; the client sends the terms and retries. The
// operations, their fields besides "id" and "op", and their results:
//
//	terms         terms | catalog, plan            {"termsRef", "terms"}: the reference and the canonical terms document
//	create        terms | termsRef, subscription   {"subscription", "plan", "start", "end", "warnings"}, contract
//	quote         contract, terms?, date, invoice, lines      the visit's lines and total (allowance.Result)
//	commit        contract, terms?, date, invoice, lines      the same, recorded; contract
//	reverse       contract, terms?, invoice, line             {"restored"}; contract
//	adjust        contract, terms?, rule, units               {"rule", "used", "remaining"}; contract
//	pay           contract, terms?, date, amount, status      the standing on the payment's date; contract
//	standing      contract, terms?, date                      {"paid", "due", "arrears", "status", "nextDue", "daysPastDue", "overdueSince", "pastDue", "retryDates", "cancelDue"}
//	entitlements  contract, terms?, date                      {"rules"}
//	schedule      contract, terms?                            {"installments", "total"}
//	statement     contract, terms?, date                      the client statement (debt.Statement)
//	settle        contract, terms?, date, reason, repayMonths?, override?
//	                                                          {"settlement"}: the itemised cost to cancel that day
//	terminate     contract, terms?, date, reason, repayMonths?, override?
//	                                                          {"settlement"}; contract
//	renew         contract, terms?, as, patient?, nextTerms | nextTermsRef
//	                                                          {"subscription", "plan", "start", "end", "warnings", "contract": the new contract}; contract: the renewed one
//	eligibility   catalog, date, patient                      {"plans": [{"plan", "eligible", "reasons"}]}
//	validate      catalog                                     {"plans": [{"plan", "terms"}]}: each plan's terms reference
//	lint          terms | termsRef | catalog, plan            {"warnings": [{"path", "code", "message"}]}, paths in the terms (or catalog) document
//	exposure      terms | termsRef | catalog, plan; start, prices, cap?, unitsCap?, payment?, interval?, multiPet?
//	                                                          the exposure report: {"peak", "curve", "paying", "claim", "delays", "worstClient"} or {"unbounded"}
//	replay        scenario                                    {"events": [...]}: each event's result as examples/replay prints it
//
// A request is answered whole or refused whole: a refused request changes
// nothing (the client keeps the contract it sent). Every problem with a
// request's fields is reported at once, ordered by field as listed above.
// The library's own paths become paths in the request: "lines[1].qty",
// "contract.usage.visits[0].date", "terms.plan.rules[2].discountPercent",
// "scenario.plans[0].termMonths"; where the library names the
// subscription an operation was refused for, the path is "contract".
//
// The engine holds nothing but the cache, so any number of engines (and
// servers) answer alike; [Engine.Do] is safe for concurrent use and never
// panics on what a request holds ([FuzzHandle] in the tests).
package protocol
