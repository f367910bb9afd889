// The Mini App's texts: students' texts live in one catalogue (bot/i18n,
// Russian and English), which GET /api/miniapp/texts serves raw; tt fills
// in their {{.name}} placeholders. The language is the student's Telegram
// language, else their stored one, else the browser's.
import { reactive } from "vue";
import { pb } from "../shared/pb.js";
import { launchData } from "../shared/telegram.js";

export const i18n = reactive({ lang: "ru", texts: {} });

// tt renders a catalogue text; a missing one shows its key, so a gap is
// visible rather than silent.
export function tt(key, data = {}) {
  const text = i18n.texts[key];
  if (text === undefined) return key;
  return text.replace(/\{\{\.(\w+)\}\}/g, (_, name) => String(data[name] ?? ""));
}

function telegramLanguage() {
  try {
    const user = new URLSearchParams(launchData()).get("user");
    return user ? JSON.parse(user).language_code || "" : "";
  } catch {
    return "";
  }
}

// loadTexts fetches the texts once, before the app shows anything.
export async function loadTexts() {
  const lang = telegramLanguage() || pb.authStore.record?.language || navigator.language || "ru";
  try {
    const res = await pb.send(`/api/miniapp/texts?lang=${encodeURIComponent(lang)}`, {});
    i18n.lang = res.lang;
    i18n.texts = res.texts;
    document.documentElement.lang = res.lang;
  } catch {
    // offline: the session reports it; keys stand in for texts
  }
}

// fmtWhen formats a stored UTC time in local time, in the app's language.
export function fmtWhen(s) {
  const d = s ? new Date(String(s).replace(" ", "T")) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(i18n.lang === "en" ? "en-GB" : "ru-RU", {
    day: "numeric", month: "long", weekday: "short", hour: "2-digit", minute: "2-digit",
  }).format(d);
}
