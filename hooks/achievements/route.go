package achievements

import (
	"context"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
)

// maxAwardUsers bounds one request; bigger cohorts go by filter.
const maxAwardUsers = 1000

// AwardRequest is the body of POST /api/achievements/{id}/award: a list of
// user ids, or a PocketBase filter over users (e.g. `study_group = "ИТ-21"`).
type AwardRequest struct {
	Users  []string `json:"users"`
	Filter string   `json:"filter"`
	Note   string   `json:"note"`
}

// AwardResult says what happened to each user.
type AwardResult struct {
	Awarded []string `json:"awarded"`
	// Already lists users who had the achievement; not an error.
	Already []string `json:"already"`
	// Missing lists requested ids that are not users.
	Missing []string `json:"missing"`
}

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/achievements/{id}/award", handleAward).Bind(apis.RequireAuth())
		return se.Next()
	})
}

func handleAward(e *core.RequestEvent) error {
	if !e.Auth.IsSuperuser() {
		ok, err := access.CanAny(e.App, e.Auth.Id, access.AchievementsAward)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if !ok {
			return e.ForbiddenError("Awarding achievements needs the achievements.award permission.", nil)
		}
	}
	ach, err := e.App.FindRecordById("achievements", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("No such achievement.", nil)
	}
	var req AwardRequest
	if err := e.BindBody(&req); err != nil {
		return e.BadRequestError("The body must be JSON: {users: [...]} or {filter: \"...\"}.", err)
	}
	switch {
	case len(req.Users) == 0 && req.Filter == "":
		return e.BadRequestError("Name the users or give a filter.", validation.Errors{"users": validation.NewError("validation_required", "Name the users or give a filter.")})
	case len(req.Users) > 0 && req.Filter != "":
		return e.BadRequestError("Give either users or a filter, not both.", validation.Errors{"filter": validation.NewError("validation_conflict", "Give either users or a filter, not both.")})
	case len(req.Users) > maxAwardUsers:
		return e.BadRequestError("Too many users in one request; use a filter.", validation.Errors{"users": validation.NewError("validation_too_many", "At most 1000 users per request.")})
	case ach.GetBool("archived"):
		return e.BadRequestError("This achievement is archived.", validation.Errors{"achievement": validation.NewError("validation_inactive", "This achievement is archived.")})
	}

	users, missing, err := resolveUsers(e.App, req)
	if err != nil {
		return e.BadRequestError("Invalid filter.", validation.Errors{"filter": validation.NewError("validation_invalid_filter", err.Error())})
	}
	ctx := audit.WithActor(e.Request.Context(), audit.FromAuth(e.Auth))
	awardedBy := ""
	if !e.Auth.IsSuperuser() {
		awardedBy = e.Auth.Id
	}
	res, err := AwardMany(ctx, e.App, ach, users, "manual", awardedBy)
	if err != nil {
		return e.InternalServerError("", err)
	}
	res.Missing = missing
	return e.JSON(http.StatusOK, res)
}

// resolveUsers returns the ids to award, and the requested ids that are
// not users.
func resolveUsers(app core.App, req AwardRequest) (found, missing []string, err error) {
	found, missing = []string{}, []string{}
	if req.Filter != "" {
		recs, err := app.FindRecordsByFilter("users", req.Filter, "id", 0, 0)
		if err != nil {
			return nil, nil, errors.New("the filter does not parse or names unknown fields")
		}
		for _, r := range recs {
			found = append(found, r.Id)
		}
		return found, missing, nil
	}
	seen := map[string]bool{}
	ids := make([]any, 0, len(req.Users))
	for _, id := range req.Users {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var existing []string
	if err := app.DB().Select("id").From("users").Where(dbx.In("id", ids...)).Column(&existing); err != nil {
		return nil, nil, err
	}
	exists := map[string]bool{}
	for _, id := range existing {
		exists[id] = true
	}
	for _, id := range ids {
		if exists[id.(string)] {
			found = append(found, id.(string))
		} else {
			missing = append(missing, id.(string))
		}
	}
	return found, missing, nil
}

// AwardMany awards ach to each user once, each in its own transaction so
// one failure does not undo the others.
func AwardMany(ctx context.Context, app core.App, ach *core.Record, users []string, source, awardedBy string) (*AwardResult, error) {
	res := &AwardResult{Awarded: []string{}, Already: []string{}, Missing: []string{}}
	for _, u := range users {
		var given bool
		err := app.RunInTransaction(func(tx core.App) error {
			var err error
			given, err = give(ctx, tx, ach, u, source, awardedBy)
			return err
		})
		if err != nil {
			return res, err
		}
		if given {
			res.Awarded = append(res.Awarded, u)
		} else {
			res.Already = append(res.Already, u)
		}
	}
	return res, nil
}
