package input

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/tools/router"
)

// submitted is a request body as the client sent it, before PocketBase
// resolved modifiers and cast the values. By the time the request hooks
// run, RequestInfo().Body already holds the cast values, so the raw body
// is read again.
type submitted struct {
	// typed holds JSON values: a JSON body, or the @jsonPayload parts of a
	// multipart body (the SDKs and batch requests send non-file values there).
	typed map[string]any
	// form holds the string values of a form body. Like PocketBase, it
	// includes query parameters, which net/http merges into the form.
	form map[string][]string
	// files counts the uploaded files per key.
	files map[string]int
	// keys are the keys of the body itself (not the query), for the
	// unknown-key check.
	keys []string
}

// readSubmitted reads r's body again. It relies on PocketBase having
// already parsed it (a JSON body is rereadable, a form body is parsed into
// r.Form), so it fails only on bodies PocketBase accepted and Go did not.
func readSubmitted(r *http.Request) (*submitted, error) {
	s := &submitted{typed: map[string]any{}, form: map[string][]string{}, files: map[string]int{}}
	if r.ContentLength == 0 {
		return s, nil // PocketBase reads no body either
	}
	contentType := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(contentType, "application/json"):
		return s, s.readJSON(r)
	case strings.HasPrefix(contentType, "multipart/form-data"):
		if r.MultipartForm == nil {
			if err := r.ParseMultipartForm(router.DefaultMaxMemory); err != nil {
				return nil, fmt.Errorf("parse multipart body: %w", err)
			}
		}
		for key, headers := range r.MultipartForm.File {
			s.files[key] = len(headers)
			s.keys = append(s.keys, key)
		}
		return s, s.readForm(r)
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("parse form body: %w", err)
		}
		return s, s.readForm(r)
	}
	// Other content types never reach the record hooks: PocketBase answers
	// them with a 400 while reading the body.
	return s, nil
}

func (s *submitted) readJSON(r *http.Request) error {
	raw, err := io.ReadAll(r.Body) // reading to EOF rewinds the rereadable body for later readers
	if err != nil {
		return fmt.Errorf("read JSON body: %w", err)
	}
	if err := decodeJSONObject(raw, s.typed); err != nil {
		return fmt.Errorf("decode JSON body: %w", err)
	}
	for key := range s.typed {
		s.keys = append(s.keys, key)
	}
	return nil
}

func (s *submitted) readForm(r *http.Request) error {
	for key, values := range r.Form {
		if key == router.JSONPayloadKey {
			continue
		}
		s.form[key] = values
	}
	for key := range r.PostForm {
		if key != router.JSONPayloadKey {
			s.keys = append(s.keys, key)
		}
	}
	// Later payloads override earlier ones, as in router.UnmarshalRequestData.
	for i, payload := range r.Form[router.JSONPayloadKey] {
		values := map[string]any{}
		if err := decodeJSONObject([]byte(payload), values); err != nil {
			return fmt.Errorf("decode %s #%d: %w", router.JSONPayloadKey, i+1, err)
		}
		for key, v := range values {
			s.typed[key] = v
			s.keys = append(s.keys, key)
		}
	}
	return nil
}

// decodeJSONObject decodes a JSON object into dst, keeping numbers as
// json.Number so that their exact text can be checked (PocketBase decodes
// them into float64, where 2^53+1 already is 2^53).
func decodeJSONObject(raw []byte, dst map[string]any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any // a JSON null leaves it nil, as PocketBase reads it
	if err := dec.Decode(&m); err != nil {
		return err
	}
	for k, v := range m {
		dst[k] = v
	}
	return nil
}
