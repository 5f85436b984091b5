// The console's shell: login through opEvents' login (the session cookie), then one page at a
// time by the URL's hash. Pages load as ES modules only when first shown.
import { api, whenUnauthenticated } from "./api.js";

const PAGES = {
  events: () => import("./events.js"),
  handlers: () => import("./handlers.js"),
  grids: () => import("./grids.js"),
  timers: () => import("./timers.js"),
};
const USER_KEY = "event-service-console-user";

const loginSection = document.getElementById("login");
const nav = document.getElementById("nav");
const session = document.getElementById("session");
const pageRoot = document.getElementById("page");
let leavePage = () => {};

function pageName() {
  const name = location.hash.replace(/^#/, "").split("/")[0];
  if (name in PAGES) return name;
  return "events";
}

function showLogin() {
  leavePage();
  leavePage = () => {};
  sessionStorage.removeItem(USER_KEY);
  pageRoot.replaceChildren();
  nav.hidden = true;
  session.hidden = true;
  loginSection.hidden = false;
  document.getElementById("login-username").focus();
}

async function showPage() {
  const user = sessionStorage.getItem(USER_KEY);
  if (!user) return showLogin();
  loginSection.hidden = true;
  nav.hidden = false;
  session.hidden = false;
  document.getElementById("who").textContent = `Signed in as ${user}`;
  const name = pageName();
  for (const link of nav.querySelectorAll("a")) {
    if (link.dataset.page === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  leavePage();
  pageRoot.replaceChildren();
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · event-service console`;
  const module = await PAGES[name]();
  leavePage = module.render(pageRoot) || (() => {});
}

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = document.getElementById("login-error");
  error.textContent = "";
  try {
    const answer = await api("/omk/opEvents/login", {
      method: "POST",
      form: { username: form.get("username"), password: form.get("password") },
      quiet401: true,
    });
    sessionStorage.setItem(USER_KEY, answer.username);
    event.target.reset();
    await showPage();
    document.getElementById("main").focus();
  } catch (failure) {
    error.textContent = failure.status === 401 ? "Wrong username or password." : failure.message;
  }
});

document.getElementById("logout").addEventListener("click", async () => {
  await api("/console/logout", { method: "POST" }).catch(() => {});
  showLogin();
});

whenUnauthenticated(showLogin);
window.addEventListener("hashchange", showPage);
showPage();
