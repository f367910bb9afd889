package audit

import (
	"context"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Actor kinds, as stored in audit_log.actor_kind.
const (
	KindSuperuser = "superuser"
	KindUser      = "user"
	KindBot       = "bot"
	KindSystem    = "system"
	KindCron      = "cron"
)

// Actor is whoever caused a change.
type Actor struct {
	Kind string
	ID   string // a users or _superusers id; empty for system and cron
	Name string
}

// System is the actor of changes nobody in particular asked for.
var System = Actor{Kind: KindSystem}

// Cron returns the actor for a scheduled job.
func Cron(job string) Actor { return Actor{Kind: KindCron, Name: job} }

// Bot returns the actor for something a user did through the Telegram bot.
func Bot(user *core.Record) Actor {
	return Actor{Kind: KindBot, ID: user.Id, Name: displayName(user)}
}

// FromAuth returns the actor for a signed-in API caller, or System for a guest.
func FromAuth(auth *core.Record) Actor {
	switch {
	case auth == nil:
		return System
	case auth.IsSuperuser():
		return Actor{Kind: KindSuperuser, ID: auth.Id, Name: auth.Email()}
	default:
		return Actor{Kind: KindUser, ID: auth.Id, Name: displayName(auth)}
	}
}

type ctxKey struct{}

// WithActor returns ctx carrying a; save with app.SaveWithContext(ctx, ...)
// so the audit log names who did it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

func actorFromContext(ctx context.Context) (Actor, bool) {
	if ctx == nil {
		return Actor{}, false
	}
	a, ok := ctx.Value(ctxKey{}).(Actor)
	return a, ok
}

// recordActorKey stores the actor on a record for the length of one save;
// '@' cannot start a field name, so it never reaches the database.
const recordActorKey = "@audit_actor"

// SetActor marks rec as changed by a. Request hooks use it, since
// PocketBase saves records from requests without the request context.
func SetActor(rec *core.Record, a Actor) { rec.SetRaw(recordActorKey, a) }

func actorFromRecord(rec *core.Record) (Actor, bool) {
	a, ok := rec.GetRaw(recordActorKey).(Actor)
	return a, ok
}

// txActors remembers the actor of each open transaction, so that records a
// hook saves as a consequence (a ledger row of a check-in, say) are
// attributed to whoever caused the first save.
var txActors sync.Map // core.App (tx) → Actor

func txActor(tx core.App) (Actor, bool) {
	a, ok := txActors.Load(tx)
	if !ok {
		return Actor{}, false
	}
	return a.(Actor), true
}

func rememberTxActor(tx core.App, a Actor) {
	if _, loaded := txActors.LoadOrStore(tx, a); loaded {
		return
	}
	if info := tx.TxInfo(); info != nil {
		info.OnComplete(func(error) error {
			txActors.Delete(tx)
			return nil
		})
	}
}

// resolveActor picks the most specific actor known for a save.
func resolveActor(e *core.RecordEvent) Actor {
	if a, ok := actorFromRecord(e.Record); ok {
		return a
	}
	if a, ok := actorFromContext(e.Context); ok {
		return a
	}
	if a, ok := txActor(e.App); ok {
		return a
	}
	return System
}

func displayName(u *core.Record) string {
	name := u.GetString("first_name")
	if last := u.GetString("last_name"); last != "" {
		name += " " + last
	}
	if name == "" {
		name = u.Email()
	}
	if name == "" {
		if tg := u.GetString("telegram_username"); tg != "" {
			name = "@" + tg
		}
	}
	return name
}
