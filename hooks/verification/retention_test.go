package verification_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/config"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

const retention = config.DefaultVerificationRetention

// afterRetention is a moment when everything archived or decided now has
// passed the default retention.
func afterRetention() time.Time { return time.Now().Add(retention + 24*time.Hour) }

func purge(t testing.TB, app core.App, now time.Time) verification.Purged {
	t.Helper()
	p, err := verification.PurgeExpired(context.Background(), app, now, retention)
	if err != nil {
		t.Fatalf("purge: %v", err)
	}
	return p
}

// A replaced photo is archived with its bytes intact, survives until the
// retention ends, and is then deleted with its row; purging again is
// harmless.
func TestReplacedPhotoIsPurgedAfterRetention(t *testing.T) {
	app, w := testapp.New(t)
	first := testapp.PNG(31, 31)
	upload(t, app, w.Student, first, actorUser(t, app, w.Student))
	current := upload(t, app, w.Student, testapp.PNG(32, 32), actorUser(t, app, w.Student))
	rows := archived(t, app, w.Student)
	if len(rows) != 1 {
		t.Fatalf("%d archive rows, want 1", len(rows))
	}
	row := rows[0]
	if got, ok := stored(t, app, row, row.GetString("photo")); !ok || !bytes.Equal(got, first) {
		t.Fatal("the archived copy does not hold the replaced photo")
	}
	if row.GetString("status") != verification.StatusPending {
		t.Fatalf("archived status %q, want pending", row.GetString("status"))
	}

	if p := purge(t, app, time.Now()); p != (verification.Purged{}) {
		t.Fatalf("purge within the retention deleted %+v", p)
	}
	if p := purge(t, app, time.Now().Add(retention-time.Hour)); p != (verification.Purged{}) {
		t.Fatalf("purge an hour before the retention ends deleted %+v", p)
	}
	if len(archived(t, app, w.Student)) != 1 {
		t.Fatal("the archive row went before the retention ended")
	}

	if p := purge(t, app, afterRetention()); p != (verification.Purged{Archived: 1}) {
		t.Fatalf("purge after the retention: %+v, want one archive row", p)
	}
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("%d archive rows after the purge", n)
	}
	if _, ok := stored(t, app, row, row.GetString("photo")); ok {
		t.Fatal("the archived file is still in storage")
	}
	if a := actions(t, app, row.Id); len(a) != 2 || a[1].Action != "purge" || a[1].ActorKind != audit.KindCron {
		t.Fatalf("archive row audit %+v, want archive then a purge by cron", a)
	}
	// the current photo is not the retention's business
	if u := load(t, app, w.Student); u.Photo != current || u.Status != verification.StatusPending {
		t.Fatalf("the purge touched the current photo: %+v", u)
	}
	if _, ok := stored(t, app, userRecord(t, app, w.Student), current); !ok {
		t.Fatal("the current photo's file is gone")
	}

	if p := purge(t, app, afterRetention()); p != (verification.Purged{}) {
		t.Fatalf("a second purge deleted %+v", p)
	}
}

// The photo of a rejected profile is cleared once the retention after the
// rejection ends; the status stays rejected and the student can send a new
// photo.
func TestRejectedPhotoIsClearedAfterRetention(t *testing.T) {
	app, w := testapp.New(t)
	reviewer := actorUser(t, app, w.Staff[access.VerificationReview])
	name := upload(t, app, w.Student, testapp.PNG(33, 33), actorUser(t, app, w.Student))
	mustSetStatus(t, app, w.Student, verification.StatusRejected, "blurry", reviewer)
	// approved and pending photos stay, however old
	upload(t, app, w.Student2, testapp.PNG(34, 34), actorUser(t, app, w.Student2))
	mustSetStatus(t, app, w.Student2, verification.StatusApproved, "", reviewer)
	upload(t, app, w.Host, testapp.PNG(35, 35), actorUser(t, app, w.Host))

	if p := purge(t, app, time.Now()); p != (verification.Purged{}) {
		t.Fatalf("purge within the retention deleted %+v", p)
	}
	if u := load(t, app, w.Student); u.Photo != name {
		t.Fatal("the rejected photo went before the retention ended")
	}

	if p := purge(t, app, afterRetention()); p != (verification.Purged{Photos: 1}) {
		t.Fatalf("purge after the retention: %+v, want one photo", p)
	}
	u := load(t, app, w.Student)
	if u.Photo != "" || u.Status != verification.StatusRejected || u.Note != "blurry" || u.ReviewedBy != w.Staff[access.VerificationReview] {
		t.Fatalf("after the purge: %+v, want no photo and the rejection kept", u)
	}
	if _, ok := stored(t, app, userRecord(t, app, w.Student), name); ok {
		t.Fatal("the rejected photo's file is still in storage")
	}
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("the purged photo was archived again (%d rows)", n)
	}
	a := actions(t, app, w.Student)
	if last := a[len(a)-1]; last.Action != "purge" || last.ActorKind != audit.KindCron {
		t.Fatalf("last audit row %+v, want a purge by cron", last)
	}
	for _, id := range []string{w.Student2, w.Host} {
		if u := load(t, app, id); u.Photo == "" {
			t.Fatalf("%s lost a photo that is not rejected: %+v", id, u)
		}
	}

	if p := purge(t, app, afterRetention()); p != (verification.Purged{}) {
		t.Fatalf("a second purge deleted %+v", p)
	}
	// a new photo after the purge restarts review, with nothing to archive
	upload(t, app, w.Student, testapp.PNG(36, 36), actorUser(t, app, w.Student))
	if u := load(t, app, w.Student); u.Status != verification.StatusPending {
		t.Fatalf("new photo after the purge: %+v", u)
	}
}

// Deleting a student deletes their archived photos with them.
func TestDeletingStudentDeletesArchive(t *testing.T) {
	app, w := testapp.New(t)
	upload(t, app, w.Student2, testapp.PNG(37, 37), actorUser(t, app, w.Student2))
	upload(t, app, w.Student2, testapp.PNG(38, 38), actorUser(t, app, w.Student2))
	if n := len(archived(t, app, w.Student2)); n != 1 {
		t.Fatalf("%d archive rows, want 1", n)
	}
	if err := app.Delete(userRecord(t, app, w.Student2)); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords(verification.ArchiveCollection); n != 0 {
		t.Fatalf("%d archive rows left", n)
	}
}

// The daily job runs PurgeExpired with the configured retention and skips
// a run while the previous one is busy.
func TestRetentionJob(t *testing.T) {
	cfg := testapp.TestConfig()
	cfg.VerificationRetention = time.Nanosecond // everything has expired by the time the job runs
	app, w := testapp.NewWith(t, testapp.Options{Config: &cfg})
	upload(t, app, w.Student, testapp.PNG(39, 39), actorUser(t, app, w.Student))
	upload(t, app, w.Student, testapp.PNG(40, 40), actorUser(t, app, w.Student))

	var job func()
	for _, j := range app.Cron().Jobs() {
		if j.Id() == verification.JobID {
			if j.Expression() != verification.JobSchedule {
				t.Fatalf("job runs at %q, want %q", j.Expression(), verification.JobSchedule)
			}
			job = j.Run
		}
	}
	if job == nil {
		t.Fatalf("no %s job registered", verification.JobID)
	}
	job()
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("%d archive rows after the job ran", n)
	}
}

// A run that starts while the previous one is still busy (a slow storage)
// skips instead of racing it.
func TestRetentionJobDoesNotOverlap(t *testing.T) {
	cfg := testapp.TestConfig()
	cfg.VerificationRetention = time.Nanosecond
	app, w := testapp.NewWith(t, testapp.Options{Config: &cfg})
	upload(t, app, w.Student, testapp.PNG(41, 41), actorUser(t, app, w.Student))
	upload(t, app, w.Student, testapp.PNG(42, 42), actorUser(t, app, w.Student))
	var job func()
	for _, j := range app.Cron().Jobs() {
		if j.Id() == verification.JobID {
			job = j.Run
		}
	}

	entered, release := make(chan struct{}, 2), make(chan struct{})
	app.OnRecordDelete(verification.ArchiveCollection).BindFunc(func(e *core.RecordEvent) error {
		entered <- struct{}{}
		<-release
		return e.Next()
	})
	first := make(chan struct{})
	go func() { job(); close(first) }()
	<-entered

	second := make(chan struct{})
	go func() { job(); close(second) }()
	select {
	case <-second:
	case <-time.After(10 * time.Second):
		t.Error("a second run did not skip while the first was busy")
	}
	close(release)
	<-first
	if n := len(archived(t, app, w.Student)); n != 0 {
		t.Fatalf("%d archive rows after the first run finished", n)
	}
	if len(entered) != 0 {
		t.Fatal("the second run deleted rows too")
	}
}

// PurgeExpired refuses a retention that would delete everything at once.
func TestPurgeNeedsPositiveRetention(t *testing.T) {
	app, _ := testapp.New(t)
	if _, err := verification.PurgeExpired(context.Background(), app, time.Now(), 0); err == nil {
		t.Fatal("a zero retention was accepted")
	}
}
