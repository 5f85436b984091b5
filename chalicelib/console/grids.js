// Grids: MaDDash grids coloured by status (MaDDash's colours; MAINTENANCE black), and the
// maintenance windows over them: create one from a form, end one now; a check's history.
import { api, query } from "./api.js";
import { errorBox, every, field, h, table, when } from "./dom.js";

const POLL_MS = 10000;
const STATUS_NAMES = ["OK", "WARNING", "CRITICAL", "UNKNOWN", "NOT RUN", "MAINTENANCE"];

function statusName(status, labels) {
  return STATUS_NAMES[status] ?? (labels && labels[status]) ?? `CUSTOM ${status}`;
}

function legend() {
  return h("ul", { class: "legend", "aria-label": "Legend" },
    STATUS_NAMES.map((name, status) => h("li", {}, h("span", { class: `check s${status}`, "aria-hidden": "true" }), name)));
}

async function showHistory(box, uri) {
  try {
    const check = await api(uri);
    box.replaceChildren(
      h("h3", { id: "history-title", tabindex: "-1" },
        `${check.rowName} to ${check.colName}, ${check.checkName}: ${check.statusShortName}`),
      check.history.length
        ? table("Check history, newest first", ["Time", "Status", "Message"], check.history.map((entry) => h("tr", { class: "history" },
          h("td", {}, when(entry.time)),
          h("td", {}, h("span", { class: `badge s${entry.status}` }, statusName(entry.status))),
          h("td", {}, entry.message))))
        : h("p", {}, "No result yet."));
    box.querySelector("h3").focus();
  } catch (error) {
    box.replaceChildren(errorBox(error));
  }
}

function gridTable(grid, onCheck) {
  const head = h("tr", {}, h("td", {}), grid.columnNames.map((col) => h("th", { scope: "col", class: "col" }, col)));
  const rows = grid.rows.map((row, r) => h("tr", {},
    h("th", { scope: "row" }, row.name),
    grid.grid[r].map((checks, c) => h("td", { class: "cell" }, checks === null ? "" :
      h("div", { class: "checks" }, checks.map((check, k) => {
        if (!check) return h("span", { class: "check", "aria-hidden": "true" });
        const label = `${row.name} to ${grid.columnNames[c]}, ${grid.checkNames[k]}: ${statusName(check.status)}`;
        return h("button", { type: "button", class: `check s${check.status}`, "aria-label": `${label}; show its history`,
          title: `${label}${check.message ? ` — ${check.message}` : ""}`, onclick: () => onCheck(check.uri),
          dataset: { row: row.name, col: grid.columnNames[c], check: grid.checkNames[k], status: statusName(check.status) } });
      }))))));
  return h("table", { class: "grid-table" }, h("caption", { class: "visually-hidden" }, `Grid ${grid.name}`),
    h("thead", {}, head), h("tbody", {}, rows));
}

function windowForm(grid, onCreated) {
  const choose = (name, values) => h("select", { name }, h("option", { value: "" }, "any"),
    values.map((v) => h("option", { value: v }, v)));
  const title = h("input", { name: "name", required: true });
  const description = h("input", { name: "description" });
  const row = choose("rowName", grid.rows.map((r) => r.name));
  const col = choose("columnName", grid.columnNames);
  const check = choose("checkName", grid.checkNames);
  const minutes = h("input", { name: "minutes", type: "number", min: "1", value: "60", required: true });
  const change = h("input", { name: "changeStatus", type: "checkbox", checked: true });
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { "aria-labelledby": "window-form-title" },
    h("h3", { id: "window-form-title" }, "New maintenance window"),
    h("div", { class: "form-grid" },
      field("Window name", title), field("Description", description),
      field("Row", row), field("Column", col), field("Check", check),
      field("Minutes from now", minutes),
      field("Show cells as MAINTENANCE", change)),
    error, h("div", { class: "actions" }, h("button", { type: "submit" }, "Create window")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const now = Math.floor(Date.now() / 1000);
    const checkFilters = { gridName: grid.name };
    if (row.value) checkFilters.rowName = row.value;
    if (col.value) checkFilters.columnName = col.value;
    if (check.value) checkFilters.checkName = check.value;
    try {
      await api("/maddash/admin/events", { method: "POST", json: {
        checkFilters, name: title.value.trim(), description: description.value.trim(),
        startTime: now, endTime: now + Number(minutes.value) * 60, changeStatus: change.checked } });
      form.reset();
      error.textContent = "";
      onCreated();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  return form;
}

export function render(root) {
  const picker = h("select", { name: "grid" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const gridBox = h("div", {});
  const windowsBox = h("div", {});
  const formBox = h("div", {});
  const historyBox = h("section", { "aria-label": "Check history" });
  root.append(h("h2", {}, "Grids"),
    h("div", { class: "filters" }, field("Grid", picker),
      h("button", { type: "button", class: "secondary", onclick: () => refresh() }, "Refresh")),
    legend(), status, gridBox, historyBox, h("h3", {}, "Maintenance windows"), windowsBox, formBox);

  let shownForm = null;
  const uris = new Map();
  const refresh = async () => {
    if (!picker.value) return;
    try {
      const grid = await api(uris.get(picker.value));
      const focused = document.activeElement?.classList.contains("check") ? document.activeElement.dataset : null;
      gridBox.replaceChildren(gridTable(grid, (uri) => showHistory(historyBox, uri)));
      if (focused) {
        gridBox.querySelector(`.check[data-row="${CSS.escape(focused.row)}"][data-col="${CSS.escape(focused.col)}"][data-check="${CSS.escape(focused.check)}"]`)?.focus();
      }
      status.textContent = `Last result ${when(grid.lastUpdateTime) || "never"} · shown ${new Date().toLocaleTimeString()}`;
      const windows = (await api(`/maddash/events${query({ gridName: grid.name })}`)).events;
      windowsBox.replaceChildren(windows.length
        ? table("Maintenance windows", ["Name", "Start", "End", "Recurrence", ""], windows.map((w) => h("tr", {},
          h("td", {}, w.name), h("td", {}, when(w.startTime)), h("td", {}, when(w.endTime)),
          h("td", {}, w.recurrence ? `${w.recurrence.cron} (${w.recurrence.timeZone}, ${w.recurrence.duration} s)` : "—"),
          h("td", {}, h("button", { type: "button", class: "danger", "aria-label": `End ${w.name} now`, onclick: async () => {
            try {
              await api(`/maddash/admin/events/${w.uri.split("/").pop()}`, { method: "DELETE" });
              status.textContent = `${w.name} ended; cells return to their last results at the next tick.`;
            } catch (e) { status.textContent = e.message; }
            refresh();
          } }, "End now")))))
        : h("p", {}, "No current or planned window on this grid."));
      if (shownForm !== grid.name) {
        shownForm = grid.name;
        formBox.replaceChildren(windowForm(grid, () => {
          status.textContent = "Window created; its cells turn at the next scheduler tick.";
          refresh();
        }));
      }
    } catch (error) {
      gridBox.replaceChildren(errorBox(error));
    }
  };
  picker.addEventListener("change", () => { shownForm = null; refresh(); });
  api("/maddash/grids").then((answer) => {
    for (const g of answer.grids) uris.set(g.name, g.uri);
    picker.replaceChildren(...answer.grids.map((g) => h("option", { value: g.name }, g.name)));
    if (!answer.grids.length) gridBox.replaceChildren(h("p", {}, "No grid is configured."));
    refresh();
  }).catch((error) => gridBox.replaceChildren(errorBox(error)));
  return every(POLL_MS, refresh);
}
