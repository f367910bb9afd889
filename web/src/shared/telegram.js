// Telegram Mini App features, feature-detected. Telegram opens a Mini App
// with #tgWebAppData=... in the URL; only then is Telegram's own script
// (telegram-web-app.js, bundled from the npm package @twa-dev/sdk: the
// pages load nothing from elsewhere) loaded. In a plain browser nothing is
// loaded and every helper answers "not available".
const KEY = "qb.tgWebApp";

function launchedFromTelegram() {
  const inHash = /(^|[#&])tgWebAppData=/.test(location.hash) || /(^|[?&])tgWebAppData=/.test(location.search);
  try {
    if (inHash) sessionStorage.setItem(KEY, "1");
    return inHash || sessionStorage.getItem(KEY) === "1";
  } catch {
    return inHash;
  }
}

let loading = null;

// webApp resolves to window.Telegram.WebApp inside Telegram, else null.
export function webApp() {
  if (window.Telegram?.WebApp?.initData) return Promise.resolve(window.Telegram.WebApp);
  if (!launchedFromTelegram()) return Promise.resolve(null);
  loading ||= import("@twa-dev/sdk").then(
    () => {
      const app = window.Telegram?.WebApp;
      if (!app?.initData) return null;
      app.ready();
      app.expand?.();
      return app;
    },
    () => null,
  );
  return loading;
}

// canScanQR: Telegram's native scanner exists from WebApp 6.4 on.
export const canScanQR = (app) => !!app && typeof app.showScanQrPopup === "function" && app.isVersionAtLeast?.("6.4");

// scanQR opens Telegram's scanner; onCode gets each text and returns true
// to close the popup.
export function scanQR(app, hint, onCode) {
  app.showScanQrPopup({ text: hint }, (text) => onCode(text) === true);
}

// launchData returns the Mini App's initData without loading anything:
// from Telegram's script when a page has it, else from the #tgWebAppData
// parameter Telegram opens the page with. "" when the page was not opened
// by Telegram.
export function launchData() {
  const fromScript = window.Telegram?.WebApp?.initData;
  if (fromScript) return fromScript;
  for (const part of [location.hash.replace(/^#/, ""), location.search.replace(/^\?/, "")]) {
    const v = new URLSearchParams(part).get("tgWebAppData");
    if (v) return v;
  }
  return "";
}

// postEvent talks to the Telegram client directly (the protocol
// telegram-web-app.js wraps), so that "ready" and "expand" need no outside
// script. Outside Telegram it does nothing.
export function postEvent(type, data = {}) {
  try {
    if (window.TelegramWebviewProxy?.postEvent) {
      window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data));
    } else if (window.parent !== window) {
      window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), "*");
    }
  } catch {
    // not inside Telegram
  }
}

const LAUNCH = "qb.tgLaunch";

// rememberLaunch keeps the parameters Telegram opened the Mini App with
// (this tab only), so that a page it links to — the organizer's scanner —
// opens as the same Mini App: signed in by its data, with Telegram's own
// QR scanner.
export function rememberLaunch(hash) {
  try {
    if (/(^|[#&])tgWebAppData=/.test(hash)) sessionStorage.setItem(LAUNCH, hash);
  } catch {
    // no storage: the linked page signs in from the saved session instead
  }
}

// launchHash is what rememberLaunch kept ("" for none), to append to a link.
export function launchHash() {
  try {
    return sessionStorage.getItem(LAUNCH) || "";
  } catch {
    return "";
  }
}
