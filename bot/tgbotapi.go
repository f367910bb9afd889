package bot

// This file is the only one that knows go-telegram-bot-api. It is used as
// transport (request encoding, multipart uploads, error envelopes); the
// answers are decoded into questbase's own types, so that the library's
// types never leak into the rest of the bot.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// callTimeout bounds every call but the long poll.
const callTimeout = 30 * time.Second

type libAPI struct {
	bot     *tgbotapi.BotAPI
	client  *http.Client
	baseURL string
	self    User
}

// Dial connects to the Bot API at baseURL (e.g. https://api.telegram.org)
// and checks the token with getMe. client is used for every call; its
// Timeout must exceed the long-poll timeout.
func Dial(ctx context.Context, token, baseURL string, client *http.Client) (Telegram, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	if client == nil {
		client = &http.Client{Timeout: PollTimeout + callTimeout}
	}
	d := &ctxDoer{client: client, ctx: ctx}
	bot, err := tgbotapi.NewBotAPIWithClient(token, baseURL+"/bot%s/%s", d)
	if err != nil {
		return nil, wrapErr("getMe", err, d.status)
	}
	a := &libAPI{bot: bot, client: client, baseURL: baseURL}
	a.self = User{ID: bot.Self.ID, IsBot: bot.Self.IsBot, FirstName: bot.Self.FirstName, Username: bot.Self.UserName}
	return a, nil
}

// ctxDoer binds one call's context to the library's context-less requests
// and remembers the HTTP status, which the library drops on multipart
// errors.
type ctxDoer struct {
	client *http.Client
	ctx    context.Context
	status int
}

func (d *ctxDoer) Do(req *http.Request) (*http.Response, error) {
	res, err := d.client.Do(req.WithContext(d.ctx))
	if res != nil {
		d.status = res.StatusCode
	}
	return res, err
}

// call runs fn with a copy of the library's client bound to ctx.
func (a *libAPI) call(ctx context.Context, method string, fn func(*tgbotapi.BotAPI) (*tgbotapi.APIResponse, error)) (json.RawMessage, error) {
	if _, ok := ctx.Deadline(); !ok && method != "getUpdates" {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, callTimeout)
		defer cancel()
	}
	d := &ctxDoer{client: a.client, ctx: ctx}
	b := *a.bot
	b.Client = d
	res, err := fn(&b)
	if err != nil {
		return nil, wrapErr(method, err, d.status)
	}
	return res.Result, nil
}

func (a *libAPI) request(ctx context.Context, c tgbotapi.Chattable, method string) (json.RawMessage, error) {
	return a.call(ctx, method, func(b *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) { return b.Request(c) })
}

func (a *libAPI) raw(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error) {
	return a.call(ctx, method, func(b *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) { return b.MakeRequest(method, p) })
}

// wrapErr turns the library's error into an APIError; status fills in the
// code the library leaves at 0 for multipart uploads.
func wrapErr(method string, err error, status int) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		code := te.Code
		if code == 0 {
			code = status
		}
		return &APIError{Method: method, Code: code, Description: te.Message,
			RetryAfter: time.Duration(te.RetryAfter) * time.Second}
	}
	if status >= 500 {
		// a gateway's HTML error page: no envelope to decode
		return &APIError{Method: method, Code: status, Description: err.Error()}
	}
	return fmt.Errorf("telegram %s: %w", method, err)
}

func (a *libAPI) Self() User { return a.self }

func (a *libAPI) Updates(ctx context.Context, offset int64, timeout time.Duration) ([]Update, error) {
	cfg := tgbotapi.UpdateConfig{Offset: int(offset), Limit: 100, Timeout: int(timeout / time.Second), AllowedUpdates: AllowedUpdates}
	raw, err := a.request(ctx, cfg, "getUpdates")
	if err != nil {
		return nil, err
	}
	var ups []Update
	if err := json.Unmarshal(raw, &ups); err != nil {
		return nil, fmt.Errorf("telegram getUpdates: decode: %w", err)
	}
	return ups, nil
}

func (a *libAPI) Send(ctx context.Context, m Outgoing) (Sent, error) {
	base := tgbotapi.BaseChat{ChatID: m.ChatID}
	if m.Keyboard != nil {
		base.ReplyMarkup = markup(m.Keyboard)
	}
	var c tgbotapi.Chattable
	method := "sendMessage"
	switch {
	case m.Poll != nil:
		method = "sendPoll"
		c = tgbotapi.SendPollConfig{BaseChat: base, Question: m.Poll.Question, Options: m.Poll.Options,
			IsAnonymous: false, Type: "regular", AllowsMultipleAnswers: m.Poll.Multiple}
	case m.Photo != nil:
		method = "sendPhoto"
		c = tgbotapi.PhotoConfig{BaseFile: tgbotapi.BaseFile{BaseChat: base, File: fileData(m.Photo)}, Caption: m.Text}
	case m.Document != nil:
		method = "sendDocument"
		c = tgbotapi.DocumentConfig{BaseFile: tgbotapi.BaseFile{BaseChat: base, File: fileData(m.Document)}, Caption: m.Text}
	default:
		c = tgbotapi.MessageConfig{BaseChat: base, Text: m.Text, DisableWebPagePreview: true}
	}
	raw, err := a.request(ctx, c, method)
	if err != nil {
		return Sent{}, err
	}
	var msg struct {
		MessageID int `json:"message_id"`
		Poll      *struct {
			ID string `json:"id"`
		} `json:"poll"`
		Photo    []PhotoSize `json:"photo"`
		Document *Document   `json:"document"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		return Sent{}, fmt.Errorf("telegram %s: decode: %w", method, err)
	}
	s := Sent{MessageID: msg.MessageID}
	if msg.Poll != nil {
		s.PollID = msg.Poll.ID
	}
	if n := len(msg.Photo); n > 0 {
		s.FileID = msg.Photo[n-1].FileID
	}
	if msg.Document != nil {
		s.FileID = msg.Document.FileID
	}
	return s, nil
}

func fileData(f *File) tgbotapi.RequestFileData {
	if f.ID != "" {
		return tgbotapi.FileID(f.ID)
	}
	return tgbotapi.FileBytes{Name: f.Name, Bytes: f.Bytes}
}

// markup is the Bot API's reply_markup for kb. The library's keyboard
// types predate Mini Apps, so the JSON is built here.
func markup(kb *Keyboard) any {
	switch {
	case kb.Remove:
		return map[string]any{"remove_keyboard": true}
	case kb.Reply != nil:
		rows := make([][]map[string]string, len(kb.Reply))
		for i, row := range kb.Reply {
			for _, text := range row {
				rows[i] = append(rows[i], map[string]string{"text": text})
			}
		}
		return map[string]any{"keyboard": rows, "resize_keyboard": true}
	default:
		rows := make([][]map[string]any, len(kb.Inline))
		for i, row := range kb.Inline {
			for _, b := range row {
				btn := map[string]any{"text": b.Text}
				switch {
				case b.WebApp != "":
					btn["web_app"] = map[string]string{"url": b.WebApp}
				case b.URL != "":
					btn["url"] = b.URL
				default:
					btn["callback_data"] = b.Data
				}
				rows[i] = append(rows[i], btn)
			}
		}
		return map[string]any{"inline_keyboard": rows}
	}
}

func (a *libAPI) AnswerCallback(ctx context.Context, id, text string) error {
	_, err := a.request(ctx, tgbotapi.CallbackConfig{CallbackQueryID: id, Text: text}, "answerCallbackQuery")
	return err
}

func editParams(chatID int64, messageID int, kb *Keyboard) (tgbotapi.Params, error) {
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(chatID, 10), "message_id": strconv.Itoa(messageID)}
	if kb != nil {
		if err := p.AddInterface("reply_markup", markup(kb)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (a *libAPI) EditText(ctx context.Context, chatID int64, messageID int, text string, kb *Keyboard) error {
	p, err := editParams(chatID, messageID, kb)
	if err != nil {
		return err
	}
	p["text"] = text
	p["disable_web_page_preview"] = "true"
	_, err = a.raw(ctx, "editMessageText", p)
	return err
}

func (a *libAPI) EditKeyboard(ctx context.Context, chatID int64, messageID int, kb *Keyboard) error {
	if kb == nil {
		kb = &Keyboard{Inline: [][]Button{}}
	}
	p, err := editParams(chatID, messageID, kb)
	if err != nil {
		return err
	}
	_, err = a.raw(ctx, "editMessageReplyMarkup", p)
	return err
}

func (a *libAPI) Delete(ctx context.Context, chatID int64, messageID int) error {
	_, err := a.request(ctx, tgbotapi.NewDeleteMessage(chatID, messageID), "deleteMessage")
	return err
}

func (a *libAPI) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	raw, err := a.request(ctx, tgbotapi.FileConfig{FileID: fileID}, "getFile")
	if err != nil {
		return nil, err
	}
	var f struct {
		Path string `json:"file_path"`
		Size int64  `json:"file_size"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("telegram getFile: decode: %w", err)
	}
	if f.Size > max {
		return nil, fmt.Errorf("telegram file %s: %d bytes is over the limit of %d: %w", fileID, f.Size, max, ErrFileTooLarge)
	}
	if f.Path == "" {
		return nil, fmt.Errorf("telegram file %s: no path (too big to download?)", fileID)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*callTimeout)
	defer cancel()
	// The library's file endpoint is a constant; build the URL here.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.baseURL+"/file/bot"+a.bot.Token+"/"+f.Path, nil)
	if err != nil {
		return nil, err
	}
	res, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram file %s: %w", fileID, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, &APIError{Method: "file", Code: res.StatusCode, Description: res.Status}
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("telegram file %s: %w", fileID, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("telegram file %s: over the limit of %d bytes: %w", fileID, max, ErrFileTooLarge)
	}
	return b, nil
}

func (a *libAPI) SetCommands(ctx context.Context, lang string, cmds []Command) error {
	list := make([]tgbotapi.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = tgbotapi.BotCommand{Command: c.Command, Description: c.Description}
	}
	_, err := a.request(ctx, tgbotapi.SetMyCommandsConfig{Commands: list, LanguageCode: lang}, "setMyCommands")
	return err
}

func (a *libAPI) SetMenuButton(ctx context.Context, text, url string) error {
	p := tgbotapi.Params{}
	if err := p.AddInterface("menu_button", map[string]any{"type": "web_app", "text": text, "web_app": map[string]string{"url": url}}); err != nil {
		return err
	}
	_, err := a.raw(ctx, "setChatMenuButton", p)
	return err
}

func (a *libAPI) SetWebhook(ctx context.Context, url, secret string) error {
	p := tgbotapi.Params{"url": url, "secret_token": secret, "max_connections": "1"}
	if err := p.AddInterface("allowed_updates", AllowedUpdates); err != nil {
		return err
	}
	_, err := a.raw(ctx, "setWebhook", p)
	return err
}

func (a *libAPI) DeleteWebhook(ctx context.Context) error {
	_, err := a.raw(ctx, "deleteWebhook", tgbotapi.Params{})
	return err
}
