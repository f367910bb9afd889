package verification_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/config"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

const bucket = "questbase"

// s3App returns an app storing files in a fake S3 bucket, with the
// configuration applied as at start (config.Apply runs in OnServe).
func s3App(t *testing.T) (*tests.TestApp, *testapp.World, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	cfg := testapp.TestConfig()
	cfg.S3 = config.S3{Enabled: true, Endpoint: srv.URL, Bucket: bucket, Region: "us-east-1", AccessKey: "key", Secret: "secret", ForcePathStyle: true}
	app, w := testapp.NewWith(t, testapp.Options{Config: &cfg})
	if err := config.Apply(app, cfg); err != nil {
		t.Fatal(err)
	}
	return app, w, backend
}

// object returns the bytes of a bucket object, or ok=false.
func object(t testing.TB, backend *s3mem.Backend, key string) ([]byte, bool) {
	t.Helper()
	obj, err := backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, false
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return data, true
}

// With S3 storage the archived copy lands in the bucket, with the replaced
// photo's bytes, and the purge removes it from the bucket.
func TestArchiveOnS3(t *testing.T) {
	app, w, backend := s3App(t)
	first, second := testapp.PNG(51, 51), testapp.PNG(52, 52)

	// the first photo through the REST API, as the student sends it
	h := serve(t, app)
	body, headers := photoBody(w.Auth(w.Student), first, nil)
	req := httptest.NewRequest(http.MethodPatch, "/api/collections/users/records/"+w.Student, body)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res := httptest.NewRecorder()
	h.ServeHTTP(res, req)
	if res.Code != http.StatusOK {
		t.Fatalf("upload through the API: %d %s", res.Code, res.Body)
	}
	firstName := load(t, app, w.Student).Photo
	userDir := userRecord(t, app, w.Student).BaseFilesPath()
	if got, ok := object(t, backend, userDir+"/"+firstName); !ok || !bytes.Equal(got, first) {
		t.Fatal("the uploaded photo is not in the bucket")
	}

	upload(t, app, w.Student, second, actorUser(t, app, w.Student))
	rows := archived(t, app, w.Student)
	if len(rows) != 1 {
		t.Fatalf("%d archive rows, want 1", len(rows))
	}
	key := rows[0].BaseFilesPath() + "/" + rows[0].GetString("photo")
	if !strings.HasPrefix(key, rows[0].Collection().Id+"/") {
		t.Fatalf("archive key %q", key)
	}
	if got, ok := object(t, backend, key); !ok || !bytes.Equal(got, first) {
		t.Fatalf("the archived copy is not in the bucket at %s with the first photo's bytes", key)
	}
	if _, ok := object(t, backend, userDir+"/"+firstName); ok {
		t.Fatal("the replaced photo is still in the user's folder in the bucket")
	}

	if p := purge(t, app, afterRetention()); p != (verification.Purged{Archived: 1}) {
		t.Fatalf("purge: %+v", p)
	}
	if _, ok := object(t, backend, key); ok {
		t.Fatal("the purge left the archived copy in the bucket")
	}
	if got, ok := object(t, backend, userDir+"/"+load(t, app, w.Student).Photo); !ok || !bytes.Equal(got, second) {
		t.Fatal("the current photo is not in the bucket")
	}
}
