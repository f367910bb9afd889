package config_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/config"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// A banner uploaded through the REST API with S3 configured lands in the
// bucket (and not on local disk), and is served back from there.
func TestBannerUploadGoesToS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("questbase"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3.Close()

	cfg := testapp.TestConfig()
	cfg.S3 = config.S3{Enabled: true, Endpoint: s3.URL, Bucket: "questbase", Region: "us-east-1", AccessKey: "key", Secret: "secret", ForcePathStyle: true}
	w := testapp.Fixtures(t)
	banner := testapp.PNG(64, 36)
	body, contentType := testapp.Multipart(map[string]string{
		"title": "S3 meetup", "starts_at": "2030-01-01 18:00:00.000Z", "status": "published", "tags": w.TagML,
	}, testapp.File{Field: "banner", Name: "banner.png", ContentType: "image/png", Data: banner})

	headers := w.Auth(w.Staff[access.MeetupsManage])
	headers["Content-Type"] = contentType
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/api/collections/meetups/records",
		Body:            body,
		Headers:         headers,
		ExpectedStatus:  200,
		ExpectedContent: []string{`"title":"S3 meetup"`, `"banner":"banner_`},
		ExpectedEvents: map[string]int{
			"OnRecordCreateRequest":      1,
			"OnRecordCreate":             1,
			"OnRecordAfterCreateSuccess": 1,
		},
		TestAppFactory: testapp.Factory(testapp.Options{Config: &cfg}),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var rec struct{ ID, CollectionID, Banner string }
			if err := json.NewDecoder(res.Body).Decode(&rec); err != nil {
				t.Fatal(err)
			}
			key := rec.CollectionID + "/" + rec.ID + "/" + rec.Banner
			obj, err := backend.GetObject("questbase", key, nil)
			if err != nil {
				t.Fatalf("banner not in the bucket at %s: %v", key, err)
			}
			got, _ := io.ReadAll(obj.Contents)
			if !bytes.Equal(got, banner) {
				t.Fatalf("bucket holds %d bytes, uploaded %d", len(got), len(banner))
			}
			if _, err := os.Stat(filepath.Join(app.DataDir(), "storage", key)); !os.IsNotExist(err) {
				t.Fatalf("banner also written to local disk: %v", err)
			}
			// and it reads back through PocketBase's filesystem
			fsys, err := app.NewFilesystem()
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			r, err := fsys.GetReader(key)
			if err != nil {
				t.Fatalf("read back through the app: %v", err)
			}
			defer r.Close()
			back, _ := io.ReadAll(r)
			if !bytes.Equal(back, banner) {
				t.Fatal("app reads back different bytes")
			}
			if s := app.Settings().Backups.S3; !s.Enabled || s.Bucket != "questbase" {
				t.Fatalf("backups not sent to S3: %+v", s)
			}
		},
	}).Test(t)
}

// Without S3 variables files stay on local disk.
func TestBannerUploadStaysLocalWithoutS3(t *testing.T) {
	w := testapp.Fixtures(t)
	banner := testapp.PNG(32, 18)
	body, contentType := testapp.Multipart(map[string]string{
		"title": "Local meetup", "starts_at": "2030-01-01 18:00:00.000Z", "tags": w.TagML,
	}, testapp.File{Field: "banner", Name: "banner.png", ContentType: "image/png", Data: banner})
	headers := w.Auth(w.Superuser)
	headers["Content-Type"] = contentType
	(&tests.ApiScenario{
		Method: http.MethodPost, URL: "/api/collections/meetups/records", Body: body, Headers: headers,
		ExpectedStatus: 200, ExpectedContent: []string{`"banner":"banner_`},
		TestAppFactory: testapp.Factory(testapp.Options{}),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var rec struct{ ID, CollectionID, Banner string }
			json.NewDecoder(res.Body).Decode(&rec)
			got, err := os.ReadFile(filepath.Join(app.DataDir(), "storage", rec.CollectionID, rec.ID, rec.Banner))
			if err != nil || !bytes.Equal(got, banner) {
				t.Fatalf("banner not on local disk: %v", err)
			}
			if app.Settings().S3.Enabled {
				t.Fatal("S3 enabled without QB_S3_* variables")
			}
		},
	}).Test(t)
}

// The superuser from the environment is created, then updated when its
// password changes, and left alone (sessions kept) when it does not.
func TestApplyUpsertsSuperuser(t *testing.T) {
	app, _ := testapp.New(t)
	cfg := testapp.TestConfig()
	cfg.SuperuserEmail, cfg.SuperuserPassword = "admin@club.test", "first-password"
	if err := config.Apply(app, cfg); err != nil {
		t.Fatal(err)
	}
	su, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "admin@club.test")
	if err != nil || !su.ValidatePassword("first-password") {
		t.Fatalf("superuser not created with the password: %v", err)
	}
	key := su.TokenKey()

	if err := config.Apply(app, cfg); err != nil {
		t.Fatal(err)
	}
	su, _ = app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "admin@club.test")
	if su.TokenKey() != key {
		t.Fatal("an unchanged password must not log the superuser out")
	}

	cfg.SuperuserPassword = "second-password"
	if err := config.Apply(app, cfg); err != nil {
		t.Fatal(err)
	}
	su, _ = app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "admin@club.test")
	if !su.ValidatePassword("second-password") || su.ValidatePassword("first-password") {
		t.Fatal("password not updated")
	}
	n, _ := app.CountRecords(core.CollectionNameSuperusers)
	if n != 2 { // the fixture's root and the configured one
		t.Fatalf("want 2 superusers, got %d", n)
	}
}
