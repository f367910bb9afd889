package pbpublic_test

import (
	"bufio"
	"bytes"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// qrPNG encodes text as a QR PNG the way tickets are drawn (medium error
// correction, 8 pixels a module).
func qrPNG(t *testing.T, text string) []byte {
	t.Helper()
	b, err := qrcode.Encode(text, qrcode.Medium, -8)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeCamera writes a .y4m stream for Chromium's fake camera: the QR image
// grey-scale in the middle of a 640×480 frame, 20 frames at 10 fps (the
// browser loops it). Only the Y plane carries the picture; U and V are 128.
func fakeCamera(t *testing.T, qr []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(qr))
	if err != nil {
		t.Fatalf("decode QR PNG: %v", err)
	}
	const w, h = 640, 480
	b := img.Bounds()
	// fit the code into 440 px, nearest-neighbour so modules stay sharp
	scale := 1.0
	if side := max(b.Dx(), b.Dy()); side > 440 {
		scale = 440 / float64(side)
	}
	dw, dh := int(float64(b.Dx())*scale), int(float64(b.Dy())*scale)
	x0, y0 := (w-dw)/2, (h-dh)/2

	y := bytes.Repeat([]byte{235}, w*h) // a white page
	for py := range dh {
		for px := range dw {
			c := img.At(b.Min.X+int(float64(px)/scale), b.Min.Y+int(float64(py)/scale))
			y[(y0+py)*w+x0+px] = color.GrayModel.Convert(c).(color.Gray).Y
		}
	}
	uv := bytes.Repeat([]byte{128}, (w/2)*(h/2))

	path := filepath.Join(t.TempDir(), "camera.y4m")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	bw.WriteString("YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
	for range 20 {
		bw.WriteString("FRAME\n")
		bw.Write(y)
		bw.Write(uv)
		bw.Write(uv)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
