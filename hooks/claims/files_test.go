package claims_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// pdf is a minimal PDF document; its type is sniffed from the content.
var pdf = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func attachment(name, contentType string, data []byte) testapp.File {
	return testapp.File{Field: "attachments", Name: name, ContentType: contentType, Data: data}
}

// storedFiles counts the files in the app's local storage.
func storedFiles(t testing.TB, dataDir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dataDir, "storage"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // no storage folder yet
		}
		// the local driver keeps a .attrs file beside each file
		if !d.IsDir() && filepath.Ext(d.Name()) != ".attrs" {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fileToken gets a protected-file token the way a client does.
func fileToken(t testing.TB, h http.Handler, authToken string) string {
	t.Helper()
	st, body := do(h, http.MethodPost, "/api/files/token", authToken, nil, "")
	if st != http.StatusOK {
		t.Fatalf("file token: %d %s", st, body)
	}
	var res struct{ Token string }
	if err := json.Unmarshal(body, &res); err != nil || res.Token == "" {
		t.Fatalf("file token response %s: %v", body, err)
	}
	return res.Token
}

// A student files a claim with a photo and a PDF; only they and reviewers
// see the claim and fetch its files.
func TestFilingAndAttachments(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	photo := testapp.PNG(8, 8)
	files := storedFiles(t, app.DataDir())

	form, contentType := testapp.Multipart(
		map[string]string{"user": w.Student2, "title": "Spoke at GopherCon", "description": "Slides and photo attached"},
		attachment("stage.png", "image/png", photo), attachment("slides.pdf", "application/pdf", pdf),
	)
	st, body := do(h, http.MethodPost, claimsURL, w.Token(w.Student2), form, contentType)
	if st != http.StatusOK {
		t.Fatalf("filing: %d %s", st, body)
	}
	var filed struct {
		ID          string   `json:"id"`
		Status      string   `json:"status"`
		Attachments []string `json:"attachments"`
	}
	if err := json.Unmarshal(body, &filed); err != nil {
		t.Fatal(err)
	}
	if filed.Status != "pending" || len(filed.Attachments) != 2 {
		t.Fatalf("filed claim: %s", body)
	}
	if got := storedFiles(t, app.DataDir()); got != files+2 {
		t.Errorf("%d files stored, want %d", got, files+2)
	}

	// students see only their own claims
	for _, c := range []struct {
		name, as, url string
		status        int
		listed        bool
	}{
		{"owner lists", w.Student2, claimsURL, 200, true},
		{"owner views", w.Student2, claimURL(filed.ID), 200, false},
		{"reviewer lists", w.Staff[access.ClaimsReview], claimsURL, 200, true},
		{"another student lists", w.Student, claimsURL, 200, false},
		{"another student views", w.Student, claimURL(filed.ID), 404, false},
		{"guest lists", "", claimsURL, 200, false},
		{"guest views", "", claimURL(filed.ID), 404, false},
	} {
		tok := ""
		if c.as != "" {
			tok = w.Token(c.as)
		}
		st, body := do(h, http.MethodGet, c.url, tok, nil, "")
		if st != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, st, c.status, body)
			continue
		}
		if c.url == claimsURL && bytes.Contains(body, []byte(filed.ID)) != c.listed {
			t.Errorf("%s: listed=%v, want %v: %s", c.name, !c.listed, c.listed, body)
		}
	}

	// the attachments are protected: a file token of the owner or a reviewer opens them
	fileURL := "/api/files/claims/" + filed.ID + "/" + filed.Attachments[0]
	for _, c := range []struct {
		name, as string
		status   int
	}{
		{"owner", w.Student2, 200},
		{"reviewer", w.Staff[access.ClaimsReview], 200},
		{"another student", w.Student, 404},
		{"a reviewer of scope Web only", w.Scoped[access.ClaimsReview], 404},
	} {
		st, body := do(h, http.MethodGet, fileURL+"?token="+fileToken(t, h, w.Token(c.as)), "", nil, "")
		if st != c.status {
			t.Errorf("%s fetches the attachment: %d, want %d", c.name, st, c.status)
		}
		if st == 200 && !bytes.Equal(body, photo) {
			t.Errorf("%s got %d bytes, not the uploaded photo", c.name, len(body))
		}
	}
	for name, url := range map[string]string{
		"guest without a token":            fileURL,
		"a forged token":                   fileURL + "?token=abc",
		"owner's auth token as file token": fileURL + "?token=" + w.Token(w.Student2),
	} {
		if st, _ := do(h, http.MethodGet, url, "", nil, ""); st != 404 {
			t.Errorf("%s: %d, want 404", name, st)
		}
	}
}

// Six attachments or a file that is neither an image nor a PDF: a 400 naming
// attachments, and neither a claim nor a file is stored.
func TestAttachmentLimits(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	claims, files := count(t, app, "claims"), storedFiles(t, app.DataDir())

	var six []testapp.File
	for i := range 6 {
		six = append(six, attachment("p"+strconv.Itoa(i)+".png", "image/png", testapp.PNG(4, 4)))
	}
	for name, upload := range map[string][]testapp.File{
		"six attachments":  six,
		"a text file":      {attachment("notes.pdf", "application/pdf", []byte("just some text, not a PDF\n"))},
		"a file too large": {attachment("huge.png", "image/png", append(testapp.PNG(4, 4), make([]byte, 10<<20)...))},
	} {
		form, contentType := testapp.Multipart(map[string]string{"user": w.Student2, "title": "Too much"}, upload...)
		st, body := do(h, http.MethodPost, claimsURL, w.Token(w.Student2), form, contentType)
		if st != http.StatusBadRequest || !bytes.Contains(body, []byte(`"attachments"`)) {
			t.Errorf("%s: %d %s, want a 400 naming attachments", name, st, body)
		}
	}
	if got := count(t, app, "claims"); got != claims {
		t.Errorf("%d claims, want %d", got, claims)
	}
	if got := storedFiles(t, app.DataDir()); got != files {
		t.Errorf("%d stored files, want %d", got, files)
	}
}
