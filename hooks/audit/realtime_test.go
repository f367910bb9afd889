package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// An audited save still reaches realtime subscribers who are not
// superusers: the organizer page's live counters depend on it. (The audit
// transaction once leaked into the After*Success hooks, where PocketBase
// checks each subscriber's access rule on an already committed
// transaction, fails, and drops the event.)
func TestAuditedSavesReachRealtimeSubscribers(t *testing.T) {
	app, w := testapp.New(t)
	if _, err := apis.NewRouter(app); err != nil { // binds PocketBase's realtime hooks
		t.Fatal(err)
	}
	organizer, err := app.FindRecordById("users", w.Staff[access.MeetupsManage])
	if err != nil {
		t.Fatal(err)
	}
	client := subscriptions.NewDefaultClient()
	client.Set(apis.RealtimeClientAuthKey, organizer)
	client.Subscribe("meetups/*", "registrations/*")
	app.SubscriptionsBroker().Register(client)

	var afterApp core.App
	app.OnModelAfterUpdateSuccess("meetups").BindFunc(func(e *core.ModelEvent) error {
		afterApp = e.App
		return e.Next()
	})

	meetup, err := app.FindRecordById("meetups", w.Meetup)
	if err != nil {
		t.Fatal(err)
	}
	meetup.Set("title", "Renamed")
	if err := app.Save(meetup); err != nil {
		t.Fatal(err)
	}
	expect(t, client, "meetups/*", "update")
	if afterApp == nil || afterApp.IsTransactional() {
		t.Errorf("After*Success hooks got the audit transaction (transactional: %v)", afterApp != nil && afterApp.IsTransactional())
	}

	// a save inside a domain transaction: delivered after its commit
	regs, _ := app.FindCollectionByNameOrId("registrations")
	err = app.RunInTransaction(func(tx core.App) error {
		r := core.NewRecord(regs)
		r.Set("meetup", w.Meetup)
		r.Set("user", w.Student2)
		r.Set("status", "registered")
		return tx.Save(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, client, "registrations/*", "create")
}

func expect(t *testing.T, c subscriptions.Client, topic, action string) {
	t.Helper()
	select {
	case msg := <-c.Channel():
		if msg.Name != topic || !strings.Contains(string(msg.Data), `"action":"`+action+`"`) {
			t.Errorf("got %s %s, want %s %s", msg.Name, msg.Data, topic, action)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("no %s event on %s for a non-superuser subscriber", action, topic)
	}
}
