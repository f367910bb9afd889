package testapp

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/textproto"
)

// PNG returns a small valid PNG image of the given size.
func PNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// File is one file part of a multipart body.
type File struct {
	Field, Name, ContentType string
	Data                     []byte
}

// Multipart encodes fields and files as a multipart/form-data body and
// returns it with its Content-Type header value.
func Multipart(fields map[string]string, files ...File) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			panic(err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.Field, f.Name))
		h.Set("Content-Type", f.ContentType)
		part, err := mw.CreatePart(h)
		if err != nil {
			panic(err)
		}
		part.Write(f.Data)
	}
	if err := mw.Close(); err != nil {
		panic(err)
	}
	return &buf, mw.FormDataContentType()
}
