package tickets_test

import (
	"sync"
	"testing"
	"time"

	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

// Without QB_TICKET_SECRET the key is generated once and stored: twenty
// signers starting at once (as many processes would) end up with one
// stored key and sign alike, and a signer built later (a restart) still
// accepts their codes. A configured secret signs differently.
func TestStoredKeyIsGeneratedOnce(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	const n = 20
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			codes[i], errs[i] = tickets.New(app, "").Sign(tickets.Registration, w.Registration)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("signer %d: %v", i, errs[i])
		}
		if codes[i] != codes[0] {
			t.Fatalf("signers disagree: %q and %q", codes[i], codes[0])
		}
	}
	var rows int
	if err := app.DB().NewQuery("SELECT count(*) FROM app_state WHERE key = 'ticket_secret'").Row(&rows); err != nil || rows != 1 {
		t.Fatalf("%d stored keys (%v), want 1", rows, err)
	}
	if got, err := tickets.New(app, "").Verify(codes[0], time.Now()); err != nil || got.ID != w.Registration {
		t.Errorf("after a restart the code verifies as %+v, %v", got, err)
	}
	if _, err := tickets.New(app, "another-secret").Verify(codes[0], time.Now()); tickets.ReasonOf(err) != "invalid_signature" {
		t.Errorf("a code of the stored key under another secret: %v", err)
	}
}
