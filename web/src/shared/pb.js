// The one PocketBase client of a page: same origin as the page, so the
// binary that serves the page is the API (nothing is loaded from elsewhere).
import PocketBase from "pocketbase";
import { reactive } from "vue";

export const pb = new PocketBase("/");
// Counters and lists fire parallel requests to one collection; the SDK would
// cancel all but the last of them.
pb.autoCancellation(false);

// auth mirrors pb.authStore for templates.
export const auth = reactive({ user: pb.authStore.record, token: pb.authStore.token });
pb.authStore.onChange((token, record) => {
  auth.token = token;
  auth.user = record;
});

export function signedIn() {
  return pb.authStore.isValid && pb.authStore.record?.collectionName === "users";
}

// signInWithTelegram trades a Mini App's initData for a session
// (POST /api/telegram/auth) and keeps it; it answers the route's reply
// ({token, record, meta}) and throws its refusal.
export async function signInWithTelegram(initData) {
  const res = await pb.send("/api/telegram/auth", { method: "POST", body: { init_data: initData } });
  pb.authStore.save(res.token, res.record);
  return res;
}

export function signOut() {
  pb.realtime.unsubscribe();
  pb.authStore.clear();
}

// errorCode returns the field error code of a PocketBase 400 answer, e.g.
// {data: {code: {code: "invalid_signature"}}} → "invalid_signature".
export function errorCode(err, field = "code") {
  return err?.response?.data?.[field]?.code || "";
}

// fieldErrors flattens {data: {title: {message}}} into {title: message}.
export function fieldErrors(err) {
  const out = {};
  for (const [k, v] of Object.entries(err?.response?.data || {})) {
    if (v && typeof v === "object" && v.message) out[k] = v.message;
  }
  return out;
}
