package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
)

// What the meetup and course screens share: paged lists, banners, dates,
// plain text from the editor's HTML, and saves the hooks may refuse.

// loadPage loads a page of a list whose load asks for per+1 rows (the
// extra one says whether there is a next page). A page gone empty under
// an old button (the list shrank) falls back to the first.
func loadPage[T any](page, per int, load func(page int) ([]T, error)) ([]T, int, bool, error) {
	rows, err := load(page)
	if err != nil {
		return nil, page, false, err
	}
	if len(rows) == 0 && page > 0 {
		page = 0
		if rows, err = load(0); err != nil {
			return nil, page, false, err
		}
	}
	more := len(rows) > per
	if more {
		rows = rows[:per]
	}
	return rows, page, more, nil
}

// captionMax is Telegram's limit for a photo caption.
const captionMax = 1024

// bannerMax is the largest banner sent (Telegram takes photos up to 10 MB).
const bannerMax = 10 << 20

// sendCard sends a card: its banner (rec's file field) with text as the
// caption and kb under it, or text alone without a banner. A text too long
// for a caption follows the banner as its own message.
func sendCard(c *Context, rec *core.Record, field, text string, kb *Keyboard) {
	name := rec.GetString(field)
	if name == "" {
		c.Reply(text, kb)
		return
	}
	key := rec.BaseFilesPath() + "/" + name
	var data []byte
	if _, cached := c.bot.photoIDs.Load(key); !cached {
		var err error
		if data, err = readStoredFile(c.App, key); err != nil {
			c.Reply(text, kb) // a missing banner must not hide the card
			return
		}
	}
	photo := Outgoing{ChatID: c.ChatID, Text: text, Keyboard: kb}
	var after *Outgoing
	if utf8.RuneCountInString(text) > captionMax {
		photo.Text, photo.Keyboard = "", nil
		after = &Outgoing{ChatID: c.ChatID, Text: text, Keyboard: kb}
	}
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		m := photo
		if id, ok := c.bot.photoIDs.Load(key); ok {
			m.Photo = &File{ID: id.(string)}
			if _, err := tg.Send(ctx, m); err == nil {
				return nil
			}
			c.bot.photoIDs.Delete(key) // Telegram forgot it: upload again
			if data == nil {
				if data, _ = readStoredFile(c.bot.App, key); data == nil {
					m.Photo = nil
					_, err := tg.Send(ctx, m)
					return err
				}
			}
		}
		m.Photo = &File{Name: name, Bytes: data}
		sent, err := tg.Send(ctx, m)
		if err != nil {
			return err
		}
		if sent.FileID != "" {
			c.bot.photoIDs.Store(key, sent.FileID)
		}
		return nil
	})
	if after != nil {
		c.Send(*after)
	}
}

// readStoredFile reads a stored file of at most bannerMax bytes.
func readStoredFile(app core.App, key string) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, fmt.Errorf("open file storage: %w", err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(key)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, bannerMax+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	if len(b) > bannerMax {
		return nil, fmt.Errorf("%s is over %d bytes", key, bannerMax)
	}
	return b, nil
}

// cardTime formats a stored time in the server's zone (TZ) in the user's
// language's layout; "" for no time.
func (c *Context) cardTime(t types.DateTime) string {
	if t.IsZero() {
		return ""
	}
	return t.Time().In(time.Local).Format(c.T("meetups.fmt_datetime", nil))
}

// cardDay formats a stored date without the time.
func (c *Context) cardDay(t types.DateTime) string {
	if t.IsZero() {
		return ""
	}
	return t.Time().In(time.Local).Format(c.T("meetups.fmt_date", nil))
}

var (
	blockTags = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/h[1-6])\s*/?>`)
	anyTag    = regexp.MustCompile(`<[^>]*>`)
	blankRuns = regexp.MustCompile(`\n{3,}`)
)

// plainText turns the editor's HTML into plain text of at most n characters.
func plainText(s string, n int) string {
	s = blockTags.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	s = strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
	if utf8.RuneCountInString(s) > n {
		s = strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
	}
	return s
}

// hookRefusal is a save the hooks refused: Code is the validation code of the
// first field error ("" without one), Message the hook's words.
type hookRefusal struct {
	Code    string
	Message string
}

// saveOrRefusal saves rec as the user. A refusal by the rules (a 400 or a
// validation error) comes back as a refusal with nothing of the attempt
// left in the transaction; any other error is returned as such and fails
// the update.
func (c *Context) saveOrRefusal(rec *core.Record) (*hookRefusal, error) {
	db := c.App.DB()
	if _, err := db.NewQuery("SAVEPOINT bot_try_save").Execute(); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	err := c.Save(rec)
	if err == nil {
		_, err := db.NewQuery("RELEASE bot_try_save").Execute()
		return nil, err
	}
	if _, rerr := db.NewQuery("ROLLBACK TO bot_try_save").Execute(); rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	if _, rerr := db.NewQuery("RELEASE bot_try_save").Execute(); rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	if r := hookRefusalOf(err); r != nil {
		return r, nil
	}
	return nil, err
}

func hookRefusalOf(err error) *hookRefusal {
	var api *router.ApiError
	if errors.As(err, &api) {
		if api.Status != 400 {
			return nil
		}
		r := &hookRefusal{Message: api.Message}
		for _, f := range errorFields(api.Data) {
			if m, ok := api.Data[f].(map[string]any); ok {
				if code, ok := m["code"].(string); ok {
					r.Code = code
					break
				}
			}
		}
		return r
	}
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		r := &hookRefusal{Message: verrs.Error()}
		for _, f := range errorFields(verrs) {
			var ve validation.Error
			if errors.As(verrs[f], &ve) {
				r.Code = ve.Code()
				break
			}
		}
		return r
	}
	return nil
}

func errorFields[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// hookRefusalText words a refusal for the user: the catalogue's text for its
// code under prefix ("meetups.refused."), else the general one with the
// hook's own message.
func (c *Context) hookRefusalText(prefix string, r *hookRefusal) string {
	if r.Code != "" {
		if t := c.T(prefix+r.Code, nil); t != prefix+r.Code {
			return t
		}
	}
	// callback answers show at most 200 characters
	return clip(c.T(prefix+"other", map[string]any{"reason": r.Message}), 190)
}

// isRecordID reports whether s can be a record id (garbage never reaches a query).
func isRecordID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9') && ch != '_' {
			return false
		}
	}
	return true
}

// pageNumber parses a page number from callback data (0 for garbage).
func pageNumber(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}
