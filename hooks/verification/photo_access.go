package verification

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// onPhotoDownload narrows who may fetch a verification photo. PocketBase
// serves a protected file to anyone the record's view rule admits, and the
// users view rule is wider than the photo's audience: course hosts, claim
// reviewers and award givers see the people they work with. SPEC 2 gives
// the photo (a student ID) only to its owner and to reviewers; SPEC 3.1
// adds organizers who scan tickets and compare faces.
func onPhotoDownload(e *core.FileDownloadRequestEvent) error {
	if e.FileField == nil || e.FileField.Name != fieldPhoto {
		return e.Next()
	}
	// the same token PocketBase checked the view rule with
	auth, _ := e.App.FindAuthRecordByToken(e.Request.URL.Query().Get("token"), core.TokenTypeFile)
	ok, err := mayFetchPhoto(e.App, auth, e.Record.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		// a 404, as PocketBase answers any refused protected file
		return e.NotFoundError("", errors.New("verification photos are for their owner and reviewers only"))
	}
	return e.Next()
}

func mayFetchPhoto(app core.App, auth *core.Record, owner string) (bool, error) {
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
	return false, nil
}
