// Telegram Mini App features, feature-detected. Telegram opens a Mini App
// with #tgWebAppData=... in the URL; only then is Telegram's own script
// loaded (the one thing a page may fetch from elsewhere). In a plain
// browser nothing is loaded and every helper answers "not available".
const SCRIPT = "https://telegram.org/js/telegram-web-app.js";
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
  loading ||= new Promise((resolve) => {
    const s = document.createElement("script");
    s.src = SCRIPT;
    s.onload = () => {
      const app = window.Telegram?.WebApp;
      if (app?.initData) {
        app.ready();
        app.expand?.();
        resolve(app);
      } else resolve(null);
    };
    s.onerror = () => resolve(null);
    document.head.appendChild(s);
  });
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
