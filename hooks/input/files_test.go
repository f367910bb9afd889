package input_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// Codes of PocketBase's file validation, which these cases rely on.
const (
	codeFileSize = "validation_file_size_limit"
	codeFileType = "validation_invalid_mime_type"
)

const mb = 1 << 20

// pngImage is a small valid PNG.
func pngImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

// bigPNG is a PNG padded past size bytes: its type sniffs as image/png,
// its size is over the limit.
func bigPNG(t testing.TB, size int) []byte {
	t.Helper()
	return append(pngImage(t), make([]byte, size+1)...)
}

// TestFilesRejected uploads, for each collection with a file field, a file
// over the field's size limit and a text file where an image belongs.
func TestFilesRejected(t *testing.T) {
	w := testapp.Fixtures(t)
	su := w.Superuser
	text := []byte("plain text pretending to be an image\n")
	password := []kv{{"password", testapp.Password}, {"passwordConfirm", testapp.Password}}

	type target struct {
		name, collection, id, as, field string
		form                            []kv
		max                             int
	}
	targets := []target{
		{"users", "users", "", su, "verification_photo", append([]kv{{"first_name", "A"}}, password...), 5 * mb},
		{"users/update", "users", w.Student, su, "verification_photo", nil, 5 * mb},
		{"meetups", "meetups", "", su, "banner", []kv{{"title", "t"}, {"starts_at", future}}, 5 * mb},
		{"meetups/user", "meetups", "", w.Staff[access.MeetupsManage], "banner", []kv{{"title", "t"}, {"starts_at", future}}, 5 * mb},
		{"meetups/update", "meetups", w.Meetup, su, "banner", nil, 5 * mb},
		{"courses", "courses", "", su, "banner", []kv{{"title", "c"}}, 5 * mb},
		{"courses/update", "courses", w.Course, w.Staff[access.CoursesManage], "banner", nil, 5 * mb},
		{"levels", "levels", "", su, "image", []kv{{"number", "11"}, {"title", "L"}}, 5 * mb},
		{"achievements", "achievements", "", w.Staff[access.AchievementsManage], "image", []kv{{"title", "A"}}, 5 * mb},
		{"claims", "claims", "", su, "attachments", []kv{{"user", w.Student2}, {"title", "C"}}, 10 * mb},
		{"claims/student", "claims", "", w.Student2, "attachments", []kv{{"user", w.Student2}, {"title", "C"}}, 10 * mb},
		{"broadcasts", "broadcasts", "", su, "image", []kv{{"title", "B"}}, 5 * mb},
	}
	var cases []rejected
	for _, tg := range targets {
		req := request{collection: tg.collection, id: tg.id, as: tg.as, form: tg.form}
		big, wrong := req, req
		big.files = []upload{{tg.field, "big.png", bigPNG(t, tg.max)}}
		wrong.files = []upload{{tg.field, "picture.png", text}}
		cases = append(cases,
			rejected{tg.name + "/oversized file", big, tg.field, codeFileSize},
			rejected{tg.name + "/text file as image", wrong, tg.field, codeFileType},
		)
	}
	runRejected(t, cases)
}
