package input_test

import (
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/input"
	"questbase/hooks/testapp"
)

// TestFormRejected covers multipart and urlencoded bodies, whose values
// are strings PocketBase infers types from: each must read as its field's
// type, and keys, repeats and file parts must fit their fields.
func TestFormRejected(t *testing.T) {
	w := testapp.Fixtures(t)
	su := w.Superuser
	form := func(collection, id, as string, values ...kv) request {
		return request{collection: collection, id: id, as: as, form: values}
	}
	meetup := func(as string, values ...kv) request { return form("meetups", w.Meetup, as, values...) }
	const typ = input.CodeInvalidType
	text := []byte("a title, not a file")

	runRejected(t, []rejected{
		{"word as number", meetup(su, kv{"points", "lots"}), "points", typ},
		{"user word as number", meetup(w.Staff[access.MeetupsManage], kv{"title", "ok"}, kv{"points", "lots"}), "points", typ},
		{"NaN as number", meetup(su, kv{"capacity", "NaN"}), "capacity", typ},
		{"Infinity as number", meetup(su, kv{"capacity", "Infinity"}), "capacity", typ},
		{"hex as number", meetup(su, kv{"capacity", "0x10"}), "capacity", typ},
		{"overflowing number", meetup(su, kv{"capacity", "1e400"}), "capacity", input.CodeNotANumber},
		{"fraction as integer", meetup(su, kv{"capacity", "1.5"}), "capacity", input.CodeOnlyInt},
		{"word decrement", meetup(su, kv{"points-", "some"}), "points", typ},
		{"unreadable date", meetup(su, kv{"starts_at", "tomorrow"}), "starts_at", input.CodeInvalidDate},
		{"two values for a single select", meetup(su, kv{"status", "draft"}, kv{"status", "published"}), "status", input.CodeSingleValue},
		{"JSON list for a single select", meetup(su, kv{"status", `["draft","published"]`}), "status", input.CodeSingleValue},
		{"string in the JSON payload", meetup(su, kv{"@jsonPayload", `{"points": "5"}`}), "points", typ},
		{"misspelt field", meetup(su, kv{"title", "ok"}, kv{"ponits", "5"}), "ponits", input.CodeUnknownField},
		{"misspelt field in the JSON payload", meetup(su, kv{"@jsonPayload", `{"titel": "ok"}`}), "titel", input.CodeUnknownField},
		{"checkbox on as bool", form("users", w.Student, su, kv{"telegram_blocked", "on"}), "telegram_blocked", typ},
		{"two values for a text", form("tags", w.TagML, su, kv{"name", "a"}, kv{"name", "b"}), "name", input.CodeSingleValue},
		{
			"file for a text field",
			request{collection: "meetups", id: w.Meetup, as: su, files: []upload{{"title", "title.txt", text}}},
			"title", input.CodeUnexpFile,
		},
		{
			"file under the removal key",
			request{collection: "meetups", id: w.Meetup, as: su, files: []upload{{"banner-", "b.png", pngImage(t)}}},
			"banner", input.CodeUnexpFile,
		},
		{
			"two files for a single file field",
			request{collection: "meetups", as: su, form: []kv{{"title", "t"}, {"starts_at", future}},
				files: []upload{{"banner", "a.png", pngImage(t)}, {"banner+", "b.png", pngImage(t)}}},
			"banner", input.CodeSingleValue,
		},
		{
			"misspelt file field",
			request{collection: "meetups", id: w.Meetup, as: su, files: []upload{{"baner", "b.png", pngImage(t)}}},
			"baner", input.CodeUnknownField,
		},
		{
			// net/http merges query values into a form body, and PocketBase reads them as body values
			"word as number in the query of a form request",
			request{collection: "meetups", id: w.Meetup, as: su, query: "points=lots", form: []kv{{"title", "ok"}}},
			"points", typ,
		},
		{
			"urlencoded word as number",
			request{collection: "meetups", id: w.Meetup, as: su, urlencoded: true, form: []kv{{"points", "abc"}}},
			"points", typ,
		},
	})
}
