// routilux serve: the jobs page and the job page. No library, no CDN.
// The token comes from the address (#token=...) once and stays in this tab's
// sessionStorage; it is sent as "Authorization: Bearer" with every change.
"use strict";

const $ = (sel) => document.querySelector(sel);
const readOnly = document.body.dataset.readOnly === "true";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function takeTokenFromAddress() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem("routilux-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}
const token = () => sessionStorage.getItem("routilux-token") || "";

function showTokenForm() {
  const form = $("#token-form");
  if (readOnly || !form) return;
  form.hidden = !!token();
  form.onsubmit = (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("routilux-token", $("#token-input").value.trim());
    form.hidden = !!token();
  };
}

function say(text, ok) {
  const box = $("#message");
  box.textContent = text;
  box.className = ok ? "message ok" : "message";
  box.hidden = !text;
}

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (token()) headers["Authorization"] = "Bearer " + token();
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error || response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

function listen(path, onChange) {
  const live = $("#live");
  const source = new EventSource(path);
  let timer = null;
  source.onopen = () => { live.textContent = "live"; live.classList.add("on"); };
  source.onerror = () => { live.textContent = "reconnecting…"; live.classList.remove("on"); };
  source.addEventListener("job", (ev) => {
    const message = JSON.parse(ev.data);
    clearTimeout(timer);
    timer = setTimeout(() => onChange(message), 100);
  });
}

const when = (iso) => (iso || "").replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "");
const badge = (status) => el("span", { class: "status " + status, text: status });
const compact = (value) => JSON.stringify(value);
// tracebacks are shown under Errors; the history keeps its lines short
const withoutTraceback = ({ traceback, ...rest }) => rest;

// ------------------------------------------------------------------ jobs page

function jobsPage() {
  let offset = 0;
  const limit = 25;
  const filters = $("#filters");

  async function load() {
    const params = new URLSearchParams({ offset, limit });
    const form = new FormData(filters);
    for (const key of ["status", "flow"]) if (form.get(key)) params.set(key, form.get(key));
    const data = await api("GET", "/api/jobs?" + params);
    const body = $("#jobs tbody");
    body.replaceChildren(...data.jobs.map((job) =>
      el("tr", { "data-job-id": job.job_id, "data-status": job.status },
        el("td", {}, el("a", { href: "/jobs/" + encodeURIComponent(job.job_id), text: job.job_id })),
        el("td", { text: job.flow_id }),
        el("td", {}, badge(job.status), job.owner ? el("div", { class: "muted small", text: "held by " + job.owner }) : "",
          job.problem ? el("div", { class: "muted small", text: job.problem }) : ""),
        el("td", { text: when(job.updated_at) }))));
    $("#empty").hidden = data.jobs.length > 0;
    $("#prev").disabled = offset === 0;
    $("#next").disabled = !data.more;
  }

  filters.onsubmit = (ev) => { ev.preventDefault(); offset = 0; load().catch((e) => say(e.message)); };
  $("#prev").onclick = () => { offset = Math.max(0, offset - limit); load(); };
  $("#next").onclick = () => { offset += limit; load(); };

  api("GET", "/api/specs").then((data) => {
    const select = $("#spec-select");
    select.replaceChildren(...data.specs.map((name) => el("option", { value: name, text: name })));
    $("#start-section").hidden = readOnly || data.specs.length === 0;
  });
  $("#start-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    const params = {};
    for (const line of String(form.get("params") || "").split("\n")) {
      if (!line.trim()) continue;
      const at = line.indexOf("=");
      if (at < 1) { say("each param must be NAME=VALUE: " + line); return; }
      params[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    try {
      const job = await api("POST", "/api/jobs", { spec: form.get("spec"), params });
      say("started job " + job.job_id, true);
      load();
    } catch (e) { say(e.message); }
  };
  load().catch((e) => say(e.message));
  listen("/api/events", () => load().catch(() => {}));
}

// ------------------------------------------------------------------- job page

function pauseForm(jobId, point) {
  const form = el("form", { "data-pause-id": point.id });
  const inputs = point.fields.map((field) =>
    el("input", { name: field, "data-field": field, autocomplete: "off" }));
  point.fields.forEach((field, i) => form.append(el("label", { text: field }, inputs[i])));
  if (point.fields.length === 0) {
    const free = el("input", { name: "answer", placeholder: "NAME=VALUE, ..." });
    form.append(el("label", { text: "answer" }, free));
  }
  const problem = el("div", { class: "field-error", role: "alert" });
  form.append(el("button", { type: "submit", text: "answer" }), problem);
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const answer = {};
    const missing = [];
    if (point.fields.length) {
      for (const input of inputs) {
        const value = input.value.trim();
        if (!value) missing.push(input.name);
        answer[input.name] = value;
      }
    } else {
      for (const pair of form.elements.answer.value.split(",")) {
        const at = pair.indexOf("=");
        if (at > 0) answer[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
    }
    if (missing.length) { problem.textContent = "fill in: " + missing.join(", "); return; }
    problem.textContent = "";
    try {
      await api("POST", "/api/jobs/" + encodeURIComponent(jobId) + "/answer", { pause_id: point.id, answer });
      say("answer sent", true);
    } catch (e) { problem.textContent = e.message; }
  };
  return form;
}

function jobPage() {
  const jobId = decodeURIComponent(location.pathname.split("/").pop());
  const base = "/api/jobs/" + encodeURIComponent(jobId);
  let historyOffset = null;
  let shownPauses = "";

  async function load() {
    const query = historyOffset === null ? "" : "?history_offset=" + historyOffset;
    const job = await api("GET", base + query);
    document.title = job.flow_id + " " + job.status + " · routilux";
    $("#flow-id").textContent = job.flow_id;
    $("#status").replaceWith(Object.assign(badge(job.status), { id: "status" }));
    $("#job-id").textContent = job.job_id;
    $("#created").textContent = when(job.created_at);
    $("#updated").textContent = when(job.updated_at);
    // a job waiting at a pause point is answered, not resumed blind
    $("#resume").disabled = !["paused", "failed"].includes(job.status) || job.pause_points.length > 0;
    $("#cancel").disabled = !["running", "paused", "pending"].includes(job.status);

    const pauseKey = JSON.stringify(job.pause_points);
    if (pauseKey !== shownPauses) {  // keep what is being typed unless the pauses changed
      shownPauses = pauseKey;
      $("#pauses").replaceChildren(...job.pause_points.map((point) =>
        el("div", { class: "pause" }, el("strong", { text: point.routine_id + ": " }),
          el("span", { text: point.prompt }), readOnly ? "" : pauseForm(jobId, point))));
    }
    $("#pauses-section").hidden = job.pause_points.length === 0 || job.status !== "paused";

    const errors = job.errors.map((e) => el("div", { class: "error" },
      el("p", {}, el("strong", { text: e.routine_id }), " " + (e.outcome || "") + ": " + (e.error_type ? e.error_type + ": " : "") + e.error),
      e.traceback ? el("details", {}, el("summary", { text: "traceback" }), el("pre", { text: e.traceback })) : ""));
    $("#errors").replaceChildren(...errors);
    $("#errors-section").hidden = errors.length === 0;

    $("#outputs tbody").replaceChildren(...job.outputs.map((o) =>
      el("tr", {}, el("td", { text: o.routine_id }), el("td", { text: o.output_type }), el("td", { class: "data", text: compact(o.data) }))));
    const h = job.history;
    $("#history tbody").replaceChildren(...h.records.map((r) =>
      el("tr", {}, el("td", { text: when(r.timestamp) }), el("td", { text: r.routine_id }), el("td", { text: r.event_name }),
        el("td", { class: "data", text: compact(withoutTraceback(r.data)) }))));
    $("#history-range").textContent = h.total ? `(${h.offset + 1}-${h.offset + h.records.length} of ${h.total})` : "(none)";
    $("#hist-prev").disabled = h.offset === 0;
    $("#hist-next").disabled = h.offset + h.records.length >= h.total;
    $("#hist-prev").onclick = () => { historyOffset = Math.max(0, h.offset - 50); load(); };
    $("#hist-next").onclick = () => { historyOffset = h.offset + 50; load(); };

    $("#routines tbody").replaceChildren(...Object.entries(job.routine_states).map(([rid, state]) => {
      const { status, ...rest } = state;
      return el("tr", {}, el("td", { text: rid }), el("td", {}, badge(status || "pending")), el("td", { class: "data", text: Object.keys(rest).length ? compact(rest) : "" }));
    }));
    $("#pending").textContent = job.pending.length ? job.pending.length + " activations pending" : "";

    const svg = await fetch(base + "/graph.svg").then((r) => r.text());
    $("#graph").innerHTML = svg;  // drawn by this server, every label escaped there
  }

  $("#resume").onclick = () => api("POST", base + "/resume", {}).then(() => say("resumed", true), (e) => say(e.message));
  $("#cancel").onclick = () => {
    if (confirm("Cancel this job?")) api("POST", base + "/cancel", {}).then(() => say("cancelled", true), (e) => say(e.message));
  };
  load().catch((e) => say(e.message));
  listen("/api/events?job_id=" + encodeURIComponent(jobId), () => load().catch(() => {}));
}

takeTokenFromAddress();
showTokenForm();
if (document.body.dataset.page === "jobs") jobsPage();
else jobPage();
