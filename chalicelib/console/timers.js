// Timers: ProcessMaker's timed executions of one workspace (planned and past), newest due
// first as the log lists them, with status, due time, attempts and error.
import { api, query } from "./api.js";
import { errorBox, every, field, h, table } from "./dom.js";

const POLL_MS = 10000;
const STATUSES = ["", "PENDING", "COMPLETED"];
const WORKSPACE_KEY = "event-service-console-workspace";

export function render(root) {
  const workspace = h("input", { name: "workspace", required: true, pattern: "[A-Za-z0-9_-]+",
    value: localStorage.getItem(WORKSPACE_KEY) || "workflow" });
  const status = h("select", { name: "status" }, STATUSES.map((s) => h("option", { value: s }, s || "any")));
  const form = h("form", { class: "filters", "aria-label": "Timer filters" },
    field("Workspace", workspace), field("Status", status), h("button", { type: "submit" }, "Show"));
  const listBox = h("div", {});
  const note = h("p", { class: "hint", "aria-live": "polite" });
  root.append(h("h2", {}, "Timers"), form, note, listBox);

  const refresh = async () => {
    try {
      const answer = await api(`/api/1.0/${encodeURIComponent(workspace.value)}/executions${query({ status: status.value, limit: 100 })}`);
      const rows = answer.data.map((run) => h("tr", { class: "timer" },
        h("td", {}, run.app_number ?? run.app_uid),
        h("td", {}, run.evn_description || run.evn_uid),
        h("td", { class: "status" }, run.app_evn_status),
        h("td", {}, run.app_evn_action_date),
        h("td", {}, run.app_evn_attempts),
        h("td", {}, run.app_evn_last_execution_date || ""),
        h("td", {}, run.app_evn_error || "")));
      listBox.replaceChildren(rows.length
        ? table("Timed executions", ["Case", "Event", "Status", "Due", "Attempts", "Last run", "Error"], rows)
        : h("p", {}, "No timed execution in this workspace."));
      note.textContent = `${rows.length} executions · updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      listBox.replaceChildren(errorBox(error));
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(WORKSPACE_KEY, workspace.value);
    refresh();
  });
  refresh();
  return every(POLL_MS, refresh);
}
