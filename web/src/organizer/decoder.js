// The QR decoder for camera scans: the browser's BarcodeDetector where it
// reads QR codes (Android Chrome, Safari 17+), else the barcode-detector
// ponyfill (ZXing compiled to WebAssembly). The .wasm is one of this page's
// own files: the module's default would fetch it from a public CDN, which
// phones behind a firewall, Telegram and the tests cannot reach.
import wasmURL from "zxing-wasm/reader/zxing_reader.wasm?url";

export async function qrDetector() {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) return { detector: new window.BarcodeDetector({ formats: ["qr_code"] }), native: true };
    } catch {
      // fall through to the ponyfill
    }
  }
  const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
  await prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(wasmURL, location.href).href : prefix + path) },
    fireImmediately: true,
  });
  return { detector: new BarcodeDetector({ formats: ["qr_code"] }), native: false };
}
