// Package pbpublic embeds the built web pages (organizer, host, admin and
// the Mini App) so the binary serves them without Node or a pb_public
// folder beside it. Sources live in web/; `make web` rebuilds this folder.
package pbpublic

import "embed"

// FS holds the built pages: the landing page, one folder per app, and the
// shared hashed files under assets/.
//
//go:embed index.html all:organizer all:host all:app all:assets
var FS embed.FS
