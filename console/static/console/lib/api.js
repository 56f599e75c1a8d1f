// Calls to the product routes, exactly as a frontend makes them. The access token comes from the
// console's session (POST /console/token) and lives only in this page's memory.

const body = document.body;
const TOKEN_MARGIN_MS = 60_000;
let cached = null; // {token, expiresAt}
let pending = null;

export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

function toLogin() {
  const next = encodeURIComponent(location.pathname);
  location.assign(`${body.dataset.loginUrl}?next=${next}`);
}

async function fetchToken() {
  const response = await fetch(body.dataset.tokenUrl, {
    method: "POST",
    headers: { "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    toLogin();
  }
  if (!response.ok) {
    throw new ApiError(errorMessage(data, response.status), response.status, data);
  }
  cached = { token: data.access_token, expiresAt: Date.now() + data.expires_in * 1000 };
  return cached.token;
}

/** A valid access token, asked for again shortly before the current one expires. */
export async function accessToken({ fresh = false } = {}) {
  if (!fresh && cached && cached.expiresAt - Date.now() > TOKEN_MARGIN_MS) return cached.token;
  if (!pending) pending = fetchToken().finally(() => (pending = null));
  return pending;
}

/**
 * The message of an error body, whichever spec's dialect it is in:
 * {"error": {"code", "message", "details"}} (conversations), the report envelope
 * {"status": "error", "message", "data": {"details"}}, {"detail": "..."} and DRF's field errors.
 */
export function errorMessage(data, status) {
  if (data && typeof data === "object") {
    if (data.error && typeof data.error === "object" && data.error.message) {
      return data.error.message;
    }
    if (data.status === "error" && typeof data.message === "string") {
      const details = data.data?.details;
      if (Array.isArray(details) && details.length) {
        return `${data.message}\n${details.map((d) => d.msg || JSON.stringify(d)).join("\n")}`;
      }
      return data.message;
    }
    if (typeof data.detail === "string") return data.detail;
    if (Array.isArray(data.detail)) return data.detail.map((d) => d.msg || JSON.stringify(d)).join("\n");
    const lines = flatten(data);
    if (lines.length) return lines.join("\n");
  }
  if (typeof data === "string" && data.trim()) return data.trim().slice(0, 300);
  return `The server answered HTTP ${status}.`;
}

function flatten(errors, prefix = "") {
  if (Array.isArray(errors)) return errors.flatMap((e) => flatten(e, prefix));
  if (errors && typeof errors === "object") {
    return Object.entries(errors).flatMap(([key, value]) =>
      flatten(value, key === "non_field_errors" ? prefix : prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix ? `${prefix}: ${errors}` : String(errors)];
}

/**
 * One HTTP call. `json` sends a JSON body, `form` a FormData (multipart) or URLSearchParams;
 * `auth` adds the bearer token. Resolves to {status, data, headers}; rejects with ApiError
 * carrying the API's own message.
 */
export async function request(path, { method = "GET", json, form, headers = {}, auth = false } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const sent = { Accept: "application/json", ...headers };
    let payload;
    if (json !== undefined) {
      sent["Content-Type"] = "application/json";
      payload = JSON.stringify(json);
    } else if (form !== undefined) {
      payload = form;
    }
    if (auth) sent.Authorization = `Bearer ${await accessToken({ fresh: attempt > 0 })}`;
    let response;
    try {
      response = await fetch(path, { method, headers: sent, body: payload, credentials: "same-origin" });
    } catch (error) {
      throw new ApiError(`The server could not be reached (${error.message}).`, 0, null);
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    // An access token that expired while the page was open: ask for a new one once.
    if (response.status === 401 && auth && attempt === 0) continue;
    if (!response.ok) throw new ApiError(errorMessage(data, response.status), response.status, data);
    return { status: response.status, data, headers: response.headers };
  }
}

/** ws:// or wss:// URL of a socket path on this server, with query parameters. */
export function socketUrl(path, params = {}) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

// Close codes of the project's sockets (README "Decisions" and the specs).
export const CLOSE_REASONS = {
  1000: "closed",
  1006: "the connection dropped",
  4000: "upload the resume and the job description first",
  4001: "the session id is malformed",
  4003: "this origin is not allowed",
  4004: "session not found",
  4400: "bad request",
  4401: "the sign-in token is missing or expired",
  4404: "not found (or not yours)",
  4409: "this session was opened in another tab",
  4429: "too many open connections",
};

export function closeReason(event) {
  const known = CLOSE_REASONS[event.code];
  return `${known || "closed"} (code ${event.code}${event.reason ? `: ${event.reason}` : ""})`;
}

export function user() {
  return {
    email: body.dataset.userEmail,
    id: body.dataset.userId,
    role: body.dataset.userRole,
    isStaff: body.dataset.userStaff === "true",
  };
}
