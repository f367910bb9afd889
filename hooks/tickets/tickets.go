// Package tickets owns ticket codes: compact HMAC-signed codes that name a
// meetup registration or a course enrollment and nothing else, their QR
// images, and the route that gives a student their ticket. The check-in
// route, the bot and the Mini App verify and issue codes through a Signer.
package tickets

import (
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Register binds the ticket route and returns the app's Signer. The key is
// loaded (or generated and stored) when the app starts serving, outside
// any transaction.
func Register(app core.App, cfg config.Config) *Signer {
	s := NewWithWindow(app, cfg.TicketSecret, cfg.TicketWindow)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if _, err := s.codec(); err != nil {
			return err
		}
		se.Router.GET("/api/tickets/{id}", s.handleTicket)
		return se.Next()
	})
	return s
}
