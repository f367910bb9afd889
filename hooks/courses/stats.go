package courses

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// Stats is the answer of GET /api/courses/{id}/stats.
type Stats struct {
	Course          string  `json:"course"`
	Title           string  `json:"title"`
	Capacity        int     `json:"capacity"`
	CompletionShare float64 `json:"completion_share"`
	// Enrolled counts active participants who have not completed yet;
	// Completed those who have; Cancelled those who left.
	Enrolled  int `json:"enrolled"`
	Completed int `json:"completed"`
	Cancelled int `json:"cancelled"`
	// Sessions in schedule order, with their marks.
	Sessions []SessionStats `json:"sessions"`
	// Participants are the enrolled and completed people with their
	// attendance, for the host's table.
	Participants []ParticipantStats `json:"participants"`
}

// SessionStats counts the marks of one session; Unmarked counts active
// participants without a mark.
type SessionStats struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	StartsAt  string `json:"starts_at"`
	Cancelled bool   `json:"cancelled"`
	Present   int    `json:"present"`
	Late      int    `json:"late"`
	Absent    int    `json:"absent"`
	Excused   int    `json:"excused"`
	Unmarked  int    `json:"unmarked"`
}

// ParticipantStats is one participant's line.
type ParticipantStats struct {
	User      string `json:"user"`
	Name      string `json:"name"`
	Group     string `json:"study_group"`
	Status    string `json:"status"`
	Attended  int    `json:"attended"`
	Completed string `json:"completed_at,omitempty"`
}

// handleStats serves GET /api/courses/{id}/stats for the course's hosts and
// holders of courses.manage or stats.view for its tags.
func handleStats(e *core.RequestEvent) error {
	course, err := loadCourse(e, access.CoursesManage, access.StatsView)
	if err != nil {
		return err
	}
	st := Stats{
		Course: course.Id, Title: course.GetString("title"), Capacity: course.GetInt("capacity"),
		CompletionShare: course.GetFloat("completion_share"),
		Sessions:        []SessionStats{}, Participants: []ParticipantStats{},
	}
	db := e.App.DB()
	p := dbx.Params{"course": course.Id}

	var statuses []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := db.NewQuery("SELECT status, count(*) AS n FROM enrollments WHERE course = {:course} GROUP BY status").Bind(p).All(&statuses); err != nil {
		return e.InternalServerError("", err)
	}
	for _, s := range statuses {
		switch s.Status {
		case Enrolled:
			st.Enrolled = s.N
		case Completed:
			st.Completed = s.N
		case Cancelled:
			st.Cancelled = s.N
		}
	}
	active := st.Enrolled + st.Completed

	var sessions []struct {
		ID        string `db:"id"`
		Title     string `db:"title"`
		StartsAt  string `db:"starts_at"`
		Cancelled bool   `db:"cancelled"`
		Present   int    `db:"present"`
		Late      int    `db:"late"`
		Absent    int    `db:"absent"`
		Excused   int    `db:"excused"`
	}
	err = db.NewQuery(`
		SELECT s.id, s.title, s.starts_at, s.cancelled,
			COALESCE(SUM(a.status = 'present'), 0) AS present,
			COALESCE(SUM(a.status = 'late'), 0) AS late,
			COALESCE(SUM(a.status = 'absent'), 0) AS absent,
			COALESCE(SUM(a.status = 'excused'), 0) AS excused
		FROM course_sessions s LEFT JOIN attendance a ON a.session = s.id
		WHERE s.course = {:course}
		GROUP BY s.id ORDER BY s.starts_at, s.id`).Bind(p).All(&sessions)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, s := range sessions {
		marked := s.Present + s.Late + s.Absent + s.Excused
		st.Sessions = append(st.Sessions, SessionStats{
			ID: s.ID, Title: s.Title, StartsAt: s.StartsAt, Cancelled: s.Cancelled,
			Present: s.Present, Late: s.Late, Absent: s.Absent, Excused: s.Excused,
			Unmarked: max(0, active-marked),
		})
	}

	var people []struct {
		User      string `db:"user"`
		First     string `db:"first_name"`
		Last      string `db:"last_name"`
		Group     string `db:"study_group"`
		Status    string `db:"status"`
		Completed string `db:"completed_at"`
		Attended  int    `db:"attended"`
	}
	err = db.NewQuery(`
		SELECT e.user, u.first_name, u.last_name, u.study_group, e.status, e.completed_at,
			(SELECT count(DISTINCT a.session) FROM attendance a JOIN course_sessions s ON s.id = a.session
				WHERE s.course = e.course AND s.cancelled = FALSE AND a.user = e.user AND a.status IN ('present', 'late')) AS attended
		FROM enrollments e JOIN users u ON u.id = e.user
		WHERE e.course = {:course} AND e.status IN ('enrolled', 'completed')
		ORDER BY u.last_name, u.first_name, e.user`).Bind(p).All(&people)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, u := range people {
		name := u.First
		if u.Last != "" {
			name += " " + u.Last
		}
		st.Participants = append(st.Participants, ParticipantStats{
			User: u.User, Name: name, Group: u.Group, Status: u.Status, Attended: u.Attended, Completed: u.Completed,
		})
	}
	return e.JSON(http.StatusOK, st)
}
