// Package access owns who may do what: the permission tags of staff roles,
// their tag scopes, and the API rule strings that enforce them. Migrations
// build every collection's rules from this package, and Go code checks the
// same grants through Can, so a rule and its Go twin never drift apart.
package access

// Permission tags a role can hold (SPEC section 2).
const (
	UsersManage        = "users.manage"
	MeetupsManage      = "meetups.manage"
	CheckinScan        = "checkin.scan"
	CoursesManage      = "courses.manage"
	ClaimsReview       = "claims.review"
	AchievementsManage = "achievements.manage"
	AchievementsAward  = "achievements.award"
	VerificationReview = "verification.review"
	BroadcastsSend     = "broadcasts.send"
	RafflesRun         = "raffles.run"
	StatsView          = "stats.view"
	AuditView          = "audit.view"
)

// Permissions lists every permission tag in the order the dashboard shows them.
var Permissions = []string{
	UsersManage,
	MeetupsManage,
	CheckinScan,
	CoursesManage,
	ClaimsReview,
	AchievementsManage,
	AchievementsAward,
	VerificationReview,
	BroadcastsSend,
	RafflesRun,
	StatsView,
	AuditView,
}

// GrantsCollection is the view collection that flattens users → roles →
// permissions × scope tags into one row per grant. Can queries it; rules
// read the same roles through @request.auth.roles instead (see rules.go for
// why), with the same meaning: an empty tag is a role without scope tags.
const GrantsCollection = "grants"

// GrantsViewQuery is the SQL behind GrantsCollection. A role without scope
// tags yields one row with an empty tag, meaning "everywhere".
const GrantsViewQuery = `
SELECT
	(u.id || ':' || r.id || ':' || p.value || ':' || COALESCE(t.value, '')) AS id,
	u.id AS user,
	r.id AS role,
	CAST(p.value AS TEXT) AS permission,
	CAST(COALESCE(t.value, '') AS TEXT) AS tag
FROM users u
JOIN json_each(CASE WHEN json_valid(u.roles) THEN u.roles ELSE '[]' END) ur
JOIN roles r ON r.id = ur.value
JOIN json_each(CASE WHEN json_valid(r.permissions) THEN r.permissions ELSE '[]' END) p
LEFT JOIN json_each(CASE WHEN json_valid(r.scope_tags) THEN r.scope_tags ELSE '[]' END) t
`
