package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiError is an answer with ok=false.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		writeErr(w, apiError{code: 404, desc: "Not Found"})
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || method == "" {
		writeErr(w, apiError{code: 404, desc: "Not Found"})
		return
	}
	if token != s.Token {
		writeErr(w, apiError{code: 401, desc: "Unauthorized"})
		return
	}
	params, files, err := parseBody(r)
	if err != nil {
		writeErr(w, apiError{code: 400, desc: "Bad Request: " + err.Error()})
		return
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, params)
		return
	}

	call := Call{Method: method, Params: params, Files: files, At: time.Now()}
	if v := params["chat_id"]; v != "" {
		call.ChatID, _ = strconv.ParseInt(v, 10, 64)
	}
	delay, fault := s.decide(&call)
	if delay > 0 {
		time.Sleep(delay)
	}
	var result any
	var aerr *apiError
	if fault != nil {
		aerr = fault
	} else {
		result, aerr = s.dispatch(&call)
	}

	s.mu.Lock()
	if aerr != nil {
		call.Status = aerr.code
		if aerr.code == 429 {
			s.n429++
			if until := call.At.Add(time.Duration(aerr.retryAfter) * time.Second); until.After(s.pause) {
				s.pause = until
			}
		}
	} else {
		call.Status = 200
	}
	s.calls = append(s.calls, call)
	s.notify()
	s.mu.Unlock()

	if aerr != nil {
		writeErr(w, *aerr)
		return
	}
	writeOK(w, result)
}

// decide applies pauses, injected faults, blocks and the rate limit.
func (s *Server) decide(c *Call) (time.Duration, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delay := s.delay
	limited := isMessageMethod(c.Method)
	if limited && c.At.Before(s.pause) {
		c.InPause = true
		left := max(1, ceilSeconds(s.pause.Sub(c.At)))
		return delay, &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", left), retryAfter: left}
	}
	var f *Fault
	for _, key := range []string{c.Method, ""} {
		if key == "" && !limited {
			continue
		}
		if q := s.queue[key]; len(q) > 0 {
			f, s.queue[key] = &q[0], q[1:]
			break
		}
	}
	if f == nil && s.inject != nil {
		f = s.inject(*c)
	}
	if f != nil {
		delay += f.Delay
		if f.Code != 0 {
			return delay, &apiError{code: f.Code, desc: f.Description, retryAfter: f.RetryAfter}
		}
	}
	if limited && c.ChatID != 0 {
		if desc, ok := s.blocked[c.ChatID]; ok {
			return delay, &apiError{code: 403, desc: desc}
		}
		if s.unknown[c.ChatID] {
			return delay, &apiError{code: 400, desc: ChatNotFound.Description}
		}
	}
	if limited && s.limiter != nil && !s.limiter.AllowN(c.At, 1) {
		return delay, &apiError{code: 429, desc: "Too Many Requests: retry after 1", retryAfter: 1}
	}
	return delay, nil
}

// parseBody reads parameters from the query, an urlencoded or multipart
// form, or a JSON object (non-string values kept as their JSON text, as
// form values would carry them).
func parseBody(r *http.Request) (map[string]string, map[string]Upload, error) {
	params := map[string]string{}
	files := map[string]Upload{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return params, files, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var obj map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&obj); err != nil && err != io.EOF {
			return nil, nil, fmt.Errorf("can't parse JSON body: %v", err)
		}
		for k, raw := range obj {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				params[k] = str
			} else {
				params[k] = string(raw)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(64 << 20); err != nil {
			return nil, nil, fmt.Errorf("can't parse multipart body: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
		for k, hs := range r.MultipartForm.File {
			f, err := hs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			b, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, nil, err
			}
			files[k] = Upload{Name: hs[0].Filename, Bytes: b}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, fmt.Errorf("can't parse form: %v", err)
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
	}
	return params, files, nil
}

func writeOK(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeErr(w http.ResponseWriter, e apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	json.NewEncoder(w).Encode(body)
}

func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	f := s.paths[path]
	s.mu.Unlock()
	if f == nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.Write(f.data)
}

// getUpdates answers the updates with id ≥ offset, dropping (confirming)
// the earlier ones, and holds the request up to timeout seconds until one
// arrives.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]string) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.After(time.Duration(timeout) * time.Second)
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: "getUpdates", Params: p, At: time.Now(), Status: 200})
	s.notify()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		writeErr(w, apiError{code: errConflictHooks.Code, desc: errConflictHooks.Description})
		return
	}
	s.mu.Unlock()
	for {
		s.mu.Lock()
		if offset > 0 {
			i := 0
			for i < len(s.updates) && s.updates[i].id < offset {
				i++
			}
			s.updates = s.updates[i:]
		}
		var out []json.RawMessage
		for _, u := range s.updates {
			if len(out) == limit {
				break
			}
			out = append(out, u.raw)
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			writeOK(w, out)
			return
		}
		select {
		case <-ch:
		case <-deadline:
			writeOK(w, []json.RawMessage{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) dispatch(c *Call) (any, *apiError) {
	p := c.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	switch c.Method {
	case "getMe":
		return Bot.json(), nil
	case "sendMessage":
		if c.ChatID == 0 {
			return nil, &apiError{code: 400, desc: "Bad Request: chat_id is empty"}
		}
		text := p["text"]
		if strings.TrimSpace(text) == "" {
			return nil, &apiError{code: 400, desc: "Bad Request: message text is empty"}
		}
		if len([]rune(text)) > 4096 {
			return nil, &apiError{code: 400, desc: "Bad Request: message is too long"}
		}
		m, err := s.message(c)
		if err != nil {
			return nil, err
		}
		m["text"] = text
		return m, nil
	case "sendPhoto", "sendDocument":
		field := "photo"
		if c.Method == "sendDocument" {
			field = "document"
		}
		var f *file
		if up, ok := c.Files[field]; ok {
			if len(up.Bytes) == 0 {
				return nil, &apiError{code: 400, desc: "Bad Request: file must be non-empty"}
			}
			f = s.addFile(up.Name, up.Bytes)
		} else if f = s.files[p[field]]; f == nil {
			return nil, &apiError{code: 400, desc: "Bad Request: wrong file identifier/HTTP URL specified"}
		}
		m, err := s.message(c)
		if err != nil {
			return nil, err
		}
		if cap := p["caption"]; cap != "" {
			m["caption"] = cap
		}
		if field == "photo" {
			m["photo"] = []map[string]any{{"file_id": f.id, "file_unique_id": f.unique, "width": 512, "height": 512, "file_size": len(f.data)}}
		} else {
			m["document"] = map[string]any{"file_id": f.id, "file_unique_id": f.unique, "file_name": f.path, "file_size": len(f.data)}
		}
		return m, nil
	case "sendPoll":
		var opts []string
		if err := json.Unmarshal([]byte(p["options"]), &opts); err != nil || len(opts) < 2 || len(opts) > 10 {
			return nil, &apiError{code: 400, desc: "Bad Request: poll must have 2-10 options"}
		}
		if p["question"] == "" {
			return nil, &apiError{code: 400, desc: "Bad Request: poll question must be non-empty"}
		}
		m, err := s.message(c)
		if err != nil {
			return nil, err
		}
		s.nextPoll++
		id := fmt.Sprintf("%d", 5000000000+s.nextPoll)
		s.polls[id] = Poll{ID: id, ChatID: c.ChatID, Question: p["question"], Options: opts}
		options := make([]map[string]any, len(opts))
		for i, o := range opts {
			options[i] = map[string]any{"text": o, "voter_count": 0}
		}
		m["poll"] = map[string]any{"id": id, "question": p["question"], "options": options, "total_voter_count": 0,
			"is_closed": false, "is_anonymous": p["is_anonymous"] != "false", "type": "regular",
			"allows_multiple_answers": p["allows_multiple_answers"] == "true"}
		return m, nil
	case "editMessageText", "editMessageReplyMarkup":
		id, _ := strconv.Atoi(p["message_id"])
		if c.ChatID == 0 || id <= 0 || id > s.nextMsg {
			return nil, &apiError{code: 400, desc: "Bad Request: message to edit not found"}
		}
		if c.Method == "editMessageText" && strings.TrimSpace(p["text"]) == "" {
			return nil, &apiError{code: 400, desc: "Bad Request: message text is empty"}
		}
		c.MessageID = id
		m := map[string]any{"message_id": id, "from": Bot.json(), "chat": map[string]any{"id": c.ChatID, "type": "private"},
			"date": time.Now().Unix(), "edit_date": time.Now().Unix(), "text": p["text"]}
		return m, nil
	case "deleteMessage":
		id, _ := strconv.Atoi(p["message_id"])
		if id <= 0 || id > s.nextMsg {
			return nil, &apiError{code: 400, desc: "Bad Request: message to delete not found"}
		}
		return true, nil
	case "answerCallbackQuery":
		if p["callback_query_id"] == "" {
			return nil, &apiError{code: 400, desc: "Bad Request: query is too old and response timeout expired or query ID is invalid"}
		}
		return true, nil
	case "getFile":
		f := s.files[p["file_id"]]
		if f == nil {
			return nil, &apiError{code: 400, desc: "Bad Request: invalid file_id"}
		}
		return map[string]any{"file_id": f.id, "file_unique_id": f.unique, "file_size": len(f.data), "file_path": f.path}, nil
	case "setMyCommands":
		var cmds []map[string]string
		if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: can't parse commands JSON object"}
		}
		s.commands[p["language_code"]] = cmds
		return true, nil
	case "setChatMenuButton":
		if p["menu_button"] != "" && !json.Valid([]byte(p["menu_button"])) {
			return nil, &apiError{code: 400, desc: "Bad Request: can't parse menu button JSON object"}
		}
		s.menu = json.RawMessage(p["menu_button"])
		return true, nil
	case "setWebhook":
		if p["url"] == "" {
			s.webhook = Webhook{}
			return true, nil
		}
		s.webhook = Webhook{URL: p["url"], Secret: p["secret_token"], AllowedUpdates: p["allowed_updates"], MaxConnections: p["max_connections"]}
		return true, nil
	case "deleteWebhook":
		s.webhook = Webhook{}
		return true, nil
	case "getWebhookInfo":
		return map[string]any{"url": s.webhook.URL, "pending_update_count": len(s.updates)}, nil
	}
	return nil, &apiError{code: 404, desc: "Not Found"}
}

// message creates a sent message in c's chat. Call with s.mu held.
func (s *Server) message(c *Call) (map[string]any, *apiError) {
	if c.ChatID == 0 {
		return nil, &apiError{code: 400, desc: "Bad Request: chat_id is empty"}
	}
	s.nextMsg++
	c.MessageID = s.nextMsg
	m := map[string]any{"message_id": s.nextMsg, "from": Bot.json(), "chat": map[string]any{"id": c.ChatID, "type": "private"}, "date": time.Now().Unix()}
	if rm := c.Params["reply_markup"]; rm != "" {
		var v any
		if json.Unmarshal([]byte(rm), &v) != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: can't parse reply keyboard markup JSON object"}
		}
		if obj, ok := v.(map[string]any); ok && obj["inline_keyboard"] != nil {
			m["reply_markup"] = obj
		}
	}
	return m, nil
}
