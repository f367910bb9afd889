package bot

import (
	"errors"
	"fmt"
	"strings"

	"questbase/bot/i18n"
	"questbase/hooks/notify"
)

// errNoTemplate: an outbox row of a kind the bot cannot word.
var errNoTemplate = errors.New("no template")

// numericFields are the payload numbers each kind's text compares; a row
// without one renders as if it were 0.
var numericFields = map[string][]string{
	notify.KindPoints:        {"amount", "balance"},
	notify.KindLevelUp:       {"from", "to"},
	notify.KindLevelDown:     {"from", "to"},
	notify.KindAchievement:   {"points"},
	notify.KindClaimApproved: {"points"},
	notify.KindClaimRejected: {"points"},
}

// Render words an outbox row for its recipient: its kind's text from the
// catalogue in lang; for other kinds, payload.text (with optional link
// buttons) or payload.poll. It is what the sender sends.
func Render(kind string, payload map[string]any, lang string) (Outgoing, error) {
	data := make(map[string]any, len(payload)+1)
	for k, v := range payload {
		data[k] = v
	}
	for _, f := range numericFields[kind] {
		if _, ok := data[f].(float64); !ok {
			data[f] = 0
		}
	}
	if kind == notify.KindPoints {
		if r, _ := data["reason"].(string); i18n.Has("reason." + r) {
			data["reason_text"] = i18n.T(lang, "reason."+r, nil)
		}
	}
	if key := "notify." + kind; i18n.Has(key) {
		return Outgoing{Text: i18n.T(lang, key, data)}, nil
	}

	if p, ok := payload["poll"].(map[string]any); ok {
		poll := &Poll{Question: str(p["question"])}
		multiple, _ := p["multiple"].(bool)
		poll.Multiple = multiple
		opts, _ := p["options"].([]any)
		for _, o := range opts {
			poll.Options = append(poll.Options, str(o))
		}
		if poll.Question == "" || len(poll.Options) < 2 {
			return Outgoing{}, fmt.Errorf("%w: poll %q needs a question and 2 options", errNoTemplate, kind)
		}
		return Outgoing{Poll: poll}, nil
	}
	text := strings.TrimSpace(str(payload["text"]))
	if text == "" {
		return Outgoing{}, fmt.Errorf("%w for kind %q", errNoTemplate, kind)
	}
	m := Outgoing{Text: text}
	if list, ok := payload["buttons"].([]any); ok {
		var row []Button
		for _, b := range list {
			bm, _ := b.(map[string]any)
			t, u := str(bm["text"]), str(bm["url"])
			if t != "" && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
				row = append(row, Button{Text: t, URL: u})
			}
		}
		if row != nil {
			m.Keyboard = &Keyboard{Inline: [][]Button{row}}
		}
	}
	return m, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
