// A camera scanner: getUserMedia into a <video>, frames handed to the QR
// detector a few times a second. onCode gets each decoded text; the same
// text again within `repeatMs` is ignored, so one ticket held in front of
// the camera is one scan.
import { reactive } from "vue";

export function useCamera(onCode, { repeatMs = 4000, everyMs = 200 } = {}) {
  const state = reactive({ on: false, starting: false, error: "", native: null });
  let stream = null;
  let video = null;
  let timer = null;
  let detector = null;
  let last = { text: "", at: 0 };
  let busy = false;

  async function tick() {
    if (!state.on) return;
    if (!busy && video && video.readyState >= 2) {
      try {
        const codes = await detector.detect(video);
        const text = codes.find((c) => c.rawValue)?.rawValue;
        const now = Date.now();
        if (text && (text !== last.text || now - last.at > repeatMs)) {
          last = { text, at: now };
          busy = true;
          try {
            await onCode(text);
          } finally {
            busy = false;
          }
        }
      } catch {
        // a frame the decoder could not read: try the next one
      }
    }
    timer = setTimeout(tick, everyMs);
  }

  async function start(videoEl, texts) {
    if (state.on || state.starting) return;
    state.error = "";
    if (!navigator.mediaDevices?.getUserMedia) {
      state.error = texts.cameraMissing;
      return;
    }
    state.starting = true;
    try {
      if (!detector) {
        try {
          const d = await (await import("./decoder.js")).qrDetector();
          detector = d.detector;
          state.native = d.native;
        } catch {
          state.error = texts.decoderFailed;
          return;
        }
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      } catch (err) {
        state.error = err?.name === "NotAllowedError" ? texts.cameraDenied : texts.cameraMissing;
        return;
      }
      video = videoEl;
      video.srcObject = stream;
      video.setAttribute("playsinline", "");
      video.muted = true;
      await video.play().catch(() => {});
      state.on = true;
      tick();
    } finally {
      state.starting = false;
    }
  }

  function stop() {
    state.on = false;
    clearTimeout(timer);
    stream?.getTracks().forEach((tr) => tr.stop());
    stream = null;
    if (video) video.srcObject = null;
  }

  return { camera: state, start, stop };
}
