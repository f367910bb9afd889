package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/courses"
	"questbase/hooks/meetups"
	"questbase/hooks/tickets"
)

type scanner struct {
	signer *tickets.Signer
	now    func() time.Time
}

// handle serves POST /api/checkin.
func (s *scanner) handle(e *core.RequestEvent) error {
	req, err := readRequest(e)
	if err != nil {
		return answer(e, err)
	}
	ctx := audit.WithActor(e.Request.Context(), audit.FromAuth(e.Auth))
	var res *Response
	switch {
	case req.User != "":
		res, err = s.walkIn(ctx, e, req)
	default:
		var t tickets.Ticket
		t, err = s.signer.Verify(req.Code, s.now())
		if reason := tickets.ReasonOf(err); reason != "" {
			return answer(e, refuse("code", reason, err.(*tickets.Error).Message))
		}
		if err != nil {
			return answer(e, err)
		}
		method := req.Method
		switch {
		case t.Rotating:
			method = MethodRotatingQR
		case method == "":
			method = MethodQR
		}
		if t.Kind == tickets.Enrollment {
			res, err = s.session(ctx, e, req, t)
		} else {
			res, err = s.meetup(ctx, e, req, t, method)
		}
	}
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, res)
}

// meetup checks in the holder of a registration ticket.
func (s *scanner) meetup(ctx context.Context, e *core.RequestEvent, req Request, t tickets.Ticket, method string) (*Response, error) {
	if req.Session != "" {
		return nil, refuse("code", "wrong_kind", "This is a meetup ticket, not a course one.")
	}
	reg, err := e.App.FindRecordById(meetups.RegistrationsCollection, t.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse("code", "not_registered", "This ticket's registration no longer exists.")
	}
	if err != nil {
		return nil, err
	}
	at := req.Meetup
	if at == "" {
		at = reg.GetString("meetup")
	}
	meetup, err := s.openMeetup(e, at)
	if err != nil {
		return nil, err
	}
	if reg.GetString("meetup") != meetup.Id {
		return nil, refuse("code", "wrong_meetup", "This ticket is for another meetup.")
	}

	res := &Response{Meetup: &Ref{ID: meetup.Id, Title: meetup.GetString("title")}, Registration: reg.Id}
	user := reg.GetString("user")
	err = e.App.RunInTransaction(func(tx core.App) error {
		done, err := s.already(tx, meetup.Id, user, res)
		if err != nil || done {
			return err
		}
		// the stored status, read where the check-in is written
		reg, err := tx.FindRecordById(meetups.RegistrationsCollection, t.ID)
		if err != nil {
			return refuse("code", "not_registered", "This ticket's registration no longer exists.")
		}
		switch reg.GetString("status") {
		case meetups.Cancelled:
			return refuse("code", "cancelled", "This registration was cancelled.")
		case meetups.Waitlisted:
			return refuse("code", "waitlisted", "This person is on the waitlist, without a seat.")
		}
		return s.checkIn(ctx, tx, e, meetup, user, reg, method, ActionScan, res)
	})
	if err != nil {
		return nil, err
	}
	return res, s.fill(e, user, res)
}

// walkIn checks in a person an organizer chose, registering them on the
// spot if need be.
func (s *scanner) walkIn(ctx context.Context, e *core.RequestEvent, req Request) (*Response, error) {
	meetup, err := s.openMeetup(e, req.Meetup)
	if err != nil {
		return nil, err
	}
	if _, err := e.App.FindRecordById("users", req.User); err != nil {
		return nil, refuse("user", "not_found", "No such user.")
	}
	res := &Response{Meetup: &Ref{ID: meetup.Id, Title: meetup.GetString("title")}}
	err = e.App.RunInTransaction(func(tx core.App) error {
		done, err := s.already(tx, meetup.Id, req.User, res)
		if err != nil || done {
			return err
		}
		method := MethodWalkIn
		reg := &core.Record{}
		err = tx.RecordQuery(meetups.RegistrationsCollection).
			Where(dbx.HashExp{"meetup": meetup.Id, "user": req.User}).Limit(1).One(reg)
		if err == nil && reg.GetString("status") == meetups.Registered {
			// registered, chosen by name (a flat phone, a lost ticket)
			method = MethodManual
		}
		// the check-in's hook registers the walk-in (meetups.Admit)
		return s.checkIn(ctx, tx, e, meetup, req.User, nil, method, ActionWalkIn, res)
	})
	if err != nil {
		return nil, err
	}
	return res, s.fill(e, req.User, res)
}

// openMeetup loads the meetup being checked in at and checks the caller
// may scan there and the meetup takes check-ins.
func (s *scanner) openMeetup(e *core.RequestEvent, id string) (*core.Record, error) {
	meetup, err := e.App.FindRecordById(meetups.Collection, id)
	if err != nil {
		return nil, refuse("meetup", "not_found", "No such meetup.")
	}
	if !e.HasSuperuserAuth() {
		ok, err := access.Can(e.App, e.Auth.Id, access.CheckinScan, meetup.GetStringSlice("tags"))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, e.ForbiddenError("Checking people in at this meetup needs the checkin.scan permission for its tags.", nil)
		}
	}
	if reason, msg := closed(meetup); reason != "" {
		return nil, refuse("meetup", reason, msg)
	}
	return meetup, nil
}

// already fills res from an existing check-in of user at meetup, if any.
func (s *scanner) already(tx core.App, meetup, user string, res *Response) (bool, error) {
	rec := &core.Record{}
	err := tx.RecordQuery(Collection).Where(dbx.HashExp{"meetup": meetup, "user": user}).Limit(1).One(rec)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checkin: look up %s at %s: %w", user, meetup, err)
	}
	res.Result = ResultAlready
	res.Checkin = rec.Id
	res.At = rec.GetDateTime("created").String()
	res.ByID = rec.GetString("scanned_by")
	res.Method = rec.GetString("method")
	if res.Registration == "" {
		res.Registration = rec.GetString("registration")
	}
	return true, nil
}

// checkIn writes the check-in (its hook seats the person and pays the
// points) in tx.
func (s *scanner) checkIn(ctx context.Context, tx core.App, e *core.RequestEvent, meetup *core.Record, user string, reg *core.Record, method, action string, res *Response) error {
	col, err := tx.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return err
	}
	rec := core.NewRecord(col)
	rec.Set("meetup", meetup.Id)
	rec.Set("user", user)
	if reg != nil {
		rec.Set("registration", reg.Id)
		rec.SetRaw(seatKey, reg)
	}
	rec.Set("method", method)
	if !e.HasSuperuserAuth() {
		rec.Set("scanned_by", e.Auth.Id)
	}
	audit.Label(rec, Module, action)
	if err := tx.SaveWithContext(ctx, rec); err != nil {
		return err
	}
	res.Result = ResultCheckedIn
	res.Checkin = rec.Id
	res.Registration = rec.GetString("registration")
	res.At = rec.GetDateTime("created").String()
	res.ByID = rec.GetString("scanned_by")
	res.Method = method
	res.Points = meetup.GetInt("points")
	return nil
}

// session marks the holder of an enrollment ticket present at a course
// session.
func (s *scanner) session(ctx context.Context, e *core.RequestEvent, req Request, t tickets.Ticket) (*Response, error) {
	if req.Session == "" {
		if req.Meetup != "" {
			return nil, refuse("code", "wrong_kind", "This is a course ticket, not a meetup one.")
		}
		return nil, refuse("session", "validation_required", "Choose the course session.")
	}
	session, err := e.App.FindRecordById(courses.SessionsCollection, req.Session)
	if err != nil {
		return nil, refuse("session", "not_found", "No such session.")
	}
	course, err := e.App.FindRecordById(courses.Collection, session.GetString("course"))
	if err != nil {
		return nil, err
	}
	if !e.HasSuperuserAuth() && !courses.IsHost(course, e.Auth.Id) {
		ok := false
		for _, perm := range []string{access.CheckinScan, access.CoursesManage} {
			if ok, err = access.Can(e.App, e.Auth.Id, perm, course.GetStringSlice("tags")); err != nil {
				return nil, err
			} else if ok {
				break
			}
		}
		if !ok {
			return nil, e.ForbiddenError("Marking attendance is for the course's hosts and staff.", nil)
		}
	}
	enr, err := e.App.FindRecordById(courses.EnrollmentsCollection, t.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, refuse("code", "not_enrolled", "This ticket's enrollment no longer exists.")
	case err != nil:
		return nil, err
	case enr.GetString("course") != course.Id:
		return nil, refuse("code", "wrong_course", "This ticket is for another course.")
	case session.GetBool("cancelled"):
		return nil, refuse("session", "session_cancelled", "This session is cancelled.")
	}

	title := session.GetString("title")
	if title == "" {
		title = course.GetString("title")
	}
	user := enr.GetString("user")
	res := &Response{Session: &Ref{ID: session.Id, Title: title, Course: course.Id}}
	err = e.App.RunInTransaction(func(tx core.App) error {
		enr, err := tx.FindRecordById(courses.EnrollmentsCollection, t.ID)
		if err != nil {
			return refuse("code", "not_enrolled", "This ticket's enrollment no longer exists.")
		}
		if enr.GetString("status") == courses.Cancelled {
			return refuse("code", "cancelled", "This enrollment was cancelled.")
		}
		r, err := courses.Mark(ctx, tx, session.Id, user, courses.MethodQR, func(rec *core.Record) {
			audit.Label(rec, Module, ActionScan)
		})
		if err != nil {
			return err
		}
		res.Attendance = r.Attendance.Id
		res.At = r.Attendance.GetDateTime("updated").String()
		res.ByID = r.Attendance.GetString("marked_by")
		res.Method = r.Attendance.GetString("method")
		if r.Already {
			res.Result = ResultAlready
			return nil
		}
		res.Result = ResultCheckedIn
		res.Points = course.GetInt("points_per_session")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, s.fill(e, user, res)
}

// fill adds the person's card and the scanner's name.
func (s *scanner) fill(e *core.RequestEvent, user string, res *Response) error {
	card, err := cardOf(e.App, e.Auth, user)
	if err != nil {
		return err
	}
	res.User = card
	switch {
	case res.ByID != "" && res.ByID == e.Auth.Id:
		res.By = audit.FromAuth(e.Auth).Name
	case res.ByID != "":
		if by, err := e.App.FindRecordById("users", res.ByID); err == nil {
			res.By = audit.FromAuth(by).Name
		}
	case res.Result == ResultCheckedIn && e.HasSuperuserAuth():
		res.By = e.Auth.Email()
	}
	return nil
}
