package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(func(app core.App) error {
		usersID, err := collectionID(app, "users")
		if err != nil {
			return err
		}
		tagsID, err := collectionID(app, "tags")
		if err != nil {
			return err
		}

		courses := withTimestamps(core.NewBaseCollection("courses"))
		courses.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.FileField{Name: "banner", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Thumbs: bannerThumbs},
			&core.EditorField{Name: "description", MaxSize: 50_000},
			&core.DateField{Name: "starts_on"},
			&core.DateField{Name: "ends_on"},
			relations("hosts", usersID, 20),
			relations("tags", tagsID, maxTags),
			&core.NumberField{Name: "points_per_session", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: "points_on_completion", OnlyInt: true, Min: types.Pointer(0.0)},
			// share of held sessions a student must attend to complete, 0..1
			&core.NumberField{Name: "completion_share", Min: types.Pointer(0.0), Max: types.Pointer(1.0)},
			// 0 means no limit
			&core.NumberField{Name: "capacity", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.SelectField{Name: "status", Values: []string{"draft", "published", "finished", "archived"}, MaxSelect: 1},
			// reminders: [{"before_minutes": 1440, "text": "..."}], applied to every session
			&core.JSONField{Name: "reminders", MaxSize: 10_000},
		)
		courses.AddIndex("idx_courses_status_starts_on", false, "status, starts_on", "")
		if err := app.Save(courses); err != nil {
			return fmt.Errorf("courses: %w", err)
		}

		sessions := withTimestamps(core.NewBaseCollection("course_sessions"))
		sessions.Fields.Add(
			relation("course", courses.Id, true, true),
			&core.TextField{Name: "title", Max: 200, Presentable: true},
			&core.DateField{Name: "starts_at", Required: true},
			&core.DateField{Name: "ends_at"},
			&core.TextField{Name: "location", Max: 300},
			// cancelled sessions do not count towards completion
			&core.BoolField{Name: "cancelled"},
		)
		sessions.AddIndex("idx_course_sessions_course_starts_at", false, "course, starts_at", "")
		sessions.AddIndex("idx_course_sessions_starts_at", false, "starts_at", "")
		if err := app.Save(sessions); err != nil {
			return fmt.Errorf("course_sessions: %w", err)
		}

		enrollments := withTimestamps(core.NewBaseCollection("enrollments"))
		enrollments.Fields.Add(
			relation("course", courses.Id, true, true),
			relation("user", usersID, true, true),
			&core.SelectField{Name: "status", Values: []string{"enrolled", "completed", "cancelled"}, MaxSelect: 1},
			&core.DateField{Name: "completed_at"},
			relation("completed_by", usersID, false, false),
		)
		enrollments.AddIndex("idx_enrollments_course_user", true, "course, user", "")
		enrollments.AddIndex("idx_enrollments_user", false, "user", "")
		enrollments.AddIndex("idx_enrollments_course_status", false, "course, status", "")
		if err := app.Save(enrollments); err != nil {
			return fmt.Errorf("enrollments: %w", err)
		}

		attendance := withTimestamps(core.NewBaseCollection("attendance"))
		attendance.Fields.Add(
			relation("session", sessions.Id, true, true),
			relation("user", usersID, true, true),
			&core.SelectField{Name: "status", Required: true, Values: []string{"present", "late", "absent", "excused"}, MaxSelect: 1},
			relation("marked_by", usersID, false, false),
			&core.SelectField{Name: "method", Values: []string{"manual", "qr"}, MaxSelect: 1},
		)
		attendance.AddIndex("idx_attendance_session_user", true, "session, user", "")
		attendance.AddIndex("idx_attendance_user", false, "user", "")
		if err := app.Save(attendance); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "attendance", "enrollments", "course_sessions", "courses")
	})
}
