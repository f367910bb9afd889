package sync

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// kind is how a SQLite value becomes a PostgreSQL value.
type kind int

const (
	kText     kind = iota // text, kept as is ('' stays '')
	kRef                  // single relation, select or file name: '' → NULL
	kInt                  // whole number → bigint
	kNumeric              // number → numeric
	kBool                 // 0/1 → boolean
	kTime                 // PocketBase datetime text → timestamptz, '' → NULL
	kJSON                 // JSON text → jsonb, null → NULL
	kList                 // JSON array of strings → text[]
	kFileURL              // URL of the single file named by another column
	kFileURLs             // URLs of the files named by another column
	numKinds
)

var pgTypes = [numKinds]string{
	kText: "text", kRef: "text", kInt: "bigint", kNumeric: "numeric", kBool: "boolean",
	kTime: "timestamptz", kJSON: "jsonb", kList: "text[]", kFileURL: "text", kFileURLs: "text[]",
}

// column is one column of a mirror table.
type column struct {
	Name string // column name, the field name (or <file field>_url[s])
	Kind kind
	// Src is the index of the SQLite value the column is built from, in
	// plan.Source order.
	Src int
	// Names is, for file URL columns, the index of the column holding the
	// file names.
	Names int
	// Bytewise marks columns of record ids (the id, relations): they
	// compare byte by byte (COLLATE "C"), which makes building and probing
	// their indexes several times faster than a locale's rules, and
	// changes nothing else: ids are ASCII, and PostgreSQL lets such a
	// column be compared with any text column.
	Bytewise bool
}

func (c column) pgType() string { return pgTypes[c.Kind] }

// ddlType is the column's type in CREATE and ALTER TABLE.
func (c column) ddlType() string {
	if c.Bytewise {
		return c.pgType() + ` COLLATE "C"`
	}
	return c.pgType()
}

// plan is how one collection becomes one table.
type plan struct {
	Collection   string
	CollectionID string
	// Source are the SQLite columns read, "id" first.
	Source []string
	// Columns are the mirror table's columns, "id" first.
	Columns []column
	// Watermark is the autodate column incremental runs follow (updated,
	// or created for append-only collections); "" means every run re-reads
	// the whole collection.
	Watermark string
	// WatermarkSrc is the index of Watermark in Source (-1 without).
	WatermarkSrc int
	// FileBase is the URL prefix of the collection's files, "" without files.
	FileBase string
}

// planFor maps a collection's fields to typed columns. Secrets never
// appear: password fields, hidden fields (token keys, raffle seeds) and the
// fields listed in notMirroredFields are left out.
func planFor(c *core.Collection, baseURL string) plan {
	p := plan{Collection: c.Name, CollectionID: c.Id, Source: []string{"id"}, Columns: []column{{Name: "id", Kind: kText, Bytewise: true}}}
	skip := notMirroredFields[c.Name]
	var urls []column
	for _, f := range c.Fields {
		name := f.GetName()
		if name == "id" || f.GetHidden() || skip[name] {
			continue
		}
		k, ok := kindOf(f)
		if !ok {
			continue
		}
		src := len(p.Source)
		p.Source = append(p.Source, name)
		_, isRelation := f.(*core.RelationField)
		p.Columns = append(p.Columns, column{Name: name, Kind: k, Src: src, Bytewise: isRelation})
		if ff, isFile := f.(*core.FileField); isFile {
			names := len(p.Columns) - 1
			url := column{Name: name + "_url", Kind: kFileURL, Src: src, Names: names}
			if ff.IsMultiple() {
				url = column{Name: name + "_urls", Kind: kFileURLs, Src: src, Names: names}
			}
			urls = append(urls, url)
		}
	}
	// URL columns go last so that a field named like one cannot shadow it.
	have := map[string]bool{}
	for _, col := range p.Columns {
		have[col.Name] = true
	}
	for _, u := range urls {
		if !have[u.Name] {
			p.Columns = append(p.Columns, u)
		}
	}
	if len(urls) > 0 {
		p.FileBase = strings.TrimRight(baseURL, "/") + "/api/files/" + c.Id + "/"
	}
	p.Watermark, p.WatermarkSrc = watermarkOf(c), -1
	for i, name := range p.Source {
		if name == p.Watermark {
			p.WatermarkSrc = i
		}
	}
	if p.WatermarkSrc < 0 {
		p.Watermark = "" // left out of the mirror: re-read whole
	}
	return p
}

// kindOf maps a PocketBase field type; false for fields never mirrored.
func kindOf(f core.Field) (kind, bool) {
	switch f := f.(type) {
	case *core.PasswordField:
		return 0, false
	case *core.TextField, *core.EditorField, *core.EmailField, *core.URLField:
		return kText, true
	case *core.NumberField:
		if f.OnlyInt {
			return kInt, true
		}
		return kNumeric, true
	case *core.BoolField:
		return kBool, true
	case *core.DateField, *core.AutodateField:
		return kTime, true
	case *core.JSONField, *core.GeoPointField:
		return kJSON, true
	case *core.SelectField:
		return listOrRef(f.IsMultiple()), true
	case *core.RelationField:
		return listOrRef(f.IsMultiple()), true
	case *core.FileField:
		return listOrRef(f.IsMultiple()), true
	}
	// a field type added by a later PocketBase: its stored text as is
	return kText, true
}

func listOrRef(multiple bool) kind {
	if multiple {
		return kList
	}
	return kRef
}

// watermarkOf picks the autodate field that moves on every update, or,
// for append-only collections such as audit_log, the creation time.
func watermarkOf(c *core.Collection) string {
	var created string
	for _, f := range c.Fields {
		a, ok := f.(*core.AutodateField)
		if !ok || f.GetHidden() {
			continue
		}
		if a.OnUpdate {
			return a.Name
		}
		if a.OnCreate && created == "" {
			created = a.Name
		}
	}
	return created
}

// signature identifies the table shape and derived values of a plan; a
// run that finds a different one alters the table and re-copies every row.
func (p plan) signature() string {
	var b strings.Builder
	for _, c := range p.Columns {
		fmt.Fprintf(&b, "%s %s,", c.Name, c.ddlType())
	}
	if p.FileBase != "" {
		b.WriteString(" files " + p.FileBase)
	}
	return b.String()
}

// plans returns the plans of every mirrored collection, by name.
func plans(app core.App, baseURL string) ([]plan, error) {
	cols, err := app.FindAllCollections()
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	var out []plan
	for _, c := range cols {
		if Mirrored(c) {
			out = append(out, planFor(c, baseURL))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Collection < out[j].Collection })
	return out, nil
}
