// Handlers: privacyIDEA's event handler bindings. The form is generated from what each module
// declares (/event/actions, /event/conditions, /event/positions), so a new module needs no
// console change. Secret options are write-only: never shown, kept when left blank.
import { pi } from "./api.js";
import { errorBox, field, h, table } from "./dom.js";

const MASK = "__CENSORED__";

function control(name, spec, current, editing) {
  const described = spec.description || spec.desc || "";
  if (spec.type === "bool") {
    const box = h("input", { type: "checkbox", name, checked: ["true", "True", "1", true].includes(current) });
    return field(name, box, described);
  }
  if (Array.isArray(spec.value)) {
    const select = h("select", { name },
      h("option", { value: "" }, "—"),
      spec.value.map((choice) => h("option", { value: choice, selected: String(current) === String(choice) }, choice)));
    return field(name, select, described);
  }
  if (spec.secret) {
    const input = h("input", { type: "password", name, autocomplete: "new-password",
      placeholder: editing ? "unchanged (write-only)" : "" });
    return field(`${name} (secret)`, input, described);
  }
  const input = h("input", { name, value: current ?? "", placeholder: spec.default ?? "",
    required: spec.required && spec.default === undefined });
  return field(name, input, described);
}

function valuesOf(fieldset) {
  const values = {};
  for (const el of fieldset.querySelectorAll("input, select")) {
    if (el.type === "checkbox") values[el.name] = el.checked ? "True" : "False";
    else if (el.value !== "") values[el.name] = el.value;
  }
  return values;
}

async function openForm(root, existing, done) {
  const modules = await pi("/event/handlermodules");
  const available = await pi("/event/available");
  const editing = Boolean(existing);
  const listId = "available-events";
  const name = h("input", { name: "name", required: true, value: existing?.name ?? "" });
  const events = h("input", { name: "event", required: true, list: listId, value: (existing?.event || []).join(", ") });
  const module = h("select", { name: "handlermodule" },
    modules.map((m) => h("option", { value: m, selected: existing?.handlermodule === m }, m)));
  const action = h("select", { name: "action" });
  const position = h("select", { name: "position" });
  const ordering = h("input", { name: "ordering", type: "number", min: "0", value: existing?.ordering ?? 0 });
  const active = h("input", { name: "active", type: "checkbox", checked: existing ? existing.active : true });
  const options = h("fieldset", {}, h("legend", {}, "Options"));
  const conditions = h("fieldset", {}, h("legend", {}, "Conditions"));
  const error = h("p", { class: "error", role: "alert" });
  let actions = {};

  const fillOptions = () => {
    const specs = actions[action.value] || {};
    const current = existing && existing.action === action.value ? existing.options || {} : {};
    options.replaceChildren(h("legend", {}, `Options of ${action.value || "the action"}`),
      h("div", { class: "form-grid" }, Object.entries(specs).map(([key, spec]) =>
        control(key, spec, current[key] === MASK ? "" : current[key], editing))));
  };
  const fillModule = async () => {
    const chosen = encodeURIComponent(module.value);
    const [declared, positions, conditionSpecs] = await Promise.all([
      pi(`/event/actions/${chosen}`), pi(`/event/positions/${chosen}`), pi(`/event/conditions/${chosen}`)]);
    if (encodeURIComponent(module.value) !== chosen) return; // another module was chosen meanwhile
    actions = declared;
    action.replaceChildren(...Object.keys(actions).map((a) =>
      h("option", { value: a, selected: existing?.action === a }, a)));
    position.replaceChildren(...positions.map((p) =>
      h("option", { value: p, selected: (existing?.position || "post") === p }, p)));
    const currentConditions = existing?.conditions || {};
    conditions.replaceChildren(h("legend", {}, "Conditions (empty: not checked)"),
      h("div", { class: "form-grid" }, Object.entries(conditionSpecs).map(([key, spec]) =>
        control(key, { ...spec, type: spec.type === "bool" ? "str" : spec.type }, currentConditions[key], editing))));
    fillOptions();
  };
  module.addEventListener("change", fillModule);
  action.addEventListener("change", fillOptions);

  const form = h("form", { "aria-labelledby": "handler-form-title" },
    h("h3", { id: "handler-form-title", tabindex: "-1" }, editing ? `Edit handler #${existing.id}` : "New handler"),
    h("datalist", { id: listId }, available.map((e) => h("option", { value: e }))),
    h("div", { class: "form-grid" },
      field("Name", name),
      field("Events", events, "Event types, separated by commas"),
      field("Module", module),
      field("Action", action),
      field("Position", position),
      field("Ordering", ordering, "Lower runs first"),
      field("Active", active)),
    options, conditions, error,
    h("div", { class: "actions" },
      h("button", { type: "submit" }, editing ? "Save handler" : "Create handler"),
      h("button", { type: "button", class: "secondary", onclick: () => done(false) }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: name.value.trim(),
      event: events.value.split(",").map((e) => e.trim()).filter(Boolean),
      handlermodule: module.value,
      action: action.value,
      position: position.value,
      ordering: Number(ordering.value || 0),
      active: active.checked,
      options: valuesOf(options),
      conditions: valuesOf(conditions),
    };
    if (editing) body.id = existing.id;
    try {
      await pi("/event", { method: "POST", json: body });
      done(true);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  root.replaceChildren(form);
  await fillModule();
  form.querySelector("h3").focus();
}

export function render(root) {
  const formBox = h("div", {});
  const listBox = h("div", {});
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const closeForm = (saved) => {
    formBox.replaceChildren();
    if (saved) status.textContent = "Handler saved.";
    refresh();
  };
  const refresh = async () => {
    try {
      const bindings = await pi("/event/");
      listBox.replaceChildren(table("Event handlers", ["#", "Name", "Events", "Module: action", "Position", "Order", "Active", ""],
        bindings.map((b) => h("tr", { dataset: { handler: b.name } },
          h("td", {}, b.id), h("td", {}, b.name), h("td", {}, b.event.join(", ")),
          h("td", {}, `${b.handlermodule}: ${b.action}`), h("td", {}, b.position), h("td", {}, b.ordering),
          h("td", {}, b.active ? "yes" : "no",
            // privacyIDEA saves a handler without its required options; it does not run
            b.incomplete && h("span", { class: "hint" }, ` (incomplete: missing ${b.missing_options.join(", ")})`)),
          h("td", {}, h("div", { class: "actions" },
            h("button", { type: "button", class: "secondary", "aria-label": `Edit ${b.name}`,
              onclick: () => openForm(formBox, b, closeForm).catch((e) => formBox.replaceChildren(errorBox(e))) }, "Edit"),
            h("button", { type: "button", class: "secondary", "aria-label": `${b.active ? "Disable" : "Enable"} ${b.name}`,
              onclick: async () => {
                try {
                  await pi(`/event/${b.active ? "disable" : "enable"}/${b.id}`, { method: "POST" });
                  status.textContent = `${b.name} ${b.active ? "disabled" : "enabled"}.`;
                } catch (e) { status.textContent = e.message; }
                refresh();
              } }, b.active ? "Disable" : "Enable")))))));
    } catch (error) {
      listBox.replaceChildren(errorBox(error));
    }
  };
  root.append(h("h2", {}, "Handlers"),
    h("button", { type: "button", onclick: () => openForm(formBox, null, closeForm).catch((e) => formBox.replaceChildren(errorBox(e))) }, "New handler"),
    status, formBox, listBox);
  refresh();
}
