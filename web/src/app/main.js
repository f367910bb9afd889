import { createApp } from "vue";
import "../shared/style.css";
import "./app.css";
import App from "./App.vue";
import { start } from "./session.js";

start();
createApp(App).mount("#app");
