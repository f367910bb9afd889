package verification_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

// fileToken returns a file token of a users or superusers id.
func fileToken(t testing.TB, app core.App, collection, id string) string {
	t.Helper()
	rec, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := rec.NewFileToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The verification photo and its archived copies are protected files:
// only the owner and reviewers (and organizers scanning tickets, who
// compare faces, for the current photo) fetch them with a file token; staff
// who see the student's profile for other reasons do not.
func TestPhotosAreProtected(t *testing.T) {
	app, w := testapp.New(t)
	first, second := testapp.PNG(21, 21), testapp.PNG(22, 22)
	upload(t, app, w.Student, first, actorUser(t, app, w.Student))
	name := upload(t, app, w.Student, second, actorUser(t, app, w.Student))
	rows := archived(t, app, w.Student)
	if len(rows) != 1 {
		t.Fatalf("%d archive rows, want 1", len(rows))
	}
	h := serve(t, app)
	users := userRecord(t, app, w.Student).Collection().Id
	photoURL := "/api/files/" + users + "/" + w.Student + "/" + name
	archiveURL := "/api/files/" + rows[0].Collection().Id + "/" + rows[0].Id + "/" + rows[0].GetString("photo")

	cases := []struct {
		who             string
		token           string
		photo, archived int
	}{
		{"the owner", fileToken(t, app, "users", w.Student), 200, 404},
		{"a reviewer", fileToken(t, app, "users", w.Staff[access.VerificationReview]), 200, 200},
		{"a superuser", fileToken(t, app, core.CollectionNameSuperusers, w.Superuser), 200, 200},
		{"a checkin.scan holder", fileToken(t, app, "users", w.Staff[access.CheckinScan]), 200, 404},
		{"another student", fileToken(t, app, "users", w.Student2), 404, 404},
		{"staff without a grant on users", fileToken(t, app, "users", w.Staff[access.StatsView]), 404, 404},
		{"a users.manage holder", fileToken(t, app, "users", w.Staff[access.UsersManage]), 404, 404},
		{"a claims reviewer", fileToken(t, app, "users", w.Staff[access.ClaimsReview]), 404, 404},
		{"an award giver", fileToken(t, app, "users", w.Staff[access.AchievementsAward]), 404, 404},
		{"the host of the student's course", fileToken(t, app, "users", w.Host), 404, 404},
		{"a reviewer scoped to a tag", fileToken(t, app, "users", w.Scoped[access.VerificationReview]), 404, 404},
		{"a guest", "", 404, 404},
		{"a guest with a forged token", "not-a-token", 404, 404},
	}
	for _, c := range cases {
		status, body := get(h, photoURL+"?token="+c.token, "")
		if status != c.photo {
			t.Errorf("%s fetches the photo: %d, want %d", c.who, status, c.photo)
		}
		if status == 200 && !bytes.Equal(body, second) {
			t.Errorf("%s got other bytes than the photo", c.who)
		}
		status, body = get(h, archiveURL+"?token="+c.token, "")
		if status != c.archived {
			t.Errorf("%s fetches the archived photo: %d, want %d", c.who, status, c.archived)
		}
		if status == 200 && !bytes.Equal(body, first) {
			t.Errorf("%s got other bytes than the archived photo", c.who)
		}
	}

	// thumbnails follow the photo
	for who, want := range map[string]int{w.Student: 200, w.Staff[access.ClaimsReview]: 404} {
		if status, _ := get(h, photoURL+"?thumb=320x320&token="+fileToken(t, app, "users", who), ""); status != want {
			t.Errorf("%s fetches the thumbnail: %d, want %d", who, status, want)
		}
	}

	// an auth token is not a file token
	if status, _ := get(h, photoURL, w.Token(w.Student)); status != http.StatusNotFound {
		t.Errorf("fetch with an auth header only: %d, want 404", status)
	}
}

// Reviewers list the archive; students, including the owner, do not, and
// nobody but a superuser writes it.
func TestArchiveIsReadOnlyForReviewers(t *testing.T) {
	app, w := testapp.New(t)
	upload(t, app, w.Student, testapp.PNG(23, 23), actorUser(t, app, w.Student))
	upload(t, app, w.Student, testapp.PNG(24, 24), actorUser(t, app, w.Student))
	row := archived(t, app, w.Student)[0]
	h := serve(t, app)
	list := "/api/collections/" + verification.ArchiveCollection + "/records"

	token := func(id string) string {
		if id == "" {
			return ""
		}
		return w.Token(id)
	}
	for who, want := range map[string]int{
		w.Staff[access.VerificationReview]:  1,
		w.Student:                           0,
		w.Staff[access.UsersManage]:         0,
		w.Scoped[access.VerificationReview]: 0,
		"":                                  0,
	} {
		status, body := get(h, list, token(who))
		if status != 200 || bytes.Count(body, []byte(`"id":"`+row.Id+`"`)) != want {
			t.Errorf("%q lists the archive: %d %.200s, want %d rows", who, status, body, want)
		}
		if status, _ := get(h, list+"/"+row.Id, token(who)); (status == 200) != (want == 1) {
			t.Errorf("%q views the archive row: %d", who, status)
		}
	}

	for _, who := range []string{w.Staff[access.VerificationReview], w.Student} {
		for _, m := range []string{http.MethodPatch, http.MethodDelete} {
			if status, _ := send(h, m, list+"/"+row.Id, w.Token(who), map[string]any{"status": "approved"}); status != http.StatusForbidden {
				t.Errorf("%s %s on the archive: %d, want 403", who, m, status)
			}
		}
		if status, _ := send(h, http.MethodPost, list, w.Token(who), map[string]any{"user": w.Student}); status != http.StatusForbidden {
			t.Errorf("%s creates an archive row: %d, want 403", who, status)
		}
	}
	if n := len(archived(t, app, w.Student)); n != 1 {
		t.Fatalf("archive rows %d, want 1", n)
	}
}
