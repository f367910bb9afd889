package tickets

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// StateKey is the app_state row that keeps the generated signing key when
// QB_TICKET_SECRET is unset.
const StateKey = "ticket_secret"

// Signer issues and checks ticket codes for one app.
type Signer struct {
	app    core.App
	secret string
	window time.Duration

	mu  sync.Mutex
	key codec // zero until loaded
}

// New returns a Signer keyed by secret (QB_TICKET_SECRET), or, when it is
// empty, by a 32-byte key generated on first use and kept in app_state, so
// that every process on the same data signs alike and a restart keeps
// issued tickets valid. Any package may build its own Signer: they agree.
func New(app core.App, secret string) *Signer {
	return &Signer{app: app, secret: secret, window: Window}
}

// NewWithWindow is New with a rotation period other than Window (whole
// seconds; QB_TICKET_WINDOW). Signers that verify each other's rotating
// codes must share it; static codes do not depend on it.
func NewWithWindow(app core.App, secret string, window time.Duration) *Signer {
	s := New(app, secret)
	if window >= time.Second {
		s.window = window.Truncate(time.Second)
	}
	return s
}

// Window is how long a rotating code of s stays current.
func (s *Signer) Window() time.Duration { return s.window }

// codec returns the signing codec, loading or generating the stored key on
// first use. The first use must not be inside a transaction of s's app
// (the generated key is written through the app): Register loads it when
// the app starts serving.
func (s *Signer) codec() (codec, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key.key != nil {
		return s.key, nil
	}
	if s.secret != "" {
		s.key = codec{key: []byte(s.secret), window: s.window}
		return s.key, nil
	}
	key, err := storedKey(s.app)
	if err != nil {
		return codec{}, err
	}
	s.key = codec{key: key, window: s.window}
	return s.key, nil
}

// storedKey reads the key from app_state, generating it first if there is
// none. The insert yields to an existing row (unique key), so concurrent
// first uses, in one process or several, all end up with the one key that
// was stored first.
func storedKey(app core.App) ([]byte, error) {
	if key, err := readKey(app); err == nil || !errors.Is(err, sql.ErrNoRows) {
		return key, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("ticket key: %w", err)
	}
	now := types.NowDateTime().String()
	_, err := app.DB().NewQuery(`INSERT INTO app_state (id, key, value, created, updated)
		VALUES ({:id}, {:key}, {:value}, {:now}, {:now}) ON CONFLICT (key) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "key": StateKey, "value": hex.EncodeToString(fresh), "now": now}).
		Execute()
	if err != nil {
		return nil, fmt.Errorf("store ticket key: %w", err)
	}
	return readKey(app)
}

func readKey(app core.App) ([]byte, error) {
	var value string
	err := app.DB().Select("value").From("app_state").Where(dbx.HashExp{"key": StateKey}).Row(&value)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("read ticket key: %w", err)
	}
	key, err := hex.DecodeString(value)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("ticket key in app_state is damaged (want 32 hex-encoded bytes)")
	}
	return key, nil
}

// Sign returns the static code of a record's ticket: the one printed in
// the QR code the bot sends.
func (s *Signer) Sign(kind Kind, id string) (string, error) {
	c, err := s.codec()
	if err != nil {
		return "", err
	}
	return c.sign(kind, id)
}

// Rotating returns the live code of a record's ticket for the window of t.
// The Mini App shows it and refreshes it every Window; Verify accepts it
// for the current and the previous window only, so a screenshot stops
// working within a minute.
func (s *Signer) Rotating(kind Kind, id string, t time.Time) (string, error) {
	c, err := s.codec()
	if err != nil {
		return "", err
	}
	return c.rotating(kind, id, t)
}

// Verify checks a static or rotating code as of now and returns what it
// names. A refused code is an *Error (ErrMalformed, ErrSignature or
// ErrExpired); any other error is the key failing to load.
func (s *Signer) Verify(code string, now time.Time) (Ticket, error) {
	c, err := s.codec()
	if err != nil {
		return Ticket{}, err
	}
	return c.verify(code, now)
}
