// A hash router small enough for two-level pages: "#/meetup/ID" → ["meetup", "ID"].
// Hash routes need nothing from the server, which serves each page as one file.
import { ref } from "vue";

export const route = ref(parse());

function parse() {
  return location.hash.replace(/^#\/?/, "").split("?")[0].split("/").filter(Boolean).map(decodeURIComponent);
}

window.addEventListener("hashchange", () => {
  route.value = parse();
  window.scrollTo(0, 0);
});

export const go = (...parts) => {
  location.hash = "#/" + parts.map(encodeURIComponent).join("/");
};
