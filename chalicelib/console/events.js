// Events: the one store through Panko's listing, so every dialect's events are here (opEvents',
// Panko's, ProcessMaker's and MaDDash's operation events, privacyIDEA's): those the signed-in
// user may see (an admin sees every project's, with Panko's all_tenants), newest first, in a
// time range (a preset, or from/to), by event type and by one trait; "Load more" follows
// Panko's marker. opEvents' columns (node, priority, details) show where an event has them.
// The detail pane joins what no single API shows together: the event's traits and raw body,
// the handler executions it caused, and the maintenance windows that cover its node or check.
import { api, pi, query } from "./api.js";
import { errorBox, every, field, h, table, when } from "./dom.js";

const POLL_MS = 5000;
const PAGE_SIZE = 50;
const HOUR = 3600;
const RANGES = [
  ["1h", "Last hour", HOUR],
  ["24h", "Last 24 hours", 24 * HOUR],
  ["7d", "Last 7 days", 7 * 24 * HOUR],
  ["30d", "Last 30 days", 30 * 24 * HOUR],
  ["365d", "Last year", 366 * 24 * HOUR],
  ["all", "Any time", null],
  ["custom", "From / to", null],
];
const DEFAULT_RANGE = "24h";

function traitValue(traits, name) {
  const found = (traits || []).find((trait) => trait.name === name);
  return found ? found.value : "";
}

// One row per event, whichever API it came from.
function fromOpEvents(event) {
  return {
    id: event.id,
    time: event.time,
    node: event.node || event.host || "",
    name: event.event || "",
    priority: event.priority ?? "",
    details: event.details || "",
  };
}

function fromPanko(event) {
  return {
    id: event.message_id,
    time: event.generated,
    node: traitValue(event.traits, "node") || traitValue(event.traits, "host"),
    name: event.event_type,
    priority: traitValue(event.traits, "priority"),
    details: traitValue(event.traits, "details"),
  };
}

// Panko reads times as UTC; a datetime-local control gives the browser's local time.
function isoSeconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function timeBounds(filters, now = new Date()) {
  if (filters.range === "custom") {
    const from = filters.from ? new Date(filters.from) : null;
    const to = filters.to ? new Date(filters.to) : null;
    return [from && !Number.isNaN(from.getTime()) ? isoSeconds(from) : null,
      to && !Number.isNaN(to.getTime()) ? isoSeconds(to) : null];
  }
  const seconds = (RANGES.find(([key]) => key === filters.range) || [])[2];
  return [seconds ? isoSeconds(new Date(now.getTime() - seconds * 1000)) : null, null];
}

// Whether the signed-in user is an admin: Panko shows an admin only its own project's events
// unless it asks for all_tenants, and takes all_tenants from anyone else as a trait filter.
let adminAnswer = null;
function isAdmin() {
  if (!adminAnswer) {
    adminAnswer = api("/auth/token", { method: "POST" })
      .then((answer) => (answer.roles || []).some((role) => role.toLowerCase() === "admin"))
      .catch(() => false);
  }
  return adminAnswer;
}

async function listEvents(filters, marker) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  params.append("sort", "generated:desc");
  params.append("sort", "message_id:desc");
  const ask = (field, op, value, type) => {
    params.append("q.field", field);
    params.append("q.op", op);
    params.append("q.value", value);
    if (type) params.append("q.type", type);
  };
  const [start, end] = timeBounds(filters);
  if (start) ask("start_timestamp", "ge", start);
  if (end) ask("end_timestamp", "le", end);
  if (filters.event_type) ask("event_type", "eq", filters.event_type);
  if (filters.trait_name) ask(filters.trait_name, "eq", filters.trait_value || "", "string");
  if (await isAdmin()) ask("all_tenants", "eq", "True");
  if (marker) params.append("marker", marker);
  const { data, headers } = await api(`/v2/events?${params}`, { withHeaders: true });
  const rows = data.map(fromPanko);
  // A full page, or one the read budget ended early, may have more behind it.
  const next = headers.get("X-Event-Service-Next-Marker")
    || (rows.length === PAGE_SIZE ? rows[rows.length - 1].id : null);
  return { rows, next };
}

async function windowsCovering(node, check) {
  const asks = [];
  if (node) asks.push(api(`/maddash/events${query({ dimensionName: node })}`));
  if (check) asks.push(api(`/maddash/events${query({ checkName: check })}`));
  const found = new Map();
  for (const answer of await Promise.all(asks)) {
    for (const window of answer.events) found.set(window.uri, window);
  }
  return [...found.values()];
}

async function section(title, load) {
  const body = h("div", {});
  try {
    body.append(await load());
  } catch (error) {
    body.append(errorBox(error));
  }
  return h("section", { "aria-label": title }, h("h3", {}, title), body);
}

async function renderDetail(pane, row) {
  pane.replaceChildren(h("h2", { id: "detail-title", tabindex: "-1" }, `${row.name} on ${row.node || "?"}`),
    h("p", { class: "hint" }, `Event ${row.id} · ${when(row.time)}`));
  let traits = [];
  const parts = await Promise.all([
    section("Traits", async () => {
      const event = await api(`/v2/events/${encodeURIComponent(row.id)}`);
      traits = event.traits || [];
      const rows = traits.map((t) => h("tr", {}, h("th", { scope: "row" }, t.name), h("td", {}, t.value)));
      const raw = h("pre", { tabindex: "0", "aria-label": "Raw event" },
        typeof event.raw === "string" ? event.raw : JSON.stringify(event.raw, null, 2));
      return h("div", {}, table("Traits", ["Name", "Value"], rows), h("h3", {}, "Raw"), raw);
    }),
    section("Handler executions", async () => {
      const runs = await pi(`/event/executions${query({ message_id: row.id })}`);
      if (!runs.length) return h("p", {}, "No handler ran for this event.");
      return table("Handler executions", ["Handler", "Action", "Status", "Attempts", "Error"],
        runs.map((run) => h("tr", { class: "execution" },
          h("td", {}, `${run.handler_name} (#${run.handler_id})`),
          h("td", {}, `${run.handlermodule}: ${run.action}`),
          h("td", { class: "status" }, run.status),
          h("td", {}, run.attempts),
          h("td", {}, run.error || run.detail || ""))));
    }),
  ]);
  const check = traitValue(traits, "check");
  const windows = await section("Maintenance windows", async () => {
    const found = await windowsCovering(row.node, check);
    if (!found.length) return h("p", {}, "No maintenance window covers its node or check.");
    return h("ul", {}, found.map((w) => h("li", {},
      `${w.name || w.uri}: ${when(w.startTime)} – ${when(w.endTime)}${w.description ? ` (${w.description})` : ""}`)));
  });
  pane.append(...parts, windows);
}

export function render(root) {
  adminAnswer = null; // asked again for whoever is signed in now
  const inputs = {};
  inputs.range = h("select", { name: "range" },
    RANGES.map(([key, label]) => h("option", { value: key, selected: key === DEFAULT_RANGE }, label)));
  inputs.from = h("input", { name: "from", type: "datetime-local", step: "1" });
  inputs.to = h("input", { name: "to", type: "datetime-local", step: "1" });
  inputs.event_type = h("input", { name: "event_type", placeholder: "e.g. Node Down" });
  inputs.trait_name = h("input", { name: "trait_name", placeholder: "e.g. host" });
  inputs.trait_value = h("input", { name: "trait_value" });
  const custom = h("div", { class: "custom-range" },
    field("From", inputs.from, "Your local time"), field("To", inputs.to));
  const showCustom = () => { custom.hidden = inputs.range.value !== "custom"; };
  inputs.range.addEventListener("change", showCustom);
  showCustom();
  const form = h("form", { class: "filters", role: "search", "aria-label": "Event filters" },
    field("Time range", inputs.range),
    custom,
    field("Event type", inputs.event_type),
    field("Trait name", inputs.trait_name),
    field("Trait value", inputs.trait_value),
    h("button", { type: "submit" }, "Apply filters"));
  const status = h("p", { class: "hint", "aria-live": "polite" }, "Loading…");
  const listBox = h("div", {});
  const more = h("button", { type: "button", hidden: true }, "Load more");
  const pane = h("aside", { class: "pane", "aria-label": "Event detail" },
    h("p", {}, "Choose an event to see its traits, its handler executions and its maintenance windows."));
  root.append(h("h2", {}, "Events"), form,
    h("div", { class: "split" }, h("div", {}, status, listBox, more), pane));

  let selected = null;
  let filters = { range: DEFAULT_RANGE };
  let shown = [];
  let next = null;
  let extended = false; // pages loaded with "Load more": polling would drop them, so it waits
  const draw = () => {
    const focused = document.activeElement?.dataset?.eventId;
    listBox.replaceChildren(table("Events, newest first", ["Time", "Node", "Event", "Priority", "Details"],
      shown.map((row) => h("tr", { class: row.id === selected ? "selected" : "", dataset: { id: row.id } },
        h("td", {}, when(row.time)),
        h("td", {}, row.node),
        h("td", {}, h("button", {
          type: "button", class: "link", dataset: { eventId: row.id },
          "aria-pressed": row.id === selected ? "true" : "false",
          onclick: () => { selected = row.id; markSelected(); renderDetail(pane, row); },
        }, row.name || "(no name)")),
        h("td", {}, row.priority),
        h("td", {}, row.details)))));
    if (focused) listBox.querySelector(`[data-event-id="${CSS.escape(focused)}"]`)?.focus();
    more.hidden = !next;
    status.textContent = `${shown.length} events${next ? " (more to load)" : ""} · updated ${new Date().toLocaleTimeString()}`;
  };
  const refresh = async () => {
    if (extended) return;
    try {
      ({ rows: shown, next } = await listEvents(filters));
      draw();
    } catch (error) {
      listBox.replaceChildren(errorBox(error));
      more.hidden = true;
      status.textContent = "";
    }
  };
  more.addEventListener("click", async () => {
    try {
      const page = await listEvents(filters, next);
      extended = true;
      const known = new Set(shown.map((row) => row.id));
      shown = shown.concat(page.rows.filter((row) => !known.has(row.id)));
      next = page.next;
      draw();
    } catch (error) {
      listBox.append(errorBox(error));
    }
  });
  const markSelected = () => {
    for (const tr of listBox.querySelectorAll("tbody tr")) {
      const on = tr.dataset.id === selected;
      tr.classList.toggle("selected", on);
      tr.querySelector("button")?.setAttribute("aria-pressed", on ? "true" : "false");
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
    extended = false;
    refresh();
  });
  refresh();
  // opEvents' GUI address of one event (/omk/opEvents/events/<id>) opens its detail.
  const linked = location.pathname.match(/\/omk\/opEvents\/events\/([0-9a-f]{24})$/);
  if (linked) {
    api(`/omk/opEvents/events/${linked[1]}.json`).then((event) => {
      selected = event.id;
      renderDetail(pane, fromOpEvents(event));
    }).catch((error) => pane.replaceChildren(errorBox(error)));
  }
  return every(POLL_MS, refresh);
}
