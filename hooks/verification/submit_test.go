package verification_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/hook"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/notify"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

// submitted checks that a user's photo is stored with the given bytes and
// that the user is pending, notified once and audited as a submission.
func submitted(id string, photo []byte, actorKind string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		u := load(t, app, id)
		if u.Status != verification.StatusPending || u.SubmittedAt == "" || u.Note != "" || u.ReviewedBy != "" || u.ReviewedAt != "" {
			t.Errorf("after a new photo: %+v, want pending with a submission time and no decision", u)
		}
		if got, ok := stored(t, app, userRecord(t, app, id), u.Photo); !ok || !bytes.Equal(got, photo) {
			t.Errorf("photo %q not stored as uploaded (found: %v)", u.Photo, ok)
		}
		msgs := messages(t, app, id)
		if len(msgs) != 1 || msgs[0].Kind != notify.KindVerificationPending || msgs[0].Key != "verification:"+id+":submitted:"+u.SubmittedAt {
			t.Errorf("notifications %+v, want one %s keyed by the submission time", msgs, notify.KindVerificationPending)
		}
		if a := actions(t, app, id); len(a) != 1 || a[0].Action != "submit" || a[0].ActorKind != actorKind {
			t.Errorf("audit %+v, want one submit by a %s", a, actorKind)
		}
	}
}

// A new photo makes the status pending whoever uploads it: the student, a
// superuser, or a manager creating the account with a photo; a status sent
// along with the photo is overridden.
func TestNewPhotoMakesStatusPending(t *testing.T) {
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	photo := testapp.PNG(40, 30)
	saveEvents := map[string]int{
		"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1,
		"OnRecordCreate": 0, // nothing to archive: the fixture students have no photo yet
	}

	studentBody, studentHeaders := photoBody(w.Auth(w.Student), photo, nil)
	superBody, superHeaders := photoBody(w.Auth(w.Superuser), photo, map[string]string{"verification_status": "approved"})
	createBody, createHeaders := photoBody(w.Auth(w.Staff[access.UsersManage]), photo, map[string]string{"first_name": "Новый", "password": "password123456", "passwordConfirm": "password123456"})

	scenarios := []tests.ApiScenario{
		{
			Name: "the student uploads their photo", Method: http.MethodPatch, URL: "/api/collections/users/records/" + w.Student,
			Body: studentBody, Headers: studentHeaders, ExpectedStatus: 200,
			ExpectedContent: []string{`"verification_status":"pending"`, `"verification_photo":"card_`},
			ExpectedEvents:  saveEvents,
			AfterTestFunc:   submitted(w.Student, photo, audit.KindUser),
		},
		{
			Name: "a superuser uploads a photo for the student, asking for approved", Method: http.MethodPatch, URL: "/api/collections/users/records/" + w.Student,
			Body: superBody, Headers: superHeaders, ExpectedStatus: 200,
			ExpectedContent: []string{`"verification_status":"pending"`},
			ExpectedEvents:  saveEvents,
			AfterTestFunc:   submitted(w.Student, photo, audit.KindSuperuser),
		},
		{
			Name: "a manager creates a student with a photo", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body: createBody, Headers: createHeaders, ExpectedStatus: 200,
			ExpectedContent: []string{`"verification_status":"pending"`, `"first_name":"Новый"`},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 1, "OnRecordCreate": 1, "OnRecordAfterCreateSuccess": 1, "OnRecordUpdate": 0},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var rec struct{ ID string }
				if err := json.NewDecoder(res.Body).Decode(&rec); err != nil {
					t.Fatal(err)
				}
				u := load(t, app, rec.ID)
				if u.Status != verification.StatusPending || u.SubmittedAt == "" {
					t.Errorf("created user %+v, want pending", u)
				}
				if msgs := messages(t, app, rec.ID); len(msgs) != 1 || msgs[0].Kind != notify.KindVerificationPending {
					t.Errorf("notifications %+v, want one pending", msgs)
				}
				// the log shows the account's creation, not a submission
				if a := actions(t, app, rec.ID); len(a) != 0 {
					t.Errorf("verification audit rows %+v for a new account", a)
				}
			},
		},
	}
	for _, sc := range scenarios {
		sc.TestAppFactory = factory
		sc.Test(t)
	}
}

// Replacing a photo through the API keeps the old one in the archive, with
// the status it had, and restarts review.
func TestReplacedPhotoIsArchivedThroughAPI(t *testing.T) {
	w := testapp.Fixtures(t)
	first, second := testapp.PNG(20, 20), testapp.PNG(30, 30)
	body, headers := photoBody(w.Auth(w.Student), second, nil)
	var firstName string
	(&tests.ApiScenario{
		Method: http.MethodPatch, URL: "/api/collections/users/records/" + w.Student,
		Body: body, Headers: headers, ExpectedStatus: 200,
		ExpectedContent: []string{`"verification_status":"pending"`},
		ExpectedEvents: map[string]int{
			"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1,
			"OnRecordCreate": 1, "OnRecordAfterCreateSuccess": 1, // the archive row
		},
		TestAppFactory: testapp.Factory(testapp.Options{}),
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			firstName = upload(t, app, w.Student, first, actorUser(t, app, w.Student))
			mustSetStatus(t, app, w.Student, verification.StatusRejected, "blurry", actorUser(t, app, w.Staff[access.VerificationReview]))
		},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			u := load(t, app, w.Student)
			if u.Status != verification.StatusPending || u.Note != "" || u.Photo == firstName {
				t.Errorf("after replacing: %+v", u)
			}
			rows := archived(t, app, w.Student)
			if len(rows) != 1 {
				t.Fatalf("%d archive rows, want 1", len(rows))
			}
			row := rows[0]
			if row.GetString("status") != verification.StatusRejected || row.GetString("note") != "blurry" || row.GetString("reviewed_by") != w.Staff[access.VerificationReview] {
				t.Errorf("archive row %v does not keep the rejected decision", row.FieldsData())
			}
			if got, ok := stored(t, app, row, row.GetString("photo")); !ok || !bytes.Equal(got, first) {
				t.Error("the archived copy does not hold the first photo's bytes")
			}
			// PocketBase deleted the replaced file from the user's folder
			if _, ok := stored(t, app, userRecord(t, app, w.Student), firstName); ok {
				t.Error("the replaced photo is still in the user's folder")
			}
			if a := actions(t, app, row.Id); len(a) != 1 || a[0].Action != "archive" || a[0].ActorKind != audit.KindUser {
				t.Errorf("archive audit %+v", a)
			}
			var kinds []string
			for _, m := range messages(t, app, w.Student) {
				kinds = append(kinds, m.Kind)
			}
			if got := strings.Join(kinds, ","); got != "verification_pending,verification_rejected,verification_pending" {
				t.Errorf("notifications %s", got)
			}
		},
	}).Test(t)
}

// A student removing their own photo withdraws: the status goes back to
// none. A rejected photo stays archived for the retention period.
func TestOwnerRemovingPhotoWithdraws(t *testing.T) {
	app, w := testapp.New(t)
	student := actorUser(t, app, w.Student)
	upload(t, app, w.Student, testapp.PNG(10, 10), student)

	u := userRecord(t, app, w.Student)
	u.Set("verification_photo", "")
	if err := app.SaveWithContext(as(audit.Bot(u)), u); err != nil {
		t.Fatal(err)
	}
	if got := load(t, app, w.Student); got.Status != verification.StatusNone || got.Photo != "" || got.SubmittedAt != "" {
		t.Fatalf("after withdrawing a pending photo: %+v", got)
	}
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("a withdrawn pending photo was archived (%d rows)", n)
	}

	upload(t, app, w.Student, testapp.PNG(11, 11), student)
	mustSetStatus(t, app, w.Student, verification.StatusRejected, "not your card", audit.System)
	u = userRecord(t, app, w.Student)
	u.Set("verification_photo", "")
	if err := app.SaveWithContext(as(student), u); err != nil {
		t.Fatal(err)
	}
	if got := load(t, app, w.Student); got.Status != verification.StatusNone || got.Note != "" {
		t.Fatalf("after withdrawing a rejected photo: %+v", got)
	}
	rows := archived(t, app, w.Student)
	if len(rows) != 1 || rows[0].GetString("status") != verification.StatusRejected {
		t.Fatalf("the rejected photo was not archived: %d rows", len(rows))
	}
	a := actions(t, app, w.Student)
	if got := a[len(a)-1]; got.Action != "withdraw" {
		t.Fatalf("last audit action %q, want withdraw", got.Action)
	}
}

// A save from a copy loaded before the photo was uploaded (the bot
// changing the language, say) keeps the photo and the pending status.
func TestStaleCopyKeepsPhotoAndStatus(t *testing.T) {
	app, w := testapp.New(t)
	stale := userRecord(t, app, w.Student)
	name := upload(t, app, w.Student, testapp.PNG(12, 12), actorUser(t, app, w.Student))

	stale.Set("language", "en")
	if err := app.SaveWithContext(as(audit.Bot(stale)), stale); err != nil {
		t.Fatal(err)
	}
	u := load(t, app, w.Student)
	if u.Photo != name || u.Status != verification.StatusPending {
		t.Fatalf("a stale save changed verification: %+v", u)
	}
	if _, ok := stored(t, app, userRecord(t, app, w.Student), name); !ok {
		t.Fatal("a stale save deleted the photo file")
	}
}

// A save that fails after the archive copy was made leaves neither the
// archive row nor its file behind.
func TestFailedSaveLeavesNoArchive(t *testing.T) {
	app, w := testapp.New(t)
	upload(t, app, w.Student, testapp.PNG(13, 13), actorUser(t, app, w.Student))
	before := load(t, app, w.Student)
	// outside the verification hook (and inside the audit transaction):
	// fails after the archive row was written
	var copied *core.Record
	app.OnRecordUpdate("users").Bind(&hook.Handler[*core.RecordEvent]{
		Priority: -500,
		Func: func(e *core.RecordEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			if rows := archived(t, e.App, w.Student); len(rows) == 1 {
				if _, ok := stored(t, e.App, rows[0], rows[0].GetString("photo")); ok {
					copied = rows[0]
				}
			}
			return errors.New("fail after the archive copy")
		},
	})
	u := userRecord(t, app, w.Student)
	f, err := filesystem.NewFileFromBytes(testapp.PNG(14, 14), "new.png")
	if err != nil {
		t.Fatal(err)
	}
	u.Set("verification_photo", f)
	if err := app.Save(u); err == nil {
		t.Fatal("the failing save succeeded")
	}
	if copied == nil {
		t.Fatal("no archive row with its file inside the failing save")
	}
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("%d archive rows after a rolled back save", n)
	}
	if _, ok := stored(t, app, copied, copied.GetString("photo")); ok {
		t.Fatal("the archive copy's file is left behind")
	}
	if u := load(t, app, w.Student); u.Photo != before.Photo || u.Status != verification.StatusPending {
		t.Fatalf("after the rolled back save: %+v", u)
	}
	if _, ok := stored(t, app, userRecord(t, app, w.Student), before.Photo); !ok {
		t.Fatal("the rolled back save deleted the current photo")
	}
}
