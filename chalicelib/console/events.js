// Events: opEvents' listing, newest first, polled; a trait filter reads Panko's query, which
// spans every dialect. The detail pane joins what no single API shows together: the event's
// traits and raw body, the handler executions it caused, and the maintenance windows that
// cover its node or check.
import { api, pi, query } from "./api.js";
import { errorBox, every, field, h, table, when } from "./dom.js";

const POLL_MS = 5000;
const OPEVENTS_FILTERS = [
  ["o_node_name", "Node"],
  ["ev_event_name", "Event name"],
  ["ev_event_element", "Element"],
  ["ev_event_details", "Details"],
];

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
    node: traitValue(event.traits, "node"),
    name: event.event_type,
    priority: traitValue(event.traits, "priority"),
    details: traitValue(event.traits, "details"),
  };
}

async function listEvents(filters) {
  if (filters.trait_name) {
    const params = new URLSearchParams({ limit: "100" });
    params.append("q.field", filters.trait_name);
    params.append("q.op", "eq");
    params.append("q.value", filters.trait_value || "");
    const events = await api(`/v2/events?${params}`);
    return events.map(fromPanko).sort((a, b) => String(b.time).localeCompare(String(a.time)));
  }
  const params = Object.fromEntries(OPEVENTS_FILTERS.map(([key]) => [key, filters[key]]));
  return (await api(`/omk/opEvents/events.json${query({ ...params, limit: 200 })}`)).map(fromOpEvents);
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
  const inputs = {};
  const controls = OPEVENTS_FILTERS.map(([key, label]) => {
    inputs[key] = h("input", { name: key, placeholder: "text or regex:…" });
    return field(label, inputs[key]);
  });
  inputs.trait_name = h("input", { name: "trait_name", placeholder: "e.g. host" });
  inputs.trait_value = h("input", { name: "trait_value" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Event filters" },
    controls,
    field("Trait name", inputs.trait_name),
    field("Trait value", inputs.trait_value),
    h("button", { type: "submit" }, "Apply filters"));
  const status = h("p", { class: "hint", "aria-live": "polite" }, "Loading…");
  const listBox = h("div", {});
  const pane = h("aside", { class: "pane", "aria-label": "Event detail" },
    h("p", {}, "Choose an event to see its traits, its handler executions and its maintenance windows."));
  root.append(h("h2", {}, "Events"), form,
    h("div", { class: "split" }, h("div", {}, status, listBox), pane));

  let selected = null;
  let filters = {};
  const refresh = async () => {
    try {
      const rows = await listEvents(filters);
      const focused = document.activeElement?.dataset?.eventId;
      listBox.replaceChildren(table("Events, newest first", ["Time", "Node", "Event", "Priority", "Details"],
        rows.map((row) => h("tr", { class: row.id === selected ? "selected" : "", dataset: { id: row.id } },
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
      status.textContent = `${rows.length} events · updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      listBox.replaceChildren(errorBox(error));
      status.textContent = "";
    }
  };
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
