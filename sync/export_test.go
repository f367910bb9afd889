package sync

// WithStep returns o with a hook called between the phases of a run
// ("locked", "copying:<name>" once the first chunk of a COPY is out,
// "collection:<name>", "commit", "committed") with the backend
// pid of the run's connection; an error from it ends the run there.
func WithStep(o Options, step func(name string, pid uint32) error) Options {
	o.step = step
	return o
}

// Parsers, for the fuzz tests.
var (
	AppendJSONList = appendJSONList
	ParseStamp     = parseStamp
)
