package sync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// reportView is one reporting view; its SQL names tables as %[1]s.table.
// Months follow the session's TimeZone (SET TIME ZONE 'Europe/Moscow').
type reportView struct {
	Name, Comment, SQL string
}

var reportViews = []reportView{
	{
		Name:    "report_meetup_funnel",
		Comment: "per meetup: registrations by status, check-ins, quiz takers, feedback count and average rating",
		SQL: `
SELECT m.id AS meetup, m.title, m.status, m.starts_at, m.tags, m.capacity,
	coalesce(r.registrations, 0) AS registrations,
	coalesce(r.registered, 0) AS registered,
	coalesce(r.waitlisted, 0) AS waitlisted,
	coalesce(r.cancelled, 0) AS cancelled,
	coalesce(c.checked_in, 0) AS checked_in,
	coalesce(q.quiz_takers, 0) AS quiz_takers,
	coalesce(f.feedback_count, 0) AS feedback_count,
	f.avg_rating,
	coalesce(c.checked_in, 0)::numeric / nullif(r.registered, 0) AS attendance_rate
FROM %[1]s.meetups m
LEFT JOIN (
	SELECT meetup, count(*) AS registrations,
		count(*) FILTER (WHERE status = 'registered') AS registered,
		count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted,
		count(*) FILTER (WHERE status = 'cancelled') AS cancelled
	FROM %[1]s.registrations GROUP BY meetup
) r ON r.meetup = m.id
LEFT JOIN (SELECT meetup, count(DISTINCT "user") AS checked_in FROM %[1]s.checkins GROUP BY meetup) c ON c.meetup = m.id
LEFT JOIN (
	SELECT qz.meetup, count(DISTINCT a."user") AS quiz_takers
	FROM %[1]s.quiz_attempts a JOIN %[1]s.quizzes qz ON qz.id = a.quiz GROUP BY qz.meetup
) q ON q.meetup = m.id
LEFT JOIN (SELECT meetup, count(*) AS feedback_count, avg(rating) AS avg_rating FROM %[1]s.feedback GROUP BY meetup) f ON f.meetup = m.id`,
	},
	{
		Name:    "report_activity_by_month",
		Comment: "per month: meetup check-ins, course attendance, points awarded and deducted, active users",
		SQL: `
WITH events AS (
	SELECT date_trunc('month', created)::date AS month, "user", 'checkin' AS kind, 0::bigint AS amount FROM %[1]s.checkins
	UNION ALL
	SELECT date_trunc('month', s.starts_at)::date, a."user", 'attendance', 0
	FROM %[1]s.attendance a JOIN %[1]s.course_sessions s ON s.id = a.session
	WHERE a.status IN ('present', 'late') AND NOT s.cancelled
	UNION ALL
	SELECT date_trunc('month', created)::date, "user", 'points', amount FROM %[1]s.points
)
SELECT month,
	count(*) FILTER (WHERE kind = 'checkin') AS checkins,
	count(DISTINCT "user") FILTER (WHERE kind = 'checkin') AS meetup_attendees,
	count(*) FILTER (WHERE kind = 'attendance') AS session_attendance,
	count(DISTINCT "user") FILTER (WHERE kind = 'attendance') AS course_attendees,
	coalesce(sum(amount) FILTER (WHERE kind = 'points' AND amount > 0), 0) AS points_awarded,
	coalesce(-sum(amount) FILTER (WHERE kind = 'points' AND amount < 0), 0) AS points_deducted,
	count(DISTINCT "user") FILTER (WHERE kind = 'points' AND amount > 0) AS earners,
	count(DISTINCT "user") FILTER (WHERE kind <> 'points' OR amount > 0) AS active_users
FROM events GROUP BY month`,
	},
	{
		Name:    "report_course_stats",
		Comment: "per course: enrolments, sessions, attendance and completion (held = not cancelled and started)",
		SQL: `
SELECT c.id AS course, c.title, c.status, c.starts_on, c.ends_on, c.tags,
	coalesce(e.enrollments, 0) AS enrollments,
	coalesce(e.participants, 0) AS participants,
	coalesce(e.completed, 0) AS completed,
	coalesce(e.cancelled, 0) AS cancelled,
	coalesce(s.sessions, 0) AS sessions,
	coalesce(s.sessions_held, 0) AS sessions_held,
	coalesce(a.attended, 0) AS attended,
	coalesce(a.attended, 0)::numeric / nullif(s.sessions_held * e.participants, 0) AS attendance_rate,
	coalesce(e.completed, 0)::numeric / nullif(e.participants, 0) AS completion_rate
FROM %[1]s.courses c
LEFT JOIN (
	SELECT course, count(*) AS enrollments,
		count(*) FILTER (WHERE status IN ('enrolled', 'completed')) AS participants,
		count(*) FILTER (WHERE status = 'completed') AS completed,
		count(*) FILTER (WHERE status = 'cancelled') AS cancelled
	FROM %[1]s.enrollments GROUP BY course
) e ON e.course = c.id
LEFT JOIN (
	SELECT course, count(*) FILTER (WHERE NOT cancelled) AS sessions,
		count(*) FILTER (WHERE NOT cancelled AND starts_at <= now()) AS sessions_held
	FROM %[1]s.course_sessions GROUP BY course
) s ON s.course = c.id
LEFT JOIN (
	SELECT s.course, count(*) AS attended
	FROM %[1]s.attendance a JOIN %[1]s.course_sessions s ON s.id = a.session
	WHERE a.status IN ('present', 'late') AND NOT s.cancelled
	GROUP BY s.course
) a ON a.course = c.id`,
	},
	{
		Name:    "report_claim_outcomes",
		Comment: "claims by status and reviewer: count, points approved, hours from filing to decision",
		SQL: `
SELECT cl.status, cl.reviewed_by AS reviewer,
	nullif(trim(concat_ws(' ', u.first_name, u.last_name)), '') AS reviewer_name,
	count(*) AS claims,
	coalesce(sum(cl.points) FILTER (WHERE cl.status = 'approved'), 0) AS points_approved,
	avg(extract(epoch FROM cl.reviewed_at - cl.created) / 3600) FILTER (WHERE cl.reviewed_at IS NOT NULL) AS avg_hours_to_decision,
	min(cl.created) AS first_filed,
	max(cl.created) AS last_filed
FROM %[1]s.claims cl
LEFT JOIN %[1]s.users u ON u.id = cl.reviewed_by
GROUP BY cl.status, cl.reviewed_by, u.first_name, u.last_name`,
	},
	{
		Name:    "report_level_distribution",
		Comment: "users per level, with their share of all users",
		SQL: `
SELECT l.number AS level, l.title, l.min_points,
	count(u.id) AS users,
	count(u.id)::numeric / nullif(sum(count(u.id)) OVER (), 0) AS share
FROM %[1]s.levels l
LEFT JOIN %[1]s.users u ON u.level = l.number
GROUP BY l.number, l.title, l.min_points`,
	},
}

// viewsSignature changes whenever a view's definition does.
func viewsSignature(schema string) string {
	h := sha256.New()
	for _, v := range reportViews {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", v.Name, v.Comment, fmt.Sprintf(v.SQL, ident(schema)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// dropViews removes the reporting views (before tables they read change).
func dropViews(ctx context.Context, tx pgx.Tx, schema string) error {
	for _, v := range reportViews {
		if _, err := tx.Exec(ctx, "DROP VIEW IF EXISTS "+ident(schema, v.Name)); err != nil {
			return fmt.Errorf("drop view %s: %w", v.Name, err)
		}
	}
	return nil
}

// createViews creates each view in its own savepoint: a view whose tables
// are missing (a collection removed from the app) is reported and the
// others are still created.
func createViews(ctx context.Context, tx pgx.Tx, schema string) error {
	var errs []error
	for _, v := range reportViews {
		sp, err := tx.Begin(ctx)
		if err != nil {
			return fmt.Errorf("create view %s: %w", v.Name, err)
		}
		_, err = sp.Exec(ctx, fmt.Sprintf("CREATE VIEW %s AS %s", ident(schema, v.Name), fmt.Sprintf(v.SQL, ident(schema))))
		if err == nil {
			_, err = sp.Exec(ctx, fmt.Sprintf("COMMENT ON VIEW %s IS '%s'", ident(schema, v.Name), strings.ReplaceAll(v.Comment, "'", "''")))
		}
		if err != nil {
			if rbErr := sp.Rollback(ctx); rbErr != nil {
				return fmt.Errorf("create view %s: %w", v.Name, errors.Join(err, rbErr))
			}
			errs = append(errs, fmt.Errorf("view %s: %w", v.Name, err))
			continue
		}
		if err := sp.Commit(ctx); err != nil {
			return fmt.Errorf("create view %s: %w", v.Name, err)
		}
	}
	return errors.Join(errs...)
}
