package bot

import (
	"strings"
)

// Handler answers one update. It reads and saves records through c.App
// (the update's transaction) and queues its answers with c.Reply,
// c.Answer, ...; they are sent after the transaction commits. An error
// rolls everything back.
type Handler func(c *Context) error

// Router maps updates to screens. Each screen is one file with a function
// that registers its commands, button prefixes and deep links here (see
// screens in bot.go); a later registration of the same name replaces an
// earlier one, so a real screen replaces its placeholder.
type Router struct {
	commands  map[string]Handler
	cmdOrder  []string
	cmdDesc   map[string]string // command → catalogue key of its description
	callbacks map[string]Handler
	deepLinks map[string]Handler
	// Text gets a text message that no command and no dialog took.
	Text Handler
	// Media gets a photo or document that no dialog took.
	Media Handler
	// PollAnswer gets votes in the bot's polls.
	PollAnswer Handler
	// buttonHooks run on every button press before its handler: a
	// question waiting for free text ends when the student moves on.
	buttonHooks []Handler
	// Dialogs get a message before anything else and report whether they
	// took it: a multi-step conversation (onboarding, filing a claim)
	// waiting for the user's next answer.
	dialogs []Dialog
}

// Dialog takes a message when the user is in the middle of it.
type Dialog func(c *Context) (bool, error)

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{
		commands:  map[string]Handler{},
		cmdDesc:   map[string]string{},
		callbacks: map[string]Handler{},
		deepLinks: map[string]Handler{},
	}
}

// Command routes /name to h; descKey ("" to keep it out of the menu) is
// the catalogue key of its description in the command list.
func (r *Router) Command(name, descKey string, h Handler) {
	if _, ok := r.commands[name]; !ok {
		r.cmdOrder = append(r.cmdOrder, name)
	}
	r.commands[name] = h
	if descKey != "" {
		r.cmdDesc[name] = descKey
	} else {
		delete(r.cmdDesc, name)
	}
}

// Callback routes inline buttons whose data is prefix or starts with
// "prefix:" to h; c.Data holds the rest after the colon.
func (r *Router) Callback(prefix string, h Handler) { r.callbacks[prefix] = h }

// DeepLink routes /start prefix_<arg> (t.me/bot?start=prefix_arg) to h
// once the user is onboarded; c.Args holds arg.
func (r *Router) DeepLink(prefix string, h Handler) { r.deepLinks[prefix] = h }

// OnButton runs h on every button press, before the button's handler.
func (r *Router) OnButton(h Handler) { r.buttonHooks = append(r.buttonHooks, h) }

// Dialog adds a conversation step taker, asked in order of registration.
func (r *Router) Dialog(d Dialog) { r.dialogs = append(r.dialogs, d) }

// Commands lists the commands shown in Telegram's menu, in lang.
func (r *Router) Commands(lang string) []Command {
	var out []Command
	for _, name := range r.cmdOrder {
		if key, ok := r.cmdDesc[name]; ok {
			out = append(out, Command{Command: name, Description: tr(lang, key, nil)})
		}
	}
	return out
}

// splitCommand parses "/name@bot args" into name and args; ok is false
// for text that is not a command.
func splitCommand(text, botName string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	name, at, hasAt := strings.Cut(head, "@")
	if hasAt && !strings.EqualFold(at, botName) {
		return "", "", false // meant for another bot
	}
	if name == "" {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(args), true
}

// route finds the callback handler for data.
func (r *Router) route(data string) (Handler, string) {
	prefix, rest, _ := strings.Cut(data, ":")
	return r.callbacks[prefix], rest
}
