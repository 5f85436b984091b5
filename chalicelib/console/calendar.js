// A month calendar (UTC days, as the console shows every time) marking the days on which a
// grid's maintenance windows are on. The server expands recurring rules in their own time
// zone (/maddash/events/{id}/occurrences), so daylight-saving changes are its business.
// The text alternative: each day names its windows, and a list under the table says when.
import { api, query } from "./api.js";
import { h } from "./dom.js";

const DAY = 86400;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

const isoDay = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);
const clock = (seconds) => new Date(seconds * 1000).toISOString().slice(11, 16);

function monthSpan(year, month) {
  const from = Date.UTC(year, month, 1) / 1000;
  return [from, Date.UTC(year, month + 1, 1) / 1000];
}

// day (YYYY-MM-DD) → [{name, from, to}] for every UTC day an occurrence overlaps.
async function occupiedDays(windows, from, to) {
  const days = new Map();
  const spans = await Promise.all(windows.map((w) =>
    api(`${w.uri}/occurrences${query({ from, to })}`).then((answer) => [w, answer.occurrences])));
  for (const [w, occurrences] of spans) {
    for (const { startTime, endTime } of occurrences) {
      const last = endTime === -1 ? to - 1 : Math.min(endTime, to) - 1;
      for (let day = Math.max(startTime, from) - (Math.max(startTime, from) % DAY); day <= last; day += DAY) {
        const key = isoDay(day);
        if (!days.has(key)) days.set(key, []);
        days.get(key).push({ name: w.name, from: startTime, to: endTime });
      }
    }
  }
  return days;
}

function describe(entry) {
  const end = entry.to === -1 ? "open-ended" : `${isoDay(entry.to)} ${clock(entry.to)}`;
  return `${entry.name} ${isoDay(entry.from)} ${clock(entry.from)} to ${end} UTC`;
}

function monthTable(year, month, days) {
  const [from, to] = monthSpan(year, month);
  const today = new Date().toISOString().slice(0, 10);
  const lead = (new Date(from * 1000).getUTCDay() + 6) % 7; // Monday first
  const cells = Array.from({ length: lead }, () => h("td", { class: "day empty" }));
  for (let day = from; day < to; day += DAY) {
    const key = isoDay(day);
    const names = [...new Set((days.get(key) || []).map((e) => e.name))];
    cells.push(h("td", { class: names.length ? "day busy" : "day", dataset: { date: key },
      "aria-current": key === today ? "date" : null },
      h("span", { class: "num" }, new Date(day * 1000).getUTCDate()),
      names.length ? h("span", { class: "visually-hidden" }, `: ${names.join(", ")}`) : null,
      names.length ? h("span", { class: "marks", "aria-hidden": "true" },
        names.slice(0, 3).map(() => h("span", { class: "mark" }))) : null));
  }
  while (cells.length % 7) cells.push(h("td", { class: "day empty" }));
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(h("tr", {}, cells.slice(i, i + 7)));
  return h("table", { class: "calendar" },
    h("caption", { class: "visually-hidden" }, `Maintenance calendar, ${MONTHS[month]} ${year} (UTC)`),
    h("thead", {}, h("tr", {}, WEEKDAYS.map((d) => h("th", { scope: "col" }, d)))),
    h("tbody", {}, weeks));
}

// A calendar section; update(windows) redraws it when the windows or the month changed.
export function calendar() {
  const now = new Date();
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth();
  let windows = [];
  let shown = "";
  const title = h("h3", { id: "calendar-title" });
  const body = h("div", { "aria-live": "polite" });
  const draw = async (force) => {
    const key = JSON.stringify([year, month, windows]);
    if (key === shown && !force) return;
    shown = key;
    title.textContent = `Calendar: ${MONTHS[month]} ${year} (UTC)`;
    const [from, to] = monthSpan(year, month);
    try {
      const days = await occupiedDays(windows, from, to);
      if (shown !== key) return; // a newer draw started meanwhile
      const listed = [...days.keys()].sort().map((day) => h("li", { dataset: { date: day } },
        `${day}: ${days.get(day).map(describe).join("; ")}`));
      body.replaceChildren(monthTable(year, month, days), listed.length
        ? h("ul", { class: "calendar-list", "aria-label": "Days with a window" }, listed)
        : h("p", {}, "No window on any day of this month."));
    } catch (error) {
      shown = "";
      body.replaceChildren(h("p", { class: "error", role: "alert" }, error.message));
    }
  };
  const step = (by) => {
    month += by;
    year += Math.floor(month / 12);
    month = ((month % 12) + 12) % 12;
    draw();
  };
  const section = h("section", { "aria-labelledby": "calendar-title", class: "calendar-box" }, title,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => step(-1) }, "Previous month"),
      h("button", { type: "button", class: "secondary", onclick: () => step(1) }, "Next month")),
    body);
  return {
    section,
    update(list) {
      windows = list.map((w) => ({ uri: w.uri, name: w.name, startTime: w.startTime, endTime: w.endTime,
        recurrence: w.recurrence || null }));
      return draw();
    },
  };
}
