package pbpublic_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	pbpublic "questbase/pb_public"
)

// sourcesHash mirrors web/scripts/stamp.mjs: every file under web/ but
// node_modules, build output and dot-files, by sorted path, as
// "path\nsize\n" + content.
func sourcesHash(t *testing.T, root string) string {
	t.Helper()
	skip := map[string]bool{"node_modules": true, "dist": true, ".vite": true}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && (skip[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		body, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\n%d\n", f, len(body))
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The committed pages are built from the committed sources: a change under
// web/ without `make web` fails here instead of shipping stale pages.
func TestBuiltPagesMatchSources(t *testing.T) {
	stamp, err := os.ReadFile("sources.sha256")
	if err != nil {
		t.Fatalf("no build stamp (run `make web`): %v", err)
	}
	if got, want := strings.TrimSpace(string(stamp)), sourcesHash(t, "../web"); got != want {
		t.Fatalf("pb_public was built from other sources than web/ holds: run `make web` and commit pb_public")
	}
}

// Every file a page or a script refers to is embedded in the binary (Go's
// embed skips names starting with "_" or "." unless told, and a pattern can
// miss a new folder).
func TestEmbeddedPagesAreComplete(t *testing.T) {
	ref := regexp.MustCompile(`(?:"|'|\()(?:\./|/assets/)([A-Za-z0-9_.-]+\.(?:js|css|wasm))`)
	checked := 0
	err := fs.WalkDir(pbpublic.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".css")) {
			return err
		}
		body, err := fs.ReadFile(pbpublic.FS, p)
		if err != nil {
			return err
		}
		for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
			if _, err := fs.Stat(pbpublic.FS, "assets/"+m[1]); err != nil {
				t.Errorf("%s refers to assets/%s, which is not embedded", p, m[1])
			}
			checked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "organizer/index.html", "host/index.html", "app/index.html"} {
		if _, err := fs.Stat(pbpublic.FS, page); err != nil {
			t.Errorf("page %s is not embedded", page)
		}
	}
	if checked < 5 {
		t.Errorf("only %d references found: the pattern no longer matches the build", checked)
	}
}
