// Command questbase runs the club's gamification service: PocketBase with
// questbase's collections, rules, pages, Telegram bot and reporting mirror.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"questbase/hooks"
	_ "questbase/migrations"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: "./pb_data"})

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{Automigrate: false})

	if err := hooks.Register(app); err != nil {
		log.Fatal(err)
	}

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
