// Command questbase runs the club's gamification service: PocketBase with
// questbase's collections, rules, pages, Telegram bot and reporting mirror.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"questbase/bot"
	"questbase/hooks"
	"questbase/hooks/config"
	"questbase/hooks/points"
	_ "questbase/migrations"
	pbpublic "questbase/pb_public"
	qbsync "questbase/sync"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: "./pb_data"})
	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{Automigrate: false})

	if err := register(app); err != nil {
		log.Fatal(err)
	}
	app.RootCmd.AddCommand(points.Command(app))
	app.RootCmd.AddCommand(qbsync.Command(app))
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// register binds everything questbase adds to PocketBase: the domain hooks
// and routes, the pages, the bot and the mirror. The tests call it too.
func register(app core.App) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := hooks.RegisterWith(app, cfg); err != nil {
		return err
	}
	if err := bot.Register(app, cfg); err != nil {
		return err
	}
	if err := qbsync.Register(app, cfg); err != nil {
		return err
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if !se.Router.HasRoute("GET", "/{path...}") {
			// gzip: the QR decoder's .wasm shrinks from 1.1 MB to 0.46 MB
			se.Router.GET("/{path...}", pbpublic.Handler()).Bind(apis.Gzip())
		}
		return se.Next()
	})
	return nil
}
