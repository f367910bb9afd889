// Dates, names and text conversions shared by the pages. PocketBase stores
// dates as "2026-09-01 18:00:00.000Z" (UTC); pages show local time.

export function parseDate(s) {
  if (!s) return null;
  const d = new Date(String(s).replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? null : d;
}

const dayTime = new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", weekday: "short", hour: "2-digit", minute: "2-digit" });
const dayOnly = new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", year: "numeric" });
const timeOnly = new Intl.DateTimeFormat("ru-RU", { hour: "2-digit", minute: "2-digit" });

export const fmtDateTime = (s) => (parseDate(s) ? dayTime.format(parseDate(s)) : "");
export const fmtDay = (s) => (parseDate(s) ? dayOnly.format(parseDate(s)) : "");
export const fmtTime = (s) => (parseDate(s) ? timeOnly.format(parseDate(s)) : "");

const pad = (n) => String(n).padStart(2, "0");

// <input type="datetime-local"> works in local time without a zone.
export function toLocalInput(s) {
  const d = parseDate(s);
  if (!d) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(v) {
  if (!v) return "";
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}

// Course dates (starts_on, ends_on) are whole days, kept at UTC midnight.
export const toDateInput = (s) => (s ? String(s).slice(0, 10) : "");
export const fromDateInput = (v) => (v ? `${v} 00:00:00.000Z` : "");

export function personName(u) {
  if (!u) return "";
  if (typeof u === "string") return u;
  const n = [u.first_name, u.last_name].filter(Boolean).join(" ") || u.name || "";
  return n || u.email || u.telegram_username || u.id || "";
}

// Offsets of reminders: minutes ⇄ the largest unit that divides them.
const unitMinutes = { days: 1440, hours: 60, minutes: 1 };
export function splitMinutes(m) {
  for (const [unit, k] of Object.entries(unitMinutes)) {
    if (m > 0 && m % k === 0) return { amount: m / k, unit };
  }
  return { amount: m || 0, unit: "minutes" };
}
export const joinMinutes = (amount, unit) => Math.round(Number(amount) * (unitMinutes[unit] || 1));

// Descriptions are HTML (the dashboard's editor). Plain paragraphs are
// edited as text; anything richer is edited as HTML so nothing is lost.
export function isPlainHTML(html) {
  const tags = String(html || "").match(/<\/?([a-z0-9]+)[^>]*>/gi) || [];
  return tags.every((tag) => /^<\/?(p|br)\s*\/?>$/i.test(tag));
}
export function htmlToText(html) {
  return String(html || "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<\/?p>/gi, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .trim();
}
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
export function textToHtml(text) {
  const paras = String(text || "").trim().split(/\n{2,}/).filter((p) => p.trim());
  return paras.map((p) => `<p>${esc(p.trim()).replace(/\n/g, "<br>")}</p>`).join("");
}
