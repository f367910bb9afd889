package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/core/validators"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/claims"
)

// The claims screen: the student's own claims with their statuses, and a
// guided dialog to file one: a title, a description (may be skipped), then
// photos or documents, sent with the Send button.
//
// The dialog's state is a draft in app_state (one key per student), so it
// survives restarts. Attachments are remembered by their Telegram file ids
// and downloaded once, when the claim is sent: the update's transaction
// holds the database while it downloads, and an arriving file is checked
// from what Telegram says about it (type, size). The downloaded bytes are
// checked again by the claims collection's own file validators, and the
// limits (how many files, how large, which types, text lengths) are read
// from the collection, so the bot follows the schema instead of copying it.

// Draft steps.
const (
	stepTitle       = "title"
	stepDescription = "description"
	stepFiles       = "files"
)

// claimDraftKey + a users id is the app_state key of that student's draft.
const claimDraftKey = "telegram.claim_draft."

// claimsShown is how many of a student's latest claims the list shows.
const claimsShown = 10

type claimDraft struct {
	// ID names the draft in its buttons: a button of a closed or another
	// draft is stale.
	ID          string      `json:"id,omitempty"`
	Step        string      `json:"step,omitempty"` // "" when no draft is open
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	Files       []draftFile `json:"files,omitempty"`
	// Sent is the id of the last draft that became a claim, so that a
	// second tap of its Send button is told so rather than "stale".
	Sent string `json:"sent,omitempty"`
}

type draftFile struct {
	FileID string `json:"file_id"`
	// Unique is Telegram's file_unique_id: the same file sent twice is
	// attached once.
	Unique string `json:"unique"`
	Name   string `json:"name"`
}

func (d *claimDraft) open() bool { return d.Step != "" }

func claimsScreen(r *Router) {
	r.Callback(CBClaims, claimsCallback)
	r.Dialog(claimDialog)
	r.Media = strayMedia
}

func claimsCallback(c *Context) error {
	action, id, ok := parseAction(c.Data)
	if !ok {
		c.Answer(c.T("unknown.button", nil))
		return showClaims(c)
	}
	switch action {
	case "", "list":
		c.Answer("")
		return showClaims(c)
	case "new":
		return newClaim(c)
	case "skip":
		return skipDescription(c, id)
	case "done":
		return submitClaim(c, id)
	case "cancel":
		return cancelClaim(c, id)
	}
	c.Answer(c.T("unknown.button", nil))
	return showClaims(c)
}

// showClaims shows the student's latest claims, and their open draft.
func showClaims(c *Context) error {
	d, err := loadDraft(c)
	if err != nil {
		return err
	}
	list, err := c.App.FindRecordsByFilter(claims.Collection, "user = {:u}", "-created", claimsShown, 0, dbx.Params{"u": c.User.Id})
	if err != nil {
		return fmt.Errorf("list claims of %s: %w", c.User.Id, err)
	}
	var text string
	if len(list) == 0 {
		text = c.T("claims.empty", nil)
	} else {
		total, err := c.App.CountRecords(claims.Collection, dbx.HashExp{"user": c.User.Id})
		if err != nil {
			return fmt.Errorf("count claims of %s: %w", c.User.Id, err)
		}
		lines := make([]string, len(list))
		for i, cl := range list {
			lines[i] = c.T("claims.item", map[string]any{
				"n": i + 1, "title": cl.GetString("title"), "date": cl.GetDateTime("created").Time().Local().Format("02.01.2006"),
				"status": c.T("claims.status."+cl.GetString("status"), nil),
				"points": cl.GetInt("points"), "note": cl.GetString("review_note"),
			})
		}
		text = c.T("claims.list", map[string]any{"list": strings.Join(lines, "\n"), "more": int(total) - len(list)})
	}
	kb := &Keyboard{}
	if d.open() {
		text += "\n\n" + c.T("claims.draft_open", map[string]any{"title": d.Title})
		kb.Inline = append(kb.Inline, []Button{keyButton(c, "claims.btn.continue", CBClaims+":new"),
			keyButton(c, "claims.btn.cancel", CBClaims+":cancel:"+d.ID)})
	} else {
		kb.Inline = append(kb.Inline, []Button{keyButton(c, "claims.btn.new", CBClaims+":new")})
	}
	kb.Inline = append(kb.Inline, []Button{keyButton(c, "claims.btn.menu", CBMenu)})
	c.Edit(clipText(text), kb)
	return nil
}

// newClaim opens a draft, or goes on with the one open: a double tap, or
// "New claim" on an old list, never loses what was typed.
func newClaim(c *Context) error {
	d, err := loadDraft(c)
	if err != nil {
		return err
	}
	if d.open() {
		c.Answer(c.T("claims.continuing", nil))
		return promptStep(c, d, false)
	}
	if err := stopVerification(c); err != nil { // one dialog at a time: the one asked for last
		return err
	}
	*d = claimDraft{ID: core.GenerateDefaultRandomId(), Step: stepTitle, Sent: d.Sent}
	if err := saveDraft(c, d); err != nil {
		return err
	}
	c.Answer("")
	return promptStep(c, d, true)
}

// promptStep asks for what the draft's step needs, editing the pressed
// message (edit) or in a new one.
func promptStep(c *Context, d *claimDraft, edit bool) error {
	f, err := loadClaimForm(c.App)
	if err != nil {
		return err
	}
	cancel := keyButton(c, "claims.btn.cancel", CBClaims+":cancel:"+d.ID)
	var text string
	kb := &Keyboard{}
	switch d.Step {
	case stepTitle:
		text = c.T("claims.ask_title", map[string]any{"max": f.titleMax()})
		kb.Inline = [][]Button{{cancel}}
	case stepDescription:
		text = c.T("claims.ask_description", map[string]any{"title": d.Title, "max": f.descriptionMax()})
		kb.Inline = [][]Button{{keyButton(c, "claims.btn.skip", CBClaims+":skip:"+d.ID), cancel}}
	default:
		text = c.T("claims.ask_files", map[string]any{"max": f.filesMax(), "mb": f.sizeMax() >> 20, "n": len(d.Files)})
		kb.Inline = filesKeyboard(c, d)
	}
	if edit {
		c.Edit(text, kb)
	} else {
		c.Reply(text, kb)
	}
	return nil
}

func filesKeyboard(c *Context, d *claimDraft) [][]Button {
	return [][]Button{{keyButton(c, "claims.btn.done", CBClaims+":done:"+d.ID),
		keyButton(c, "claims.btn.cancel", CBClaims+":cancel:"+d.ID)}}
}

// claimDialog takes the answers to the open draft's questions.
func claimDialog(c *Context) (bool, error) {
	d, err := loadDraft(c)
	if err != nil || !d.open() {
		return false, err
	}
	f, err := loadClaimForm(c.App)
	if err != nil {
		return true, err
	}
	m := c.Message
	media := len(m.Photo) > 0 || m.Document != nil
	switch d.Step {
	case stepTitle, stepDescription:
		if media {
			c.Reply(c.T("claims.text_first", nil), nil)
			return true, promptStep(c, d, false)
		}
		if d.Step == stepTitle {
			v, ok := profileValue(m.Text, f.titleMax())
			if !ok {
				c.Reply(c.T("claims.invalid_text", map[string]any{"max": f.titleMax()}), nil)
				return true, promptStep(c, d, false)
			}
			d.Title, d.Step = v, stepDescription
		} else {
			v, ok := longText(m.Text, f.descriptionMax())
			if !ok {
				c.Reply(c.T("claims.invalid_text", map[string]any{"max": f.descriptionMax()}), nil)
				return true, promptStep(c, d, false)
			}
			d.Description, d.Step = v, stepFiles
		}
		if err := saveDraft(c, d); err != nil {
			return true, err
		}
		return true, promptStep(c, d, false)
	}

	if !media {
		c.Reply(c.T("claims.need_files", nil), &Keyboard{Inline: filesKeyboard(c, d)})
		return true, nil
	}
	in := incomingFile(m)
	refuse := func(key string) (bool, error) {
		c.Reply(c.T(key, map[string]any{"max": f.filesMax(), "mb": f.sizeMax() >> 20}), &Keyboard{Inline: filesKeyboard(c, d)})
		return true, nil
	}
	switch {
	case in.FileID == "":
		return refuse("claims.bad_type")
	case slices.ContainsFunc(d.Files, func(x draftFile) bool { return x.Unique != "" && x.Unique == in.Unique }):
		return refuse("claims.duplicate")
	case len(d.Files) >= f.filesMax():
		return refuse("claims.too_many")
	case !typeAllowed(in.mime, f.files.MimeTypes):
		return refuse("claims.bad_type")
	case in.size > f.sizeMax():
		return refuse("claims.too_large")
	}
	d.Files = append(d.Files, in.draftFile)
	if err := saveDraft(c, d); err != nil {
		return true, err
	}
	c.Reply(c.T("claims.file_added", map[string]any{"n": len(d.Files), "max": f.filesMax()}), &Keyboard{Inline: filesKeyboard(c, d)})
	return true, nil
}

func skipDescription(c *Context, id string) error {
	d, err := loadDraft(c)
	if err != nil {
		return err
	}
	if !d.open() || d.ID != id {
		return staleDraft(c, d, id)
	}
	c.Answer("")
	if d.Step != stepDescription {
		return nil // a double tap: the description was skipped already
	}
	d.Step = stepFiles
	if err := saveDraft(c, d); err != nil {
		return err
	}
	return promptStep(c, d, true)
}

func cancelClaim(c *Context, id string) error {
	d, err := loadDraft(c)
	if err != nil {
		return err
	}
	if !d.open() || d.ID != id {
		return staleDraft(c, d, id)
	}
	if err := saveDraft(c, &claimDraft{Sent: d.Sent}); err != nil {
		return err
	}
	c.Answer("")
	c.Edit(c.T("claims.cancelled", nil), &Keyboard{Inline: [][]Button{
		{keyButton(c, "claims.btn.list", CBClaims), keyButton(c, "claims.btn.menu", CBMenu)}}})
	return nil
}

// staleDraft answers a button of a draft that is no longer open: it was
// sent, cancelled, or replaced. Nothing changes.
func staleDraft(c *Context, d *claimDraft, id string) error {
	if id != "" && d.Sent == id {
		c.Answer(c.T("claims.already_sent", nil))
	} else {
		c.Answer(c.T("claims.stale", nil))
	}
	return nil
}

// submitClaim downloads the draft's files and saves the claim; the hooks
// file it as pending.
func submitClaim(c *Context, id string) error {
	d, err := loadDraft(c)
	if err != nil {
		return err
	}
	if !d.open() || d.ID != id {
		return staleDraft(c, d, id)
	}
	c.Answer("")
	if d.Step != stepFiles {
		return promptStep(c, d, false) // only the files step shows Send
	}
	f, err := loadClaimForm(c.App)
	if err != nil {
		return err
	}
	var (
		files   []*filesystem.File
		kept    []draftFile
		refused []string
	)
	for i, df := range d.Files {
		file, why, err := fetchAttachment(c, df, f.sizeMax(), f.files.MimeTypes)
		if err != nil {
			return err
		}
		if why != "" {
			refused = append(refused, c.T("claims.file_refused", map[string]any{"n": i + 1, "reason": c.T("claims."+why, map[string]any{"mb": f.sizeMax() >> 20})}))
			continue
		}
		files = append(files, file)
		kept = append(kept, df)
	}
	if len(refused) > 0 {
		// Told which, the student sends the rest or replaces them.
		d.Files = kept
		if err := saveDraft(c, d); err != nil {
			return err
		}
		c.Reply(strings.Join(refused, "\n")+"\n\n"+c.T("claims.files_left", map[string]any{"n": len(kept)}),
			&Keyboard{Inline: filesKeyboard(c, d)})
		return nil
	}

	claim := core.NewRecord(f.col)
	claim.Set("user", c.User.Id)
	claim.Set("title", d.Title)
	claim.Set("description", d.Description)
	if len(files) > 0 {
		claim.Set("attachments", files)
	}
	if err := c.Save(claim); err != nil {
		why, ok := refusal(err)
		if !ok {
			return fmt.Errorf("save claim of %s: %w", c.User.Id, err)
		}
		c.Reply(c.T("claims.refused", map[string]any{"reason": why}), &Keyboard{Inline: filesKeyboard(c, d)})
		return nil
	}
	if err := saveDraft(c, &claimDraft{Sent: d.ID}); err != nil {
		return err
	}
	c.Edit(c.T("claims.sent", map[string]any{"title": d.Title, "files": len(files)}), &Keyboard{Inline: [][]Button{
		{keyButton(c, "claims.btn.list", CBClaims), keyButton(c, "claims.btn.menu", CBMenu)}}})
	return nil
}

// fetchAttachment downloads a file the student sent and checks it with the
// field's own validators. why says what is wrong with a file that is not
// acceptable ("too_large", "bad_type", "file_gone"; the screens have a text
// for each); err is a failure to retry (Telegram or the network).
func fetchAttachment(c *Context, df draftFile, maxSize int64, types []string) (*filesystem.File, string, error) {
	data, err := c.Download(df.FileID, maxSize)
	if errors.Is(err, ErrFileTooLarge) {
		return nil, "too_large", nil
	}
	if e, ok := AsAPIError(err); ok && e.Code == http.StatusBadRequest {
		return nil, "file_gone", nil // Telegram no longer has it
	}
	if err != nil {
		return nil, "", fmt.Errorf("download %s: %w", df.FileID, err)
	}
	file, err := filesystem.NewFileFromBytes(data, df.Name)
	if err != nil {
		return nil, "bad_type", nil // empty
	}
	if len(types) > 0 {
		if err := validators.UploadedFileMimeType(types)(file); err != nil {
			return nil, "bad_type", nil
		}
	}
	if err := validators.UploadedFileSize(maxSize)(file); err != nil {
		return nil, "too_large", nil
	}
	return file, "", nil
}

// strayMedia answers a photo or file sent outside any dialog.
func strayMedia(c *Context) error {
	c.Reply(c.T("claims.stray_media", nil), &Keyboard{Inline: [][]Button{
		{keyButton(c, "claims.btn.new", CBClaims+":new")},
		{keyButton(c, "claims.btn.verify", CBVerification+":send")},
		{keyButton(c, "claims.btn.menu", CBMenu)},
	}})
	return nil
}

// incoming is a file as a message announces it.
type incoming struct {
	draftFile
	mime string
	size int64 // 0 when Telegram did not say
}

// incomingFile reads the largest size of a photo (Telegram sends photos
// as JPEG), or a document with its declared or name-derived type.
func incomingFile(m *Message) incoming {
	if n := len(m.Photo); n > 0 {
		p := m.Photo[n-1]
		return incoming{draftFile: draftFile{FileID: p.FileID, Unique: p.FileUniqueID, Name: "photo.jpg"}, mime: "image/jpeg", size: p.FileSize}
	}
	doc := m.Document
	if doc == nil {
		return incoming{}
	}
	typ, _, _ := strings.Cut(doc.MimeType, ";")
	typ = strings.ToLower(strings.TrimSpace(typ))
	if typ == "" || typ == "application/octet-stream" {
		typ, _, _ = strings.Cut(mime.TypeByExtension(strings.ToLower(filepath.Ext(doc.FileName))), ";")
	}
	name := filepath.Base(doc.FileName)
	if name == "." || name == "/" || !utf8.ValidString(name) {
		name = ""
	}
	if name == "" {
		name = "file"
		if exts, _ := mime.ExtensionsByType(typ); len(exts) > 0 {
			name += exts[0]
		}
	}
	return incoming{draftFile: draftFile{FileID: doc.FileID, Unique: doc.FileUniqueID, Name: clip(name, 100)}, mime: typ, size: doc.FileSize}
}

func typeAllowed(typ string, allowed []string) bool {
	return len(allowed) == 0 || slices.Contains(allowed, typ)
}

// longText accepts text of up to max characters, several lines allowed.
func longText(text string, max int) (string, bool) {
	v := strings.TrimSpace(text)
	if v == "" || !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		return "", false
	}
	for _, r := range v {
		if !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return "", false
		}
	}
	return v, true
}

// claimForm is the claims collection and the fields the dialog fills.
type claimForm struct {
	col          *core.Collection
	title, descr *core.TextField
	files        *core.FileField
}

func loadClaimForm(app core.App) (*claimForm, error) {
	col, err := app.FindCachedCollectionByNameOrId(claims.Collection)
	if err != nil {
		return nil, fmt.Errorf("claims collection: %w", err)
	}
	f := &claimForm{col: col}
	var ok1, ok2, ok3 bool
	f.title, ok1 = col.Fields.GetByName("title").(*core.TextField)
	f.descr, ok2 = col.Fields.GetByName("description").(*core.TextField)
	f.files, ok3 = col.Fields.GetByName("attachments").(*core.FileField)
	if !ok1 || !ok2 || !ok3 {
		return nil, errors.New("claims collection: title, description or attachments is missing or of another type")
	}
	return f, nil
}

// Telegram messages hold at most 4096 characters: a longer limit is moot.
func (f *claimForm) titleMax() int       { return textMax(f.title) }
func (f *claimForm) descriptionMax() int { return textMax(f.descr) }
func (f *claimForm) filesMax() int       { return max(f.files.MaxSelect, 1) }

func (f *claimForm) sizeMax() int64 { return fileMax(f.files) }

func textMax(t *core.TextField) int {
	if t.Max <= 0 || t.Max > 4096 {
		return 4096
	}
	return t.Max
}

func loadDraft(c *Context) (*claimDraft, error) {
	d := &claimDraft{}
	v, err := readState(c.App, claimDraftKey+c.User.Id)
	if err != nil || v == "" {
		return d, err
	}
	if err := json.Unmarshal([]byte(v), d); err != nil {
		// unreadable (written by another version): as good as no draft
		return &claimDraft{}, nil
	}
	return d, nil
}

func saveDraft(c *Context, d *claimDraft) error {
	v, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode claim draft: %w", err)
	}
	return writeState(c.App, claimDraftKey+c.User.Id, string(v))
}

// refusal is why a rule refused a save (a hook's 400 or 403, a field's
// validation), to tell the student; ok is false for anything else (the
// database failing), which rolls the update back. Rules refuse before
// anything is written, so the update's other changes may still commit.
func refusal(err error) (string, bool) {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if apiErr.Status != http.StatusBadRequest && apiErr.Status != http.StatusForbidden {
			return "", false
		}
		why := apiErr.Message
		if verrs, ok := apiErr.RawData().(validation.Errors); ok && len(verrs) > 0 {
			why += " " + verrs.Error()
		}
		return why, true
	}
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		return verrs.Error(), true
	}
	return "", false
}

// keyButton is a button with a catalogue text.
func keyButton(c *Context, key, data string) Button { return Button{Text: c.T(key, nil), Data: data} }

// clipText keeps a message within Telegram's 4096 characters.
func clipText(s string) string {
	if utf8.RuneCountInString(s) <= 4096 {
		return s
	}
	return string([]rune(s)[:4095]) + "…"
}
