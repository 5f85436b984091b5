// The console's one way to the service: same-origin fetch with the session cookie.
// Every call sends X-Requested-With: the service accepts a cookie-authenticated write only
// with it, and a cross-site form cannot send it (CSRF defence).

export const base = document.documentElement.dataset.base || "";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let onUnauthenticated = () => {};
export function whenUnauthenticated(callback) {
  onUnauthenticated = callback;
}

function messageOf(data, status) {
  if (data && typeof data === "object") {
    const result = data.result;
    if (result && result.error) return result.error.message || JSON.stringify(result.error);
    if (data.error) return typeof data.error === "string" ? data.error : JSON.stringify(data.error);
    if (data.error_message) return JSON.stringify(data.error_message);
    if (data.message) return data.message;
  }
  return typeof data === "string" && data ? data : `HTTP ${status}`;
}

async function sessionAlive() {
  const probe = await fetch(`${base}/omk/opEvents/events.json?limit=1`, {
    headers: { Accept: "application/json" }, credentials: "same-origin" });
  return probe.status !== 401;
}

// `withHeaders`: the answer as { data, headers } (Panko's listing says in a header where the
// next page starts when it ends one early).
export async function api(path, { method = "GET", json, form, quiet401 = false, withHeaders = false } = {}) {
  const headers = { Accept: "application/json", "X-Requested-With": "event-service-console" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(form).toString();
  }
  const response = await fetch(base + path, { method, headers, body, credentials: "same-origin" });
  const text = await response.text();
  let data = text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // a plain-text answer (MaDDash's errors) stays text
  }
  // privacyIDEA answers 401 for "not allowed" too: only a session that no longer reads
  // opEvents' listing (401 there as well) has ended.
  if (response.status === 401 && !quiet401 && !(await sessionAlive())) onUnauthenticated();
  if (!response.ok) throw new ApiError(response.status, messageOf(data, response.status));
  return withHeaders ? { data, headers: response.headers } : data;
}

// privacyIDEA answers inside an envelope: the value, or its error.
export async function pi(path, options) {
  const data = await api(path, options);
  return data.result.value;
}

export function query(params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return pairs.length ? "?" + new URLSearchParams(pairs).toString() : "";
}
