package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Telegram is the part of the Bot API questbase uses. Its one
// implementation (tgbotapi.go) wraps go-telegram-bot-api; swapping the
// library means rewriting that file only. Every call takes a context: a
// cancelled context aborts the HTTP request (a long poll included).
type Telegram interface {
	// Self is the bot's own account, as getMe answered at start.
	Self() User
	// Updates long-polls for updates with ids ≥ offset, confirming the
	// earlier ones, and waits at most timeout for the first one.
	Updates(ctx context.Context, offset int64, timeout time.Duration) ([]Update, error)
	// Send delivers a text, photo, document or poll.
	Send(ctx context.Context, m Outgoing) (Sent, error)
	AnswerCallback(ctx context.Context, id, text string) error
	EditText(ctx context.Context, chatID int64, messageID int, text string, kb *Keyboard) error
	EditKeyboard(ctx context.Context, chatID int64, messageID int, kb *Keyboard) error
	Delete(ctx context.Context, chatID int64, messageID int) error
	// Download fetches a file a user sent, refusing files above max bytes
	// with an error wrapping ErrFileTooLarge.
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
	// SetCommands sets the command list for users with language lang ("" is
	// everyone else).
	SetCommands(ctx context.Context, lang string, cmds []Command) error
	// SetMenuButton makes the chat's menu button open a Mini App at url.
	SetMenuButton(ctx context.Context, text, url string) error
	SetWebhook(ctx context.Context, url, secret string) error
	DeleteWebhook(ctx context.Context) error
}

// Update is one incoming event: exactly one of its pointers is set for the
// kinds the bot asks for (see AllowedUpdates).
type Update struct {
	ID            int64         `json:"update_id"`
	Message       *Message      `json:"message,omitempty"`
	CallbackQuery *Callback     `json:"callback_query,omitempty"`
	PollAnswer    *PollAnswer   `json:"poll_answer,omitempty"`
	MyChatMember  *MemberUpdate `json:"my_chat_member,omitempty"`
}

// AllowedUpdates are the update kinds the bot receives.
var AllowedUpdates = []string{"message", "callback_query", "poll_answer", "my_chat_member"}

// User is a Telegram account.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is where a message was sent; private chats have the user's id.
type Chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// Message is an incoming message.
type Message struct {
	ID       int         `json:"message_id"`
	From     *User       `json:"from,omitempty"`
	Chat     Chat        `json:"chat"`
	Date     int64       `json:"date"`
	Text     string      `json:"text,omitempty"`
	Caption  string      `json:"caption,omitempty"`
	Photo    []PhotoSize `json:"photo,omitempty"`
	Document *Document   `json:"document,omitempty"`
}

// PhotoSize is one resolution of a photo; the last one is the largest.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Document is a file sent as a document.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Callback is a press of an inline button.
type Callback struct {
	ID      string   `json:"id"`
	From    User     `json:"from"`
	Message *Message `json:"message,omitempty"`
	Data    string   `json:"data,omitempty"`
}

// PollAnswer is a user's vote in a non-anonymous poll (empty when retracted).
type PollAnswer struct {
	PollID    string `json:"poll_id"`
	User      User   `json:"user"`
	OptionIDs []int  `json:"option_ids"`
}

// MemberUpdate reports that a user blocked or unblocked the bot.
type MemberUpdate struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// ChatMember is a member's status: "member", "kicked" (blocked the bot), ...
type ChatMember struct {
	Status string `json:"status"`
	User   User   `json:"user"`
}

// Outgoing is one message to send: Text alone, or a Photo or Document
// (with Text as caption), or a Poll.
type Outgoing struct {
	ChatID   int64
	Text     string
	Photo    *File
	Document *File
	Poll     *Poll
	Keyboard *Keyboard
}

// File is an upload (Name and Bytes) or a file Telegram already has (ID).
type File struct {
	ID    string
	Name  string
	Bytes []byte
}

// Poll is a non-anonymous poll, so that answers arrive per user.
type Poll struct {
	Question string
	Options  []string
	Multiple bool
}

// Keyboard is inline buttons under a message, or a reply keyboard
// replacing the user's keyboard, or Remove to take it away.
type Keyboard struct {
	Inline [][]Button
	Reply  [][]string
	Remove bool
}

// Button is an inline button: callback Data, a URL, or a Mini App URL.
type Button struct {
	Text   string
	Data   string
	URL    string
	WebApp string
}

// Sent is what Telegram answered to a send.
type Sent struct {
	MessageID int
	PollID    string
	// FileID of an uploaded photo or document, to resend it without upload.
	FileID string
}

// Command is one entry of the bot's command list.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// APIError is a refusal by the Bot API.
type APIError struct {
	Method      string
	Code        int
	Description string
	// RetryAfter is set on 429: the whole bot must wait this long.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// ErrFileTooLarge is Download refusing a file above its limit: the user's
// mistake, to be told, not a failure to retry.
var ErrFileTooLarge = errors.New("file too large")

// AsAPIError returns err's APIError, if it is one.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// RetryAfter reports whether err asks to stop calling Telegram, and for how long.
func RetryAfter(err error) (time.Duration, bool) {
	e, ok := AsAPIError(err)
	if !ok || (e.Code != 429 && e.RetryAfter == 0) {
		return 0, false
	}
	if e.RetryAfter <= 0 {
		return time.Second, true
	}
	return e.RetryAfter, true
}
