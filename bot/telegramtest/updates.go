package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// User is a Telegram account that writes to the bot.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
}

func (u User) json() map[string]any {
	m := map[string]any{"id": u.ID, "is_bot": u == Bot, "first_name": u.FirstName}
	if u.LastName != "" {
		m["last_name"] = u.LastName
	}
	if u.Username != "" {
		m["username"] = u.Username
	}
	if u.LanguageCode != "" {
		m["language_code"] = u.LanguageCode
	}
	return m
}

// Push queues an update (a JSON object; update_id is assigned) for
// getUpdates and returns its id.
func (s *Server) Push(update map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	update["update_id"] = s.nextUpdate
	raw, err := json.Marshal(update)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: update does not encode: %v", err))
	}
	s.updates = append(s.updates, queued{id: s.nextUpdate, raw: raw})
	s.notify()
	return s.nextUpdate
}

// PushRaw queues an update given as JSON text, with update_id set here
// (for malformed-but-decodable updates).
func (s *Server) PushRaw(obj json.RawMessage) int64 {
	var m map[string]any
	if err := json.Unmarshal(obj, &m); err != nil {
		panic(fmt.Sprintf("telegramtest: PushRaw needs a JSON object: %v", err))
	}
	return s.Push(m)
}

// MessageUpdate is the update for a message from u with extra fields
// (text, photo, ...), not yet pushed.
func (s *Server) MessageUpdate(u User, fields map[string]any) map[string]any {
	s.mu.Lock()
	s.nextMsg++
	id := s.nextMsg
	s.mu.Unlock()
	msg := map[string]any{
		"message_id": id, "from": u.json(), "date": time.Now().Unix(),
		"chat": map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName},
	}
	for k, v := range fields {
		msg[k] = v
	}
	return map[string]any{"message": msg}
}

// Text pushes a text message from u; a leading /command is marked as a
// bot_command entity, as Telegram does.
func (s *Server) Text(u User, text string) int64 {
	fields := map[string]any{"text": text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		fields["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len([]rune(cmd))}}
	}
	return s.Push(s.MessageUpdate(u, fields))
}

// Photo pushes a photo from u (the bytes become a downloadable file) and
// returns the update id and the largest size's file_id.
func (s *Server) Photo(u User, caption string, data []byte) (int64, string) {
	fileID := s.AddFile("photo.jpg", data)
	s.mu.Lock()
	unique := s.files[fileID].unique
	s.mu.Unlock()
	fields := map[string]any{"photo": []map[string]any{
		{"file_id": fileID + "-s", "file_unique_id": unique + "-s", "width": 90, "height": 90},
		{"file_id": fileID, "file_unique_id": unique, "width": 800, "height": 800, "file_size": len(data)},
	}}
	if caption != "" {
		fields["caption"] = caption
	}
	return s.Push(s.MessageUpdate(u, fields)), fileID
}

// Document pushes a file from u and returns the update id and file_id.
func (s *Server) Document(u User, name, mimeType string, data []byte) (int64, string) {
	fileID := s.AddFile(name, data)
	s.mu.Lock()
	unique := s.files[fileID].unique
	s.mu.Unlock()
	return s.Push(s.MessageUpdate(u, map[string]any{"document": map[string]any{
		"file_id": fileID, "file_unique_id": unique, "file_name": name, "mime_type": mimeType, "file_size": len(data),
	}})), fileID
}

// Callback pushes a press of an inline button with data under the bot's
// message messageID in u's chat.
func (s *Server) Callback(u User, messageID int, data string) int64 {
	s.mu.Lock()
	s.nextCB++
	id := fmt.Sprintf("cb%d", s.nextCB)
	s.mu.Unlock()
	return s.Push(map[string]any{"callback_query": map[string]any{
		"id": id, "from": u.json(), "chat_instance": "ci", "data": data,
		"message": map[string]any{"message_id": messageID, "from": Bot.json(), "date": time.Now().Unix(),
			"chat": map[string]any{"id": u.ID, "type": "private"}, "text": "…"},
	}})
}

// PollAnswer pushes u's vote in a poll (no options: a retracted vote).
func (s *Server) PollAnswer(pollID string, u User, options ...int) int64 {
	if options == nil {
		options = []int{}
	}
	return s.Push(map[string]any{"poll_answer": map[string]any{"poll_id": pollID, "user": u.json(), "option_ids": options}})
}

// MyChatMember pushes a change of the bot's membership in u's private
// chat: "kicked" when u blocks the bot, "member" when u unblocks it.
func (s *Server) MyChatMember(u User, oldStatus, newStatus string) int64 {
	return s.Push(map[string]any{"my_chat_member": map[string]any{
		"chat": map[string]any{"id": u.ID, "type": "private"}, "from": u.json(), "date": time.Now().Unix(),
		"old_chat_member": map[string]any{"status": oldStatus, "user": Bot.json()},
		"new_chat_member": map[string]any{"status": newStatus, "user": Bot.json()},
	}})
}
