package bot

import "questbase/hooks/access"

// The main menu, help, and the answer to anything not understood. The
// sections' buttons are handled by their screens (meetups.go, courses.go,
// claims.go, profile.go, verification.go).

// Callback prefixes of the main menu's sections.
const (
	CBMenu         = "menu"
	CBMeetups      = "meetups"
	CBCourses      = "courses"
	CBClaims       = "claims"
	CBProfile      = "profile"
	CBVerification = "verify"
)

func menuScreen(r *Router) {
	r.Command("menu", "cmd.menu", func(c *Context) error { return c.bot.showMenu(c) })
	r.Command("help", "cmd.help", func(c *Context) error {
		c.Reply(c.T("help", nil), nil)
		return nil
	})
	r.Callback(CBMenu, func(c *Context) error {
		c.Answer("")
		return c.bot.showMenu(c)
	})
	r.Text = func(c *Context) error {
		c.Reply(c.T("unknown.text", nil), menuKeyboard(c))
		return nil
	}
}

// showMenu sends the main menu.
func (b *Bot) showMenu(c *Context) error {
	c.Reply(c.T("menu.title", nil), menuKeyboard(c))
	return nil
}

func menuKeyboard(c *Context) *Keyboard {
	btn := func(key, data string) Button { return Button{Text: c.T(key, nil), Data: data} }
	kb := &Keyboard{Inline: [][]Button{
		{btn("menu.meetups", CBMeetups), btn("menu.courses", CBCourses)},
		{btn("menu.claims", CBClaims), btn("menu.profile", CBProfile)},
		{btn("menu.verification", CBVerification)},
	}}
	if url := c.bot.appURL(); url != "" {
		kb.Inline = append(kb.Inline, []Button{{Text: c.T("menu.app", nil), WebApp: url}})
		// organizers open the scanner as a Mini App of its own: inside
		// Telegram it signs in by Mini App data and has the native scanner
		if c.User != nil {
			if ok, err := access.CanAny(c.App, c.User.Id, access.CheckinScan); err == nil && ok {
				kb.Inline = append(kb.Inline, []Button{{Text: c.T("menu.scanner", nil), WebApp: c.PublicURL() + "/organizer/"}})
			}
		}
	}
	return kb
}
