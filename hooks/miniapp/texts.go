package miniapp

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot/i18n"
)

// TextsPath serves the Mini App's texts from the one catalogue students'
// texts live in (bot/i18n): GET /api/miniapp/texts?lang=en.
const TextsPath = "/api/miniapp/texts"

// textsPrefix selects the Mini App's keys in the catalogue.
const textsPrefix = "miniapp."

// Texts is the answer of TextsPath: the catalogue language chosen for the
// asked one (Russian unless English) and its raw texts by key, with
// {{.name}} placeholders the page fills in.
type Texts struct {
	Lang  string            `json:"lang"`
	Texts map[string]string `json:"texts"`
}

func serveTexts(e *core.RequestEvent) error {
	lang := i18n.Lang(e.Request.URL.Query().Get("lang"))
	// the same for everyone and changed only by a new binary
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return e.JSON(http.StatusOK, Texts{Lang: lang, Texts: i18n.Texts(lang, textsPrefix)})
}
