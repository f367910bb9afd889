// The data of one course the host pages share: the course, its sessions
// and its enrollments (with the students' names).
import { reactive } from "vue";
import { pb } from "../shared/pb.js";
import { t } from "../shared/texts.js";

export function useCourse(id) {
  const state = reactive({ course: null, sessions: [], enrollments: [], error: "", loading: true });
  const byCourse = pb.filter("course = {:c}", { c: id });

  async function loadSessions() {
    state.sessions = await pb.collection("course_sessions").getFullList({ filter: byCourse, sort: "starts_at,created" });
  }
  async function loadEnrollments() {
    state.enrollments = await pb.collection("enrollments").getFullList({
      filter: `${byCourse} && status != "cancelled"`,
      expand: "user",
      fields: "id,user,status,expand.user.id,expand.user.first_name,expand.user.last_name,expand.user.study_group",
    });
    state.enrollments.sort((a, b) => studentName(a).localeCompare(studentName(b), "ru"));
  }
  async function load() {
    state.loading = true;
    state.error = "";
    try {
      state.course = await pb.collection("courses").getOne(id);
      await Promise.all([loadSessions(), loadEnrollments()]);
    } catch (err) {
      state.error = err?.status === 404 ? t.app.notFound : err?.status === 0 ? t.app.offline : t.app.error(err?.message);
    } finally {
      state.loading = false;
    }
  }
  load();
  return { state, load, loadSessions, loadEnrollments };
}

export function studentName(enrollment) {
  const u = enrollment.expand?.user;
  return u ? [u.first_name, u.last_name].filter(Boolean).join(" ") || u.id : enrollment.user;
}
