// Package pbpublic embeds the built web pages (organizer, host, admin and
// the Mini App) so the binary serves them without Node or a pb_public
// folder beside it. Sources live in web/.
package pbpublic

import "embed"

// FS holds the built pages.
//
//go:embed index.html
var FS embed.FS
