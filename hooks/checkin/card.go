package checkin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/verification"
)

// Card is what the organizer sees of a person after a scan: enough to
// greet them and compare their face with their verified photo.
type Card struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	StudyGroup         string `json:"study_group"`
	Level              int    `json:"level"`
	LevelTitle         string `json:"level_title"`
	Points             int    `json:"points"`
	VerificationStatus string `json:"verification_status"`
	// PhotoURL is the verification photo with a file token of the scanner,
	// valid for a few minutes (PocketBase's file token); PhotoThumbURL a
	// 320×320 thumbnail of it. Both are empty when there is no photo or
	// the scanner may not see it (course hosts).
	PhotoURL      string `json:"photo_url"`
	PhotoThumbURL string `json:"photo_thumb_url"`
}

func cardOf(app core.App, auth *core.Record, userID string) (Card, error) {
	u, err := app.FindRecordById("users", userID)
	if err != nil {
		return Card{}, fmt.Errorf("checkin: card of %s: %w", userID, err)
	}
	c := Card{
		ID: u.Id, Name: audit.FromAuth(u).Name,
		FirstName: u.GetString("first_name"), LastName: u.GetString("last_name"),
		StudyGroup: u.GetString("study_group"), Level: u.GetInt("level"), Points: u.GetInt("points"),
		VerificationStatus: u.GetString("verification_status"),
	}
	if lvl, err := app.FindFirstRecordByData("levels", "number", c.Level); err == nil {
		c.LevelTitle = lvl.GetString("title")
	}
	photo := u.GetString("verification_photo")
	if photo == "" {
		return c, nil
	}
	ok, err := verification.MayFetchPhoto(app, auth, u.Id)
	if err != nil || !ok {
		return c, err
	}
	token, err := auth.NewFileToken()
	if err != nil {
		return c, fmt.Errorf("checkin: file token: %w", err)
	}
	base := "/api/files/" + u.Collection().Name + "/" + u.Id + "/" + url.PathEscape(photo) + "?token=" + url.QueryEscape(token)
	c.PhotoURL = base
	c.PhotoThumbURL = base + "&thumb=320x320"
	return c, nil
}

// Person is one line of GET /api/checkin/people.
type Person struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	StudyGroup string `json:"study_group"`
	// Registration is their registration status at the meetup ("" if none);
	// CheckedIn says whether they are in already.
	Registration string `json:"registration"`
	CheckedIn    bool   `json:"checked_in"`
}

// peopleLimit bounds one search.
const peopleLimit = 20

// handlePeople serves GET /api/checkin/people?meetup=ID&q=TEXT: the people
// an organizer can choose for a walk-in (by name, group or Telegram
// username; registered people first), for checkin.scan holders of the
// meetup, scoped ones included (they cannot list users).
func handlePeople(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	meetup, err := e.App.FindRecordById("meetups", q.Get("meetup"))
	if err != nil {
		return e.BadRequestError("Choose the meetup.", fieldErrors("meetup", "validation_required", "Choose the meetup."))
	}
	if !e.HasSuperuserAuth() {
		ok, err := access.Can(e.App, e.Auth.Id, access.CheckinScan, meetup.GetStringSlice("tags"))
		if err != nil {
			return e.InternalServerError("", err)
		}
		if !ok {
			return e.ForbiddenError("Choosing walk-ins needs the checkin.scan permission for the meetup's tags.", nil)
		}
	}
	text := strings.TrimSpace(q.Get("q"))
	if len([]rune(text)) < 2 {
		return e.BadRequestError("Type at least two letters.", fieldErrors("q", "validation_too_short", "Type at least two letters."))
	}
	// SQLite's LIKE folds ASCII case only: try the text as typed, in lower,
	// upper and title case, which covers Cyrillic names and groups as
	// people store and type them
	text = strings.TrimPrefix(text, "@")
	params := dbx.Params{"meetup": meetup.Id, "limit": peopleLimit}
	var conds []string
	for i, v := range caseVariants(text) {
		p := fmt.Sprintf("like%d", i)
		params[p] = "%" + escapeLike(v) + "%"
		for _, col := range []string{"u.first_name", "u.last_name", "(u.first_name || ' ' || u.last_name)", "u.study_group", "u.telegram_username"} {
			conds = append(conds, fmt.Sprintf(`%s LIKE {:%s} ESCAPE '\'`, col, p))
		}
	}
	var rows []struct {
		ID        string `db:"id"`
		First     string `db:"first_name"`
		Last      string `db:"last_name"`
		Group     string `db:"study_group"`
		Status    string `db:"status"`
		CheckedIn bool   `db:"checked_in"`
	}
	err = e.App.DB().NewQuery(`
		SELECT u.id, u.first_name, u.last_name, u.study_group, COALESCE(r.status, '') AS status,
			EXISTS (SELECT 1 FROM checkins c WHERE c.meetup = {:meetup} AND c.user = u.id) AS checked_in
		FROM users u LEFT JOIN registrations r ON r.user = u.id AND r.meetup = {:meetup}
		WHERE ` + strings.Join(conds, " OR ") + `
		ORDER BY (r.status = 'registered') DESC, u.last_name, u.first_name, u.id
		LIMIT {:limit}`).Bind(params).All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]Person, 0, len(rows))
	for _, r := range rows {
		out = append(out, Person{
			ID: r.ID, Name: strings.TrimSpace(r.First + " " + r.Last), StudyGroup: r.Group,
			Registration: r.Status, CheckedIn: r.CheckedIn,
		})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// caseVariants returns s as typed and in lower, upper and title case,
// without repeats.
func caseVariants(s string) []string {
	title := []rune(strings.ToLower(s))
	for i := range title {
		if i == 0 || title[i-1] == ' ' || title[i-1] == '-' {
			title[i] = unicode.ToUpper(title[i])
		}
	}
	var out []string
	for _, v := range []string{s, strings.ToLower(s), strings.ToUpper(s), string(title)} {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
