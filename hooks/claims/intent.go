package claims

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// sentStatusKey carries the status a request body sent from the request
// hook to the model hook; '@' cannot start a field name, so it never
// reaches the database.
const sentStatusKey = "@claims_sent_status"

// markSentStatus remembers the status a request sends. The model hook only
// sees the resulting record, where approving an approved claim looks like
// no change at all.
func markSentStatus(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if v, ok := info.Body["status"]; ok {
		e.Record.SetRaw(sentStatusKey, fmt.Sprint(v))
	}
	return e.Next()
}

// requestedStatus is the status the caller asks for, if it asks for one:
// what its request body sent, or, for Go code, a status it set on its copy
// of the claim since loading it (so a decision made from a copy loaded
// while the claim was pending is refused once someone else decided it).
func requestedStatus(rec *core.Record) string {
	if s, ok := rec.GetRaw(sentStatusKey).(string); ok {
		return s
	}
	if s := rec.GetString("status"); s != rec.Original().GetString("status") {
		return s
	}
	return ""
}
