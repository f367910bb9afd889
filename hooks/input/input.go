// Package input rejects request bodies whose values do not fit their
// fields' types, before PocketBase's lenient casting would store them.
//
// PocketBase casts every submitted value to its field's type: a JSON
// {"points": "lots"} is stored as 0, "on" for a bool as false, an
// unreadable date as an empty one, a list for a single relation as its last
// item. The request hooks here read the raw body again and answer such
// requests with a 400 naming each bad field, in PocketBase's error shape,
// before anything is saved. Value rules (required, min/max, select values,
// relation targets, file size and type) stay with PocketBase's own record
// validation, which answers the same way.
package input

import (
	"fmt"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// hookPriority runs the check before the other request hooks (the audit
// actor, domain hooks), so that none of them sees or acts on a bad body.
const hookPriority = -2000

// Register binds the request body checks to record create and update
// requests of every collection (REST, batch and OAuth2 sign-up requests).
func Register(app core.App) {
	app.OnRecordCreateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "input.create", Priority: hookPriority,
		Func: func(e *core.RecordRequestEvent) error { return check(e, "Failed to create record.") },
	})
	app.OnRecordUpdateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "input.update", Priority: hookPriority,
		Func: func(e *core.RecordRequestEvent) error { return check(e, "Failed to update record.") },
	})
}

func check(e *core.RecordRequestEvent, failure string) error {
	body, err := readSubmitted(e.Request)
	if err != nil {
		return e.BadRequestError("Failed to read the submitted data.", fmt.Errorf("input check of %s: %w", e.Collection.Name, err))
	}
	if errs := checkBody(e.Collection, body, e.HasSuperuserAuth()); len(errs) > 0 {
		return e.BadRequestError(failure, errs)
	}
	return e.Next()
}

// checkBody checks a submitted body against collection c and returns the
// errors by field name (by key for unknown keys). Hidden fields are skipped
// for non-superusers, since PocketBase drops them from their bodies.
func checkBody(c *core.Collection, body *submitted, superuser bool) validation.Errors {
	errs := validation.Errors{}
	add := func(name string, err error) {
		if _, seen := errs[name]; !seen {
			errs[name] = err
		}
	}
	target := func(key string) core.Field {
		f := FieldForKey(c, key)
		if f == nil || (f.GetHidden() && !superuser && !(c.IsAuth() && f.GetName() == core.FieldNamePassword)) {
			return nil
		}
		return f
	}

	for key, v := range body.typed {
		if f := target(key); f != nil {
			if err := CheckJSON(f, v); err != nil {
				add(f.GetName(), err)
			}
		}
	}
	for key, values := range body.form {
		if f := target(key); f != nil {
			if err := CheckForm(f, values); err != nil {
				add(f.GetName(), err)
			}
		}
	}

	uploads := map[string]int{} // per single-file field, over all its upload keys
	for key, n := range body.files {
		f := target(key)
		if f == nil {
			continue // unknown keys are reported below
		}
		ff, ok := f.(*core.FileField)
		if !ok {
			add(f.GetName(), validation.NewError(CodeUnexpFile, "Must be a value, not an uploaded file."))
			continue
		}
		if key == ff.Name+"-" {
			// PocketBase reads no uploads under the removal key.
			add(f.GetName(), validation.NewError(CodeUnexpFile, "Must list file names to remove, not uploaded files."))
			continue
		}
		if !ff.IsMultiple() {
			uploads[ff.Name] += n
		}
	}
	for name, n := range uploads {
		if n > 1 {
			// PocketBase would keep the last one and drop the others unsaid.
			add(name, validation.NewError(CodeSingleValue, fmt.Sprintf("Must be one file, got %d.", n)))
		}
	}

	for _, key := range body.keys {
		if FieldForKey(c, key) == nil && !keyAllowed(c, key) {
			add(key, validation.NewError(CodeUnknownField, fmt.Sprintf("Unknown field %q of %s.", key, c.Name)))
		}
	}
	if c.IsAuth() {
		// The record form reads these as strings, like the password itself.
		for key := range authAllowed {
			if v, ok := body.typed[key]; ok && v != nil {
				if _, isString := v.(string); !isString {
					add(key, typeError("a string", v))
				}
			}
		}
	}
	return errs
}
