package input

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// FieldForKey returns the field a body key sets, resolving PocketBase's
// modifiers ("points+", "points-", "+tags", "tags+", "tags-",
// "name:autogenerate") the way Record.SetIfFieldExists does, or nil.
func FieldForKey(c *core.Collection, key string) core.Field {
	for _, f := range c.Fields {
		if sf, ok := f.(core.SetterFinder); ok && sf.FindSetter(key) != nil {
			return f
		}
		if key == f.GetName() {
			return f
		}
	}
	return nil
}

// alwaysAllowed are body keys that are no field but that PocketBase's
// clients send: the dashboard and the SDKs send a fetched record back with
// its collection and expand keys, and PocketBase itself ignores them.
var alwaysAllowed = map[string]bool{
	"collectionId":       true,
	"collectionName":     true,
	core.FieldNameExpand: true,
}

// authAllowed are the keys the record form of an auth collection reads
// besides its fields.
var authAllowed = map[string]bool{
	"passwordConfirm": true,
	"oldPassword":     true,
}

var (
	extraMu   sync.RWMutex
	extraKeys = map[string]map[string]bool{}
)

// AllowKeys lets record create and update requests of a collection carry
// keys that are no field of it, for a request hook that reads them from
// the body (RequestInfo().Body keeps unknown keys). Every other unknown key
// is refused, so that a misspelt field name is not silently dropped.
// Call it before the app serves requests.
func AllowKeys(collection string, keys ...string) {
	extraMu.Lock()
	defer extraMu.Unlock()
	if extraKeys[collection] == nil {
		extraKeys[collection] = map[string]bool{}
	}
	for _, k := range keys {
		extraKeys[collection][k] = true
	}
}

func keyAllowed(c *core.Collection, key string) bool {
	if alwaysAllowed[key] || (c.IsAuth() && authAllowed[key]) {
		return true
	}
	extraMu.RLock()
	defer extraMu.RUnlock()
	return extraKeys[c.Name][key] || extraKeys[c.Id][key]
}
