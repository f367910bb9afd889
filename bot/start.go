package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"questbase/bot/i18n"
)

// The start screen: /start finds or creates the student's users record by
// Telegram id, asks once for first name, last name and study group, then
// shows the main menu or opens a deep link (/start meetup_<id>).

// profileSteps are the fields onboarding asks for, in order, with their
// question and length limit. A field left empty is the step the student is
// on, so the conversation needs no state of its own.
var profileSteps = []struct {
	field, question string
	max             int
}{
	{"first_name", "onboard.first_name", 100},
	{"last_name", "onboard.last_name", 100},
	{"study_group", "onboard.study_group", 50},
}

func startScreen(r *Router) {
	r.Command("start", "cmd.start", start)
	r.Dialog(onboarding)
}

func start(c *Context) error {
	if c.User == nil {
		users, err := c.App.FindCachedCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		u := core.NewRecord(users)
		u.Id = core.GenerateDefaultRandomId()
		u.Set("telegram_id", c.From.ID)
		u.Set("telegram_username", clip(c.From.Username, 64))
		u.Set("language", i18n.Lang(c.From.LanguageCode))
		// Students sign in through Telegram only: a hash no password
		// matches (and no bcrypt round per new student).
		u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "telegram-only:" + security.RandomString(30)})
		u.RefreshTokenKey()
		c.User = u
		if err := c.Save(u); err != nil {
			return err
		}
		c.Reply(c.T("start.welcome", nil), nil)
	} else if u := c.User; u.GetString("telegram_username") != clip(c.From.Username, 64) {
		u.Set("telegram_username", clip(c.From.Username, 64))
		if err := c.Save(u); err != nil {
			return err
		}
	}
	if step := nextStep(c.User); step >= 0 {
		if h, _ := deepLink(c, c.Args); h != nil {
			// opened once the profile is complete
			if err := writeState(c.App, deepLinkKey+c.User.Id, clip(c.Args, 100)); err != nil {
				return err
			}
		}
		c.Reply(c.T(profileSteps[step].question, nil), &Keyboard{Remove: true})
		return nil
	}
	if h, arg := deepLink(c, c.Args); h != nil {
		c.Args = arg
		return h(c)
	}
	c.Reply(c.T("start.back", map[string]any{"name": c.User.GetString("first_name")}), nil)
	return c.bot.showMenu(c)
}

// deepLinkKey prefixes the app_state row keeping the deep link a student
// came with while they answer the onboarding questions.
const deepLinkKey = "telegram.deep_link."

// deepLink finds the handler of /start prefix_arg.
func deepLink(c *Context, args string) (Handler, string) {
	prefix, arg, ok := strings.Cut(args, "_")
	if !ok || arg == "" {
		return nil, ""
	}
	return c.bot.router.deepLinks[prefix], arg
}

// nextStep is the index of the first profile field still empty, or -1.
func nextStep(u *core.Record) int {
	for i, s := range profileSteps {
		if strings.TrimSpace(u.GetString(s.field)) == "" {
			return i
		}
	}
	return -1
}

// onboarding takes the answer to the current profile question.
func onboarding(c *Context) (bool, error) {
	step := nextStep(c.User)
	if step < 0 {
		return false, nil
	}
	s := profileSteps[step]
	v, ok := profileValue(c.Message.Text, s.max)
	if !ok {
		c.Reply(c.T("onboard.invalid", map[string]any{"max": s.max})+"\n"+c.T(s.question, nil), nil)
		return true, nil
	}
	c.User.Set(s.field, v)
	if err := c.Save(c.User); err != nil {
		return true, err
	}
	if next := nextStep(c.User); next >= 0 {
		c.Reply(c.T(profileSteps[next].question, nil), nil)
		return true, nil
	}
	c.Reply(c.T("onboard.done", map[string]any{"name": c.User.GetString("first_name")}), nil)
	link, err := readState(c.App, deepLinkKey+c.User.Id)
	if err != nil {
		return true, err
	}
	if h, arg := deepLink(c, link); h != nil {
		if err := deleteState(c.App, deepLinkKey+c.User.Id); err != nil {
			return true, err
		}
		c.Args = arg
		return true, h(c)
	}
	return true, c.bot.showMenu(c)
}

// profileValue accepts one line of printable text up to max characters.
func profileValue(text string, max int) (string, bool) {
	v := strings.Join(strings.Fields(text), " ")
	if v == "" || !utf8.ValidString(v) || utf8.RuneCountInString(v) > max || strings.HasPrefix(v, "/") {
		return "", false
	}
	for _, r := range v {
		if !unicode.IsPrint(r) {
			return "", false
		}
	}
	return v, true
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
