// One check-in request and its answer as a result card:
//   200 {result: "checked_in" | "already", user, at, by} → ok / warn
//   400 {message, data: {code: {code: reason}}}           → bad, with the reason
import { errorCode, pb } from "../shared/pb.js";
import { t } from "../shared/texts.js";

export async function checkIn(meetupId, code) {
  try {
    const res = await pb.send("/api/checkin", { method: "POST", body: { code, meetup: meetupId } });
    return { kind: res.result === "already" ? "warn" : "ok", code, user: res.user || null, at: res.at, by: res.by };
  } catch (err) {
    return { kind: "bad", code, reason: reason(err) };
  }
}

function reason(err) {
  const r = t.scan.reasons;
  switch (err?.status) {
    case 0:
      return r.network;
    case 401:
    case 403:
      return r.forbidden;
    case 404:
      // PocketBase's answer for a route it does not have
      if (/wasn't found/i.test(err?.response?.message || "")) return r.no_route;
  }
  const code = errorCode(err);
  return r[code] || err?.response?.message || r.unknown;
}
