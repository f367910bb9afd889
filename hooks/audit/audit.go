// Package audit owns the audit log: one row for every create, update and
// delete of a business record, written in the same transaction as the
// change, naming who made it and what changed. The log is append-only.
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collection is the audit log's collection name.
const Collection = "audit_log"

// notAudited are collections whose rows are bookkeeping, not business
// records: the log itself, delivery attempts and generated secrets.
var notAudited = map[string]bool{
	Collection:  true,
	"outbox":    true,
	"app_state": true,
}

// modules names the part of the product each collection belongs to, for
// filtering the log.
var modules = map[string]string{
	core.CollectionNameSuperusers: "access",
	"users":                       "users",
	"roles":                       "access",
	"tags":                        "catalog",
	"meetups":                     "meetups",
	"registrations":               "meetups",
	"checkins":                    "checkin",
	"feedback":                    "feedback",
	"courses":                     "courses",
	"course_sessions":             "courses",
	"enrollments":                 "courses",
	"attendance":                  "courses",
	"levels":                      "points",
	"points":                      "points",
	"achievements":                "achievements",
	"awards":                      "achievements",
	"claims":                      "claims",
	"verification_archive":        "verification",
	"broadcasts":                  "broadcasts",
	"poll_votes":                  "broadcasts",
	"quizzes":                     "quizzes",
	"quiz_attempts":               "quizzes",
	"raffles":                     "raffles",
}

// ErrAppendOnly is returned for any attempt to change or remove a log row.
var ErrAppendOnly = errors.New("the audit log is append-only")

// Audited reports whether changes to c are written to the audit log.
func Audited(c *core.Collection) bool {
	if c.IsView() || notAudited[c.Name] {
		return false
	}
	return !c.System || c.Name == core.CollectionNameSuperusers || c.Name == "users"
}

// Module returns the module a collection belongs to.
func Module(collection string) string {
	if m, ok := modules[collection]; ok {
		return m
	}
	return collection
}

// Register binds the audit hooks. It must be bound before other record
// hooks so that their saves run inside the transaction it opens.
func Register(app core.App) {
	app.OnRecordCreate().Bind(&hook.Handler[*core.RecordEvent]{
		Id: "audit.create", Priority: -1000,
		Func: func(e *core.RecordEvent) error { return logged(e, "create") },
	})
	app.OnRecordUpdate().Bind(&hook.Handler[*core.RecordEvent]{
		Id: "audit.update", Priority: -1000,
		Func: func(e *core.RecordEvent) error { return logged(e, "update") },
	})
	app.OnRecordDelete().Bind(&hook.Handler[*core.RecordEvent]{
		Id: "audit.delete", Priority: -1000,
		Func: func(e *core.RecordEvent) error { return logged(e, "delete") },
	})

	// The request context does not reach model hooks: carry the caller on the record.
	setActor := func(e *core.RecordRequestEvent) error {
		SetActor(e.Record, FromAuth(e.Auth))
		return e.Next()
	}
	app.OnRecordCreateRequest().BindFunc(setActor)
	app.OnRecordUpdateRequest().BindFunc(setActor)
	app.OnRecordDeleteRequest().BindFunc(setActor)

	// Append-only, for superusers and Go code alike.
	refuse := func(e *core.RecordEvent) error { return ErrAppendOnly }
	app.OnRecordUpdate(Collection).BindFunc(refuse)
	app.OnRecordDelete(Collection).BindFunc(refuse)
	refuseRequest := func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError(ErrAppendOnly.Error(), nil)
	}
	app.OnRecordCreateRequest(Collection).BindFunc(refuseRequest)
	app.OnRecordUpdateRequest(Collection).BindFunc(refuseRequest)
	app.OnRecordDeleteRequest(Collection).BindFunc(refuseRequest)
}

func logged(e *core.RecordEvent, action string) error {
	if !Audited(e.Record.Collection()) {
		return e.Next()
	}
	// The event goes on to the After*Success hooks (realtime, for one) once
	// the save is over: they must get the app back, not the transaction,
	// which is committed by then and fails every query (PocketBase's
	// realtime then drops the event for every subscriber but superusers,
	// whose access it does not check).
	app := e.App
	defer func() { e.App = app }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		actor := resolveActor(e)
		rememberTxActor(tx, actor)

		// The stored row, not e.Record.Original(): PocketBase does not
		// refresh Original after a save, so a reused instance would log
		// stale old values.
		var before *core.Record
		if action != "create" {
			var err error
			if before, err = tx.FindRecordById(e.Record.Collection(), e.Record.Id); err != nil {
				return fmt.Errorf("audit: load %s/%s: %w", e.Record.Collection().Name, e.Record.Id, err)
			}
		}
		if err := e.Next(); err != nil {
			return err
		}

		var changes map[string]change
		switch action {
		case "create":
			changes = diff(nil, e.Record)
		case "update":
			changes = diff(before, e.Record)
			if len(changes) == 0 {
				return nil // a save that changed nothing is not an event
			}
		case "delete":
			changes = diff(before, nil)
		}
		if extra, ok := e.Record.GetRaw(recordExtraKey).(map[string]change); ok {
			for k, v := range extra {
				changes[k] = v
			}
		}
		module := Module(e.Record.Collection().Name)
		if l, ok := e.Record.GetRaw(recordLabelKey).(label); ok {
			module, action = l.module, l.action
		}
		return Write(tx, Entry{
			Actor:      actor,
			Module:     module,
			Action:     action,
			Collection: e.Record.Collection().Name,
			Record:     e.Record.Id,
			Changes:    changes,
		})
	})
}

const (
	recordLabelKey = "@audit_label"
	recordExtraKey = "@audit_extra"
)

// Annotate adds a change the save caused elsewhere to the record's audit
// row (the ledger notes the balance it moved), instead of a row of its own.
func Annotate(rec *core.Record, key string, old, new any) {
	extra, _ := rec.GetRaw(recordExtraKey).(map[string]change)
	if extra == nil {
		extra = map[string]change{}
		rec.SetRaw(recordExtraKey, extra)
	}
	extra[key] = change{Old: old, New: new}
}

type label struct{ module, action string }

// Label names the domain action a record change is part of ("claims",
// "approve"), in place of the generic module and create/update/delete.
// Hooks call it while the record is being saved.
func Label(rec *core.Record, module, action string) {
	rec.SetRaw(recordLabelKey, label{module, action})
}

// ActorOf returns who is making the change in a record event: the same
// actor the audit row will name.
func ActorOf(e *core.RecordEvent) Actor { return resolveActor(e) }

// Entry is one audit log row.
type Entry struct {
	Actor      Actor
	Module     string
	Action     string
	Collection string
	Record     string
	Changes    any
}

// Write appends an entry. Domain code calls it for actions that are more
// than a record change; pass the transaction app so the entry commits or
// rolls back with the action. It inserts directly: a log row has no rules
// or hooks of its own to run.
func Write(app core.App, en Entry) error {
	var changes any = nil
	if en.Changes != nil {
		b, err := json.Marshal(en.Changes)
		if err != nil {
			return fmt.Errorf("audit %s %s/%s: changes: %w", en.Action, en.Collection, en.Record, err)
		}
		changes = string(b)
	}
	_, err := app.DB().Insert(Collection, dbx.Params{
		"id":         core.GenerateDefaultRandomId(),
		"actor":      en.Actor.ID,
		"actor_kind": en.Actor.Kind,
		"actor_name": truncate(en.Actor.Name, 200),
		"module":     en.Module,
		"action":     en.Action,
		"collection": en.Collection,
		"record":     en.Record,
		"changes":    changes,
		"created":    types.NowDateTime().String(),
	}).Execute()
	if err != nil {
		return fmt.Errorf("audit %s %s/%s: %w", en.Action, en.Collection, en.Record, err)
	}
	return nil
}

type change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// diff lists the fields whose values differ between before and after
// (either may be nil). Secrets are left out and hidden values masked.
func diff(before, after *core.Record) map[string]change {
	rec := after
	if rec == nil {
		rec = before
	}
	out := map[string]change{}
	for _, f := range rec.Collection().Fields {
		name := f.GetName()
		if skipField(f) {
			continue
		}
		var old, cur any
		if before != nil {
			old = normalize(before.Get(name))
		}
		if after != nil {
			cur = normalize(after.Get(name))
		}
		if reflect.DeepEqual(old, cur) {
			continue
		}
		// a created or deleted record lists only the fields it had
		if (before == nil && zero(cur)) || (after == nil && zero(old)) {
			continue
		}
		if f.GetHidden() {
			old, cur = mask(old), mask(cur)
		}
		out[name] = change{Old: old, New: cur}
	}
	return out
}

func skipField(f core.Field) bool {
	switch f.Type() {
	case core.FieldTypePassword, core.FieldTypeAutodate:
		return true
	}
	return f.GetName() == core.FieldNameTokenKey || f.GetName() == core.FieldNameId
}

// normalize turns a field value into plain JSON values, with "", [] and {}
// as nil, so that an empty value set to another empty one is no change.
func normalize(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return string(raw)
	}
	switch x := out.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return out
}

func zero(v any) bool {
	return v == nil || v == false || v == 0.0
}

func mask(v any) any {
	if v == nil {
		return nil
	}
	return "***"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
