// Live counters of one meetup: registered, waitlisted and checked-in people.
// Counts come from the list API (totals only); realtime events on
// registrations and check-ins of the meetup trigger a recount, so a scan on
// another device shows up here without a reload.
import { onBeforeUnmount, reactive } from "vue";
import { pb } from "../shared/pb.js";

export function useCounters(meetupId) {
  const state = reactive({ registered: null, waitlisted: null, checkedIn: null, live: false, error: "" });
  const byMeetup = pb.filter("meetup = {:m}", { m: meetupId });
  const total = (collection, filter) =>
    pb.collection(collection).getList(1, 1, { filter, fields: "id" }).then((r) => r.totalItems);

  let timer = null;
  let stopped = false;
  const unsubs = [];

  async function recount() {
    try {
      const [registered, waitlisted, checkedIn] = await Promise.all([
        total("registrations", `${byMeetup} && status = "registered"`),
        total("registrations", `${byMeetup} && status = "waitlisted"`),
        total("checkins", byMeetup),
      ]);
      Object.assign(state, { registered, waitlisted, checkedIn, error: "" });
    } catch (err) {
      state.error = err?.message || "error";
    }
  }
  // a burst of events (a queue at the door) becomes one recount
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(recount, 150);
  }

  async function start() {
    await recount();
    try {
      for (const c of ["registrations", "checkins"]) {
        unsubs.push(await pb.collection(c).subscribe("*", soon, { filter: byMeetup }));
      }
      // (re)connected: events missed while offline are counted again
      unsubs.push(await pb.realtime.subscribe("PB_CONNECT", () => {
        state.live = true;
        soon();
      }));
      pb.realtime.onDisconnect = () => (state.live = false);
      state.live = pb.realtime.isConnected;
    } catch {
      state.live = false;
    }
    if (stopped) unsubs.forEach((u) => u());
  }

  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
    unsubs.forEach((u) => u());
  });

  start();
  return { counters: state, recount };
}
