package verification

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"questbase/hooks/audit"
)

// archivePhoto copies the stored photo of user into a verification_archive
// row, with the status and dates it had, in the transaction tx. The copy
// goes through PocketBase's filesystem, so it works the same on local disk
// and on S3; if the transaction rolls back, PocketBase deletes the copy.
func archivePhoto(ctx context.Context, tx core.App, user *core.Record, filename string) error {
	col, err := tx.FindCachedCollectionByNameOrId(ArchiveCollection)
	if err != nil {
		return fmt.Errorf("verification: archive collection: %w", err)
	}
	data, err := readFile(ctx, tx, user.BaseFilesPath()+"/"+filename)
	if errors.Is(err, filesystem.ErrNotFound) {
		// Storage lost the file already: there is nothing to keep, and a
		// student must still be able to send a new photo.
		tx.Logger().Warn("verification: replaced photo missing from storage, not archived",
			"user", user.Id, "file", filename)
		return nil
	}
	if err != nil {
		return fmt.Errorf("verification: read photo %s of %s: %w", filename, user.Id, err)
	}
	file, err := filesystem.NewFileFromBytes(data, filename)
	if err != nil {
		return fmt.Errorf("verification: archive photo %s of %s: %w", filename, user.Id, err)
	}

	row := core.NewRecord(col)
	row.Set("user", user.Id)
	row.Set("photo", file)
	row.Set("status", status(user))
	row.Set("submitted_at", user.Get(fieldSubmittedAt))
	row.Set("note", user.GetString(fieldNote))
	row.Set("reviewed_by", user.GetString(fieldReviewedBy))
	row.Set("reviewed_at", user.Get(fieldReviewedAt))
	audit.Label(row, Module, "archive")
	if err := tx.SaveWithContext(ctx, row); err != nil {
		return fmt.Errorf("verification: archive photo %s of %s: %w", filename, user.Id, err)
	}
	return nil
}

// readFile reads one stored file. Verification photos are small (at most
// 5 MB), so reading them whole is fine.
func readFile(ctx context.Context, app core.App, key string) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, fmt.Errorf("open storage: %w", err)
	}
	defer fsys.Close()
	fsys.SetContext(orBackground(ctx))
	r, err := fsys.GetReader(key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// deleteFile deletes one stored file of rec and its thumbnails; a file that
// is gone already is no error.
func deleteFile(ctx context.Context, app core.App, rec *core.Record, filename string) error {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return fmt.Errorf("open storage: %w", err)
	}
	defer fsys.Close()
	fsys.SetContext(orBackground(ctx))
	if err := fsys.Delete(rec.BaseFilesPath() + "/" + filename); err != nil && !errors.Is(err, filesystem.ErrNotFound) {
		return fmt.Errorf("delete %s of %s/%s: %w", filename, rec.Collection().Name, rec.Id, err)
	}
	if errs := fsys.DeletePrefix(rec.BaseFilesPath() + "/thumbs_" + filename + "/"); len(errs) > 0 {
		return fmt.Errorf("delete thumbnails of %s of %s/%s: %w", filename, rec.Collection().Name, rec.Id, errors.Join(errs...))
	}
	return nil
}

// orBackground guards the storage calls against a nil context: record
// events of saves made without one carry none.
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
