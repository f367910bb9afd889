// Package migrations creates questbase's collections, indexes, API rules
// and seed data. Rules come from hooks/access so that they read the same
// grants as the Go checks do.
package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	mb            = 1 << 20
	imageMaxSize  = 5 * mb
	uploadMaxSize = 10 * mb
)

// imageTypes are the formats accepted for banners, achievement images,
// level images and verification photos.
var imageTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// bannerThumbs are the sizes pages and the bot ask for.
var bannerThumbs = []string{"100x100", "480x270", "960x540"}

func rule(s string) *string { return types.Pointer(s) }

// collectionID returns the id of an existing collection, for relation fields.
func collectionID(app core.App, name string) (string, error) {
	c, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		return "", fmt.Errorf("find collection %q: %w", name, err)
	}
	return c.Id, nil
}

// withTimestamps adds the created/updated autodate fields PocketBase does
// not add on its own.
func withTimestamps(c *core.Collection) *core.Collection {
	c.Fields.Add(
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	return c
}

// relation is a single-value required-or-not relation field.
func relation(name, collectionID string, required, cascade bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: 1, Required: required, CascadeDelete: cascade}
}

// maxTags bounds the tags a record can carry.
const maxTags = 20

// relations is a multi-value relation field; max must be above 1, since
// PocketBase stores a relation with MaxSelect ≤ 1 as a single id.
func relations(name, collectionID string, max int) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: max}
}

func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return fmt.Errorf("delete collection %q: %w", name, err)
		}
	}
	return nil
}
