package pbpublic

import (
	"io/fs"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Handler serves FS. Files under assets/ carry a hash of their content in
// their names, so phones may keep them for a year; the pages themselves are
// revalidated on every load, so a new binary's pages show at once. Unknown
// paths get the landing page, except under /api/: a client calling a route
// this binary lacks gets a JSON 404, not a 200 with HTML.
func Handler() func(*core.RequestEvent) error {
	static := apis.Static(FS, true)
	return func(e *core.RequestEvent) error {
		if strings.HasPrefix(e.Request.URL.Path, "/api/") {
			return e.NotFoundError("", nil)
		}
		name := strings.TrimPrefix(e.Request.URL.Path, "/")
		if strings.HasPrefix(name, "assets/") && fileExists(name) {
			e.Response.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			e.Response.Header().Set("Cache-Control", "no-cache")
		}
		return static(e)
	}
}

func fileExists(name string) bool {
	fi, err := fs.Stat(FS, name)
	return err == nil && !fi.IsDir()
}
