import { createApp } from "vue";
import "../shared/style.css";
import "./app.css";
import App from "./App.vue";
import { loadTexts } from "./i18n.js";
import { start } from "./session.js";

// texts first: the launch data (and with it the language) is read before
// start() drops it from the address
loadTexts().then(() => {
  start();
  createApp(App).mount("#app");
});
