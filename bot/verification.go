package bot

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/verification"
)

// The verification screen: the student's verification status, and a
// one-step dialog taking a photo of their face with their student ID. The
// photo is saved into users.verification_photo; the verification hook
// makes the status pending (also after an approval) and notifies the
// student, so the bot only shows where things stand.
//
// A photo is taken as a verification photo only after the student pressed
// "Send photo" (a state in app_state, surviving restarts): a stray photo
// must not send an approved profile back to review.

// verifyKey + a users id is the app_state key set while the bot waits for
// that student's photo.
const verifyKey = "telegram.verify."

const verifyAwaiting = "awaiting"

func verificationScreen(r *Router) {
	r.Callback(CBVerification, verificationCallback)
	// Asked before the claim dialog: a student who pressed "Send photo"
	// with a claim draft open means the next photo for verification.
	r.Dialog(verificationDialog)
}

func verificationCallback(c *Context) error {
	action, _, ok := parseAction(c.Data)
	if !ok {
		c.Answer(c.T("unknown.button", nil))
		return showVerification(c, true)
	}
	switch action {
	case "":
		c.Answer("")
		return showVerification(c, true)
	case "send":
		if err := writeState(c.App, verifyKey+c.User.Id, verifyAwaiting); err != nil {
			return err
		}
		c.Answer("")
		f, err := photoField(c.App)
		if err != nil {
			return err
		}
		c.Edit(c.T("verify.ask", map[string]any{"mb": fileMax(f) >> 20}), &Keyboard{Inline: [][]Button{
			{keyButton(c, "verify.btn.cancel", CBVerification+":cancel")}}})
		return nil
	case "cancel":
		waiting, err := awaitingPhoto(c)
		if err != nil {
			return err
		}
		if waiting {
			if err := stopVerification(c); err != nil {
				return err
			}
			c.Answer(c.T("verify.cancelled", nil))
		} else {
			c.Answer("")
		}
		return showVerification(c, true)
	}
	c.Answer(c.T("unknown.button", nil))
	return showVerification(c, true)
}

// showVerification shows the status and what the student can do.
func showVerification(c *Context, edit bool) error {
	status := c.User.GetString("verification_status")
	if status == "" {
		status = verification.StatusNone
	}
	text := c.T("verify.screen", map[string]any{
		"status": c.T("verify.status."+status, nil),
		"hint":   c.T("verify.hint."+status, nil),
		"note":   c.User.GetString("verification_note"),
	})
	send := "verify.btn.send"
	if c.User.GetString("verification_photo") != "" {
		send = "verify.btn.resend"
	}
	kb := &Keyboard{Inline: [][]Button{
		{keyButton(c, send, CBVerification+":send")},
		{keyButton(c, "verify.btn.menu", CBMenu)},
	}}
	if edit {
		c.Edit(text, kb)
	} else {
		c.Reply(text, kb)
	}
	return nil
}

// verificationDialog takes the photo the student was asked for.
func verificationDialog(c *Context) (bool, error) {
	waiting, err := awaitingPhoto(c)
	if err != nil || !waiting {
		return false, err
	}
	f, err := photoField(c.App)
	if err != nil {
		return true, err
	}
	cancel := &Keyboard{Inline: [][]Button{{keyButton(c, "verify.btn.cancel", CBVerification+":cancel")}}}
	refuse := func(key string) (bool, error) {
		c.Reply(c.T(key, map[string]any{"mb": fileMax(f) >> 20}), cancel)
		return true, nil
	}
	if len(c.Message.Photo) == 0 && c.Message.Document == nil {
		return refuse("verify.need_photo")
	}
	in := incomingFile(c.Message)
	switch {
	case in.FileID == "" || !typeAllowed(in.mime, f.MimeTypes):
		return refuse("verify.bad_type")
	case in.size > fileMax(f):
		return refuse("verify.too_large")
	}
	file, why, err := fetchAttachment(c, in.draftFile, fileMax(f), f.MimeTypes)
	if err != nil {
		return true, err
	}
	if why != "" {
		return refuse("verify." + why)
	}
	c.User.Set(f.Name, file)
	if err := c.Save(c.User); err != nil {
		why, ok := refusal(err)
		if !ok {
			return true, fmt.Errorf("save verification photo of %s: %w", c.User.Id, err)
		}
		c.Reply(c.T("verify.refused", map[string]any{"reason": why}), cancel)
		return true, nil
	}
	if err := stopVerification(c); err != nil {
		return true, err
	}
	return true, showVerification(c, false)
}

func awaitingPhoto(c *Context) (bool, error) {
	v, err := readState(c.App, verifyKey+c.User.Id)
	return v == verifyAwaiting, err
}

// stopVerification stops waiting for the student's photo.
func stopVerification(c *Context) error {
	v, err := readState(c.App, verifyKey+c.User.Id)
	if err != nil || v == "" {
		return err
	}
	return writeState(c.App, verifyKey+c.User.Id, "")
}

func photoField(app core.App) (*core.FileField, error) {
	users, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, fmt.Errorf("users collection: %w", err)
	}
	f, ok := users.Fields.GetByName("verification_photo").(*core.FileField)
	if !ok {
		return nil, errors.New("users.verification_photo is missing or not a file field")
	}
	return f, nil
}

func fileMax(f *core.FileField) int64 {
	if f.MaxSize <= 0 {
		return core.DefaultFileFieldMaxSize
	}
	return f.MaxSize
}
