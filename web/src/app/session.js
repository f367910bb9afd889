// Signing in to the Mini App: Telegram's initData goes to
// POST /api/telegram/auth, which answers with a PocketBase token for the
// student's users record. The token is kept like any PocketBase session
// (localStorage, shared with /organizer/ on the same origin), so a reload
// or the organizer's scanner goes on without Telegram's data.
import { reactive } from "vue";
import { pb, signInWithTelegram, signOut } from "../shared/pb.js";
import { route } from "../shared/router.js";
import { launchData, postEvent, rememberLaunch } from "../shared/telegram.js";

// state: "loading" | "ready" | "error"; reason: the end of a catalogue key
// miniapp.reason.*.
// checkin.scan (hooks/access) makes a user an organizer at the door.
const CHECKIN_SCAN = "checkin.scan";

export const session = reactive({ state: "loading", reason: "", canScan: false });

export async function start() {
  const data = launchData();
  if (data) {
    postEvent("web_app_ready");
    postEvent("web_app_expand");
    rememberLaunch(location.hash);
    // initData is a credential: keep it out of the address bar and history
    history.replaceState(null, "", location.pathname + location.search);
    route.value = [];
    await signIn(data);
    return;
  }
  if (pb.authStore.isValid && pb.authStore.record?.collectionName === "users") {
    try {
      const res = await pb.collection("users").authRefresh({ expand: "roles" });
      ready(rolesCanScan(res.record));
    } catch (err) {
      if (err?.status === 0) return fail("offline");
      signOut();
      fail("session");
    }
    return;
  }
  fail("no_data");
}

async function signIn(data) {
  try {
    const res = await signInWithTelegram(data);
    ready(!!res.meta?.can_scan);
  } catch (err) {
    // refused data must not leave an earlier user's session behind
    signOut();
    fail(err?.status === 0 ? "offline" : err?.response?.data?.init_data?.code || "unknown");
  }
}

function ready(canScan) {
  session.canScan = canScan;
  session.state = "ready";
}

function fail(reason) {
  session.reason = reason;
  session.state = "error";
}

function rolesCanScan(user) {
  return (user?.expand?.roles || []).some((r) => (r.permissions || []).includes(CHECKIN_SCAN));
}
