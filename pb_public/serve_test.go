package pbpublic_test

import (
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	pbpublic "questbase/pb_public"
)

func fetch(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// no transparent decompression: the test looks at what the server sends
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// The binary serves the pages: hashed assets cached for good and gzipped
// (the decoder's .wasm is the biggest file a phone fetches), pages
// revalidated, and an unknown /api/ path is a JSON 404, not the landing page.
func TestPagesAreServed(t *testing.T) {
	a := server(t)
	for _, p := range []string{"/", "/organizer/", "/host/"} {
		res, body := fetch(t, a.url+p)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), `lang="ru"`) {
			t.Errorf("%s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}

	wasm, err := fs.Glob(pbpublic.FS, "assets/zxing_reader-*.wasm")
	if err != nil || len(wasm) != 1 {
		t.Fatalf("the decoder's .wasm in the build: %v %v", wasm, err)
	}
	want, _ := fs.ReadFile(pbpublic.FS, wasm[0])
	res, body := fetch(t, a.url+"/"+wasm[0], "Accept-Encoding", "gzip")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/wasm" || string(body) != string(want) {
		t.Errorf("wasm: %d %s, %d bytes (want %d)", res.StatusCode, res.Header.Get("Content-Type"), len(body), len(want))
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Error("the .wasm is sent uncompressed")
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("wasm Cache-Control %q", cc)
	}

	res, body = fetch(t, a.url+"/api/no-such-route")
	if res.StatusCode != 404 || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Errorf("/api/no-such-route: %d %s %.80s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}
