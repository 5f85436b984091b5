// Grids: MaDDash grids coloured by status (MaDDash's colours; MAINTENANCE black), and the
// maintenance windows over them: create or edit one in a form, end one now, see them on a
// month calendar; a check's history.
import { api, query } from "./api.js";
import { calendar } from "./calendar.js";
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
  // MaDDash names rows and columns by their labels; the console names hosts by their ids.
  const rowIds = grid.rows.map((row) => row.id ?? row.name);
  const colIds = grid.columnIds ?? grid.columnNames;
  const head = h("tr", {}, h("td", {}), colIds.map((col) => h("th", { scope: "col", class: "col" }, col)));
  const rows = grid.rows.map((row, r) => h("tr", {},
    h("th", { scope: "row" }, rowIds[r]),
    grid.grid[r].map((checks, c) => h("td", { class: "cell" }, checks === null ? "" :
      h("div", { class: "checks" }, checks.map((check, k) => {
        if (!check) return h("span", { class: "check", "aria-hidden": "true" });
        const label = `${rowIds[r]} to ${colIds[c]}, ${grid.checkNames[k]}: ${statusName(check.status)}`;
        return h("button", { type: "button", class: `check s${check.status}`, "aria-label": `${label}; show its history`,
          title: `${label}${check.message ? ` — ${check.message}` : ""}`, onclick: () => onCheck(check.uri),
          dataset: { row: rowIds[r], col: colIds[c], check: grid.checkNames[k], status: statusName(check.status) } });
      }))))));
  return h("table", { class: "grid-table" }, h("caption", { class: "visually-hidden" }, `Grid ${grid.name}`),
    h("thead", {}, head), h("tbody", {}, rows));
}

// datetime-local values are read and written as UTC, as the console shows every time.
const toInput = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 16);
const fromInput = (value) => Math.floor(Date.parse(`${value}:00Z`) / 1000);
const KEPT = "\u0000kept"; // a filter the form cannot show (several values): kept as saved

// The window form: a new window over this grid, or (with `saved`, the window's detail from
// GET /maddash/events/{id}) the same form filled with its values, saved with PUT.
function windowForm(grid, saved, onSaved, onCancel) {
  const filters = saved ? { ...saved.checkFilters } : { gridName: [grid.name] };
  const choose = (name, values) => {
    const current = filters[name] || [];
    const select = h("select", { name }, h("option", { value: "" }, "any"),
      current.length > 1 ? h("option", { value: KEPT }, current.join(" or ")) : null,
      values.map((v) => h("option", { value: v }, v)));
    select.value = current.length > 1 ? KEPT : current[0] || "";
    return select;
  };
  const now = Math.floor(Date.now() / 60000) * 60;
  const title = h("input", { name: "name", required: true, value: saved?.name });
  const description = h("input", { name: "description", value: saved?.description });
  const row = choose("rowName", grid.rows.map((r) => r.id ?? r.name));
  const col = choose("columnName", grid.columnIds ?? grid.columnNames);
  const check = choose("checkName", grid.checkNames);
  const start = h("input", { name: "startTime", type: "datetime-local", required: true,
    value: toInput(saved ? saved.startTime : now) });
  const endTime = saved ? saved.endTime : now + 3600;
  const end = h("input", { name: "endTime", type: "datetime-local", value: endTime === -1 ? "" : toInput(endTime) });
  const change = h("input", { name: "changeStatus", type: "checkbox", checked: saved ? saved.changeStatus : true });
  const rule = saved?.recurrence;
  const cron = h("input", { name: "cron", value: rule?.cron, placeholder: "0 2 * * 0" });
  const zone = h("input", { name: "timeZone", value: rule?.timeZone || "UTC" });
  const lasts = h("input", { name: "duration", type: "number", min: "1", value: rule ? rule.duration / 60 : 60 });
  const error = h("p", { class: "error", role: "alert" });
  const heading = saved ? `Edit maintenance window ${saved.name}` : "New maintenance window";
  const form = h("form", { "aria-labelledby": "window-form-title" },
    h("h3", { id: "window-form-title", tabindex: "-1" }, heading),
    h("div", { class: "form-grid" },
      field("Window name", title), field("Description", description),
      field("Row", row), field("Column", col), field("Check", check),
      field("Start (UTC)", start), field("End (UTC)", end, "empty: never ends"),
      field("Show cells as MAINTENANCE", change)),
    h("fieldset", {}, h("legend", {}, "Repeat (optional)"),
      h("div", { class: "form-grid" },
        field("Cron rule", cron, "5 fields, e.g. 0 2 * * 0: Sundays 02:00; empty: once"),
        field("Time zone", zone, "IANA, e.g. Europe/Berlin"),
        field("Each lasts (minutes)", lasts))),
    error, h("div", { class: "actions" },
      h("button", { type: "submit" }, saved ? "Save window" : "Create window"),
      saved ? h("button", { type: "button", class: "secondary", onclick: onCancel }, "Cancel edit") : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const checkFilters = { ...filters };
    for (const [key, select] of [["rowName", row], ["columnName", col], ["checkName", check]]) {
      if (select.value === KEPT) continue;
      if (select.value) checkFilters[key] = [select.value];
      else delete checkFilters[key];
    }
    const body = { checkFilters, name: title.value.trim(), description: description.value.trim(),
      startTime: fromInput(start.value), changeStatus: change.checked };
    if (end.value) body.endTime = fromInput(end.value);
    if (saved?.coverNewChecks) body.coverNewChecks = true;
    if (cron.value.trim()) {
      body.recurrence = { cron: cron.value.trim(), timeZone: zone.value.trim() || "UTC",
        duration: Math.round(Number(lasts.value) * 60) };
    }
    try {
      if (saved) {
        await api(`/maddash/admin/events/${saved.uri.split("/").pop()}`, { method: "PUT", json: body });
      } else {
        await api("/maddash/admin/events", { method: "POST", json: body });
      }
      error.textContent = "";
      onSaved(body.name);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  return form;
}

export function render(root) {
  const picker = h("select", { name: "grid" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const notice = h("p", { class: "notice", role: "status" }); // what the last action did
  const gridBox = h("div", {});
  const windowsBox = h("div", {});
  const formBox = h("div", {});
  const historyBox = h("section", { "aria-label": "Check history" });
  const cal = calendar();
  root.append(h("h2", {}, "Grids"),
    h("div", { class: "filters" }, field("Grid", picker),
      h("button", { type: "button", class: "secondary", onclick: () => refresh() }, "Refresh")),
    legend(), status, gridBox, historyBox,
    h("div", { class: "split" },
      h("div", {}, h("h3", {}, "Maintenance windows"), notice, windowsBox, formBox), cal.section));

  let shownForm = null;
  let grid = null;
  const uris = new Map();
  const showForm = (saved) => {
    shownForm = grid.name;
    const form = windowForm(grid, saved, (name) => {
      notice.textContent = saved
        ? `${name} saved; its cells follow at the next scheduler tick.`
        : "Window created; its cells turn at the next scheduler tick.";
      showForm(null);
      refresh();
    }, () => showForm(null));
    formBox.replaceChildren(form);
    return form;
  };
  const edit = async (w) => {
    try {
      const form = showForm(await api(w.uri));
      form.querySelector("h3").focus();
    } catch (e) { notice.textContent = e.message; }
  };
  const refresh = async () => {
    if (!picker.value) return;
    try {
      grid = await api(uris.get(picker.value));
      const focused = document.activeElement?.classList.contains("check") ? document.activeElement.dataset : null;
      gridBox.replaceChildren(gridTable(grid, (uri) => showHistory(historyBox, uri)));
      if (focused) {
        gridBox.querySelector(`.check[data-row="${CSS.escape(focused.row)}"][data-col="${CSS.escape(focused.col)}"][data-check="${CSS.escape(focused.check)}"]`)?.focus();
      }
      status.textContent = `Last result ${when(grid.lastUpdateTime) || "never"} · shown ${new Date().toLocaleTimeString()}`;
      const windows = (await api(`/maddash/events${query({ gridName: grid.name })}`)).events;
      const focusedAction = document.activeElement?.closest("#windows-table") ? document.activeElement.getAttribute("aria-label") : null;
      windowsBox.replaceChildren(windows.length
        ? h("div", { id: "windows-table" }, table("Maintenance windows", ["Name", "Start", "End", "Recurrence", ""], windows.map((w) => h("tr", {},
          h("td", {}, w.name), h("td", {}, when(w.startTime)), h("td", {}, w.endTime === -1 ? "never" : when(w.endTime)),
          h("td", {}, w.recurrence ? `${w.recurrence.cron} (${w.recurrence.timeZone}, ${w.recurrence.duration / 60} min)` : "—"),
          h("td", { class: "actions" },
            h("button", { type: "button", class: "secondary", "aria-label": `Edit ${w.name}`, onclick: () => edit(w) }, "Edit"),
            h("button", { type: "button", class: "danger", "aria-label": `End ${w.name} now`, onclick: async () => {
              try {
                await api(`/maddash/admin/events/${w.uri.split("/").pop()}`, { method: "DELETE" });
                notice.textContent = `${w.name} ended; cells return to their last results at the next tick.`;
              } catch (e) { notice.textContent = e.message; }
              refresh();
            } }, "End now"))))))
        : h("p", {}, "No current or planned window on this grid."));
      if (focusedAction) windowsBox.querySelector(`[aria-label="${CSS.escape(focusedAction)}"]`)?.focus();
      if (shownForm !== grid.name) showForm(null);
      cal.update(windows);
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
