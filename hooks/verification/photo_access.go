package verification

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// onPhotoDownload narrows who may fetch a verification photo. PocketBase
// serves a protected file to anyone the record's view rule admits, and the
// users view rule is wider than the photo's audience: course hosts, claim
// reviewers and award givers see the people they work with. SPEC 2 gives
// the photo (a student ID) only to its owner and to reviewers; SPEC 3.1
// adds organizers who scan tickets and compare faces (scoped scanners pass
// the users view rule for files only, for people registered at their
// meetups).
func onPhotoDownload(e *core.FileDownloadRequestEvent) error {
	if e.FileField == nil || e.FileField.Name != fieldPhoto {
		return e.Next()
	}
	// the same token PocketBase checked the view rule with
	auth, _ := e.App.FindAuthRecordByToken(e.Request.URL.Query().Get("token"), core.TokenTypeFile)
	ok, err := MayFetchPhoto(e.App, auth, e.Record.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		// a 404, as PocketBase answers any refused protected file
		return e.NotFoundError("", errors.New("verification photos are for their owner and reviewers only"))
	}
	return e.Next()
}

// MayFetchPhoto reports whether auth may fetch owner's verification photo:
// the owner, superusers, reviewers and check-in scanners without scope; a
// scanner scoped to tags, for people registered at a meetup carrying one of
// them (the check-in card shows them the photo of whom they scan).
func MayFetchPhoto(app core.App, auth *core.Record, owner string) (bool, error) {
	switch {
	case auth == nil:
		return false, nil
	case auth.IsSuperuser(), auth.Collection().Name == "users" && auth.Id == owner:
		return true, nil
	case auth.Collection().Name != "users":
		return false, nil
	}
	// unscoped grants, as the users view rule asks for them
	for _, perm := range []string{access.VerificationReview, access.CheckinScan} {
		ok, err := access.Can(app, auth.Id, perm, nil)
		if err != nil {
			return false, fmt.Errorf("verification photo access: %w", err)
		}
		if ok {
			return true, nil
		}
	}
	// a scoped scanner sees the people registered at meetups carrying its tags
	g, err := access.Scope(app, auth.Id, access.CheckinScan)
	if err != nil || len(g.Tags) == 0 {
		return false, err
	}
	names := make([]string, len(g.Tags))
	params := dbx.Params{"owner": owner}
	for i, t := range g.Tags {
		names[i] = fmt.Sprintf("{:t%d}", i)
		params[fmt.Sprint("t", i)] = t
	}
	var n int
	err = app.DB().NewQuery(`
		SELECT count(*) FROM registrations r
		JOIN meetups m ON m.id = r.meetup
		JOIN json_each(CASE WHEN json_valid(m.tags) THEN m.tags ELSE '[]' END) t
		WHERE r.user = {:owner} AND t.value IN (` + strings.Join(names, ", ") + `)
		LIMIT 1`).Bind(params).Row(&n)
	if err != nil {
		return false, fmt.Errorf("verification photo access: %w", err)
	}
	return n > 0, nil
}
