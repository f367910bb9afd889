package config

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Apply writes the environment's settings into the app: the public URL,
// S3 file storage and backups, and the superuser. It runs at serve, after
// migrations. Settings not named by a variable are left as the dashboard
// set them.
func Apply(app core.App, c Config) error {
	settings := app.Settings()
	changed := false
	if c.PublicURL != "" && settings.Meta.AppURL != c.PublicURL {
		settings.Meta.AppURL = c.PublicURL
		changed = true
	}
	if settings.Meta.AppName == "Acme" || settings.Meta.AppName == "" {
		settings.Meta.AppName = "questbase"
		changed = true
	}
	if c.S3.Enabled {
		s3 := core.S3Config{
			Enabled:        true,
			Bucket:         c.S3.Bucket,
			Region:         c.S3.Region,
			Endpoint:       c.S3.Endpoint,
			AccessKey:      c.S3.AccessKey,
			Secret:         c.S3.Secret,
			ForcePathStyle: c.S3.ForcePathStyle,
		}
		if settings.S3 != s3 || settings.Backups.S3 != s3 {
			settings.S3 = s3
			settings.Backups.S3 = s3
			changed = true
		}
	}
	if changed {
		// Saving settings reloads the filesystem and backups clients.
		if err := app.Save(settings); err != nil {
			return fmt.Errorf("apply settings from environment: %w", err)
		}
	}

	if c.SuperuserEmail != "" {
		if err := upsertSuperuser(app, c.SuperuserEmail, c.SuperuserPassword); err != nil {
			return fmt.Errorf("QB_SUPERUSER_EMAIL: %w", err)
		}
	}
	return nil
}

func upsertSuperuser(app core.App, email, password string) error {
	su, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, email)
	if err != nil {
		col, cerr := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
		if cerr != nil {
			return errors.Join(err, cerr)
		}
		su = core.NewRecord(col)
		su.SetEmail(email)
	} else if su.ValidatePassword(password) {
		return nil // already as configured; keep its sessions
	}
	su.SetPassword(password)
	if err := app.Save(su); err != nil {
		return fmt.Errorf("upsert superuser %s: %w", email, err)
	}
	return nil
}
