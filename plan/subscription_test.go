package plan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vetplan/healthplan/plan"
)

// A subscription has no JSON of its own: encoding/json's default would
// write Go field names and drop the terms, a document nothing reads back.
func TestSubscriptionHasNoJSONOfItsOwn(t *testing.T) {
	sub := plan.Subscription{ID: "REX-1"}
	for name, v := range map[string]any{"value": sub, "pointer": &sub} {
		if b, err := json.Marshal(v); err == nil || !strings.Contains(err.Error(), "Enrollment") {
			t.Errorf("json.Marshal(%s) = %s, %v; want an error pointing to the contract or the enrollment", name, b, err)
		}
	}
	var got plan.Subscription
	err := json.Unmarshal([]byte(`{"ID": "REX-1"}`), &got)
	if err == nil || !strings.Contains(err.Error(), "contract") {
		t.Errorf("json.Unmarshal = %v; want an error pointing to the contract", err)
	}
	if got.ID != "" {
		t.Errorf("json.Unmarshal wrote ID %q into the subscription", got.ID)
	}
}
