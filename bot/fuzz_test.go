package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"questbase/bot"
)

// snapshot is what garbage must not change: students' profiles and
// balances, and the records the bot could create for them.
func (e *env) snapshot(tb testing.TB) string {
	tb.Helper()
	var rows []struct {
		S string `db:"s"`
	}
	err := e.app.DB().NewQuery(`SELECT
		(SELECT group_concat(x, ';') FROM (SELECT id || '|' || first_name || '|' || last_name || '|' || study_group || '|' ||
			telegram_id || '|' || telegram_username || '|' || language || '|' || points || '|' || level || '|' ||
			verification_status AS x FROM users ORDER BY id))
		|| '#' || (SELECT COUNT(*) FROM outbox) || '#' || (SELECT COUNT(*) FROM poll_votes)
		|| '#' || (SELECT COUNT(*) FROM claims) || '#' || (SELECT COUNT(*) FROM registrations)
		|| '#' || (SELECT COUNT(*) FROM points) AS s`).All(&rows)
	if err != nil {
		tb.Fatal(err)
	}
	return rows[0].S
}

// Random and malformed updates never crash the handler, never fail it,
// and change nothing unless they are a legitimate action (/start, an
// onboarding answer of a student still onboarding, blocking/unblocking).
func FuzzUpdateHandler(f *testing.F) {
	for _, s := range []string{
		`{"message":{"message_id":1,"from":{"id":1001,"first_name":"A"},"chat":{"id":1001,"type":"private"},"text":"hello"}}`,
		`{"message":{"message_id":1,"from":{"id":1001,"first_name":"A"},"chat":{"id":1001,"type":"private"},"text":"/menu@questbase_test_bot extra"}}`,
		`{"message":{"message_id":1,"from":{"id":1002,"first_name":"B","language_code":"en"},"chat":{"id":1002,"type":"private"},"photo":[{"file_id":"nope","file_unique_id":"u","width":1,"height":1}]}}`,
		`{"message":{"message_id":1,"from":{"id":1002},"chat":{"id":-100,"type":"group"},"text":"/start"}}`,
		`{"message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"no sender"}}`,
		`{"message":{"message_id":1,"from":{"id":777,"first_name":"S"},"chat":{"id":777,"type":"private"},"text":"/start meetup_zzz"}}`,
		`{"message":{"message_id":1,"from":{"id":777,"first_name":"S"},"chat":{"id":777,"type":"private"},"text":"Sam"}}`,
		`{"callback_query":{"id":"c","from":{"id":1001,"first_name":"A"},"data":"\u0000:::"}}`,
		`{"callback_query":{"id":"c","from":{"id":1001,"first_name":"A"},"message":{"message_id":3,"chat":{"id":1001,"type":"private"}},"data":"menu"}}`,
		`{"callback_query":{"id":"","from":{"id":-5}}}`,
		`{"callback_query":{"id":"c","from":{"id":1002,"first_name":"B"},"message":{"message_id":3,"chat":{"id":1002,"type":"private"}},"data":"meetups:r:nosuchmeetup1"}}`,
		`{"callback_query":{"id":"c","from":{"id":1002,"first_name":"B"},"data":"meetups:s:x:9"}}`,
		`{"callback_query":{"id":"c","from":{"id":1002,"first_name":"B"},"data":"meetups:p:-1"}}`,
		`{"callback_query":{"id":"c","from":{"id":1001,"first_name":"A"},"data":"courses:e:"}}`,
		`{"callback_query":{"id":"c","from":{"id":1001,"first_name":"A"},"data":"courses:a:../x"}}`,
		`{"poll_answer":{"poll_id":"p1","user":{"id":1001,"first_name":"A"},"option_ids":[-1,99,2]}}`,
		`{"my_chat_member":{"chat":{"id":1001,"type":"private"},"from":{"id":1001,"first_name":"A"},"new_chat_member":{"status":"kicked"}}}`,
		`{"message":{"message_id":1,"from":{"id":1001,"is_bot":true},"chat":{"id":1001,"type":"private"},"text":"/start"}}`,
		`{}`,
	} {
		f.Add([]byte(s))
	}
	e := setup(f)
	ctx := context.Background()
	var id int64 = 1
	onboarded := func(tg int64) bool {
		u := e.userByTelegram(tg)
		return u != nil && u.GetString("first_name") != "" && u.GetString("last_name") != "" && u.GetString("study_group") != ""
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var u bot.Update
		if json.Unmarshal(data, &u) != nil {
			return
		}
		id++
		u.ID = id
		legit := u.MyChatMember != nil
		if m := u.Message; m != nil && m.From != nil {
			legit = legit || strings.HasPrefix(strings.TrimSpace(m.Text), "/start") ||
				(e.userByTelegram(m.From.ID) != nil && !onboarded(m.From.ID))
		}
		before := e.snapshot(t)
		if err := e.bot.Handle(ctx, u); err != nil {
			t.Fatalf("update %s: %v", data, err)
		}
		if after := e.snapshot(t); !legit && after != before {
			t.Fatalf("garbage changed records: %s\nbefore %s\nafter  %s", data, before, after)
		}
	})
}
