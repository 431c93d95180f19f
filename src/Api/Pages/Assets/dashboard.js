// The dashboard's only script. Write forms (form[data-api]) send JSON to the API with the anti-forgery token in the
// RequestVerificationToken header and the investigation's ETag in If-Match; progress elements ([data-poll]) fetch
// their resource every second. Everything else is server-rendered HTML.
"use strict";

function requestToken(form) {
  const field = form && form.querySelector("input[name^='__RequestVerificationToken']");
  if (field) return field.value;
  const meta = document.querySelector("meta[name='request-verification-token']");
  return meta ? meta.content : "";
}

function problemText(body, status) {
  if (body && body.errors) return Object.entries(body.errors).map(([field, messages]) => field + ": " + messages.join(" ")).join("; ");
  if (body && (body.detail || body.title)) return body.detail || body.title;
  return "The request failed (HTTP " + status + ").";
}

async function submitApiForm(event) {
  const form = event.target.closest("form[data-api]");
  if (!form) return;
  event.preventDefault();
  const data = new FormData(form, event.submitter || undefined);
  const numbers = (form.dataset.numbers || "").split(",").filter(Boolean);
  const body = {};
  for (const [name, value] of data.entries()) {
    if (name.startsWith("__RequestVerificationToken")) continue;
    body[name] = numbers.includes(name) && value !== "" ? Number(value) : value;
  }
  const url = form.dataset.api.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(body[name] ?? ""));
  const headers = { "Content-Type": "application/json", "Accept": "application/json", "RequestVerificationToken": requestToken(form) };
  if (form.dataset.etag) headers["If-Match"] = form.dataset.etag;
  const error = form.querySelector(".form-error");
  const buttons = form.querySelectorAll("button");
  buttons.forEach(b => b.disabled = true);
  try {
    const response = await fetch(url, { method: form.dataset.method || "POST", credentials: "same-origin", headers, body: JSON.stringify(body) });
    if (response.ok) {
      const location = response.headers.get("Location");
      if (form.dataset.then === "page" && location) window.location.assign(location.replace(/^\/api\//, "/"));
      else window.location.reload();
      return;
    }
    let problem = null;
    try { problem = await response.json(); } catch { }
    if (error) { error.textContent = problemText(problem, response.status); error.hidden = false; }
  } catch (e) {
    if (error) { error.textContent = "The request could not be sent: " + e.message; error.hidden = false; }
  } finally {
    buttons.forEach(b => b.disabled = false);
  }
}

function setField(root, name, text) {
  root.querySelectorAll("[data-field='" + name + "']").forEach(el => { el.textContent = text; });
}

const number = new Intl.NumberFormat("en-US");

// A corpus's progress resource: the live batch position while ingesting, checkpointed images otherwise.
function showCorpus(root, corpus) {
  const status = String(corpus.status).toLowerCase();
  setField(root, "status", status);
  root.querySelectorAll("[data-field='status']").forEach(el => { el.className = "status-" + status; });
  setField(root, "imagesDone", number.format(corpus.imagesDone));
  setField(root, "imagesTotal", number.format(corpus.imagesTotal));
  setField(root, "batchesProcessed", number.format(corpus.batchesProcessed));
  setField(root, "batchesTotal", number.format(corpus.batchesTotal));
  setField(root, "imagesPerSecond", corpus.imagesPerSecond.toFixed(1));
  setField(root, "failedFiles", number.format(corpus.failedFiles.length));
  const bar = root.querySelector("progress");
  const live = status === "ingesting" && corpus.batchesTotal > 0;
  const done = live ? corpus.batchesProcessed : corpus.imagesDone, total = live ? corpus.batchesTotal : corpus.imagesTotal;
  if (bar) { bar.max = Math.max(total, 1); bar.value = status === "completed" ? bar.max : Math.min(done, bar.max); }
  return false;   // a corpus may be ingested again: keep watching
}

function showJob(root, job) {
  const status = String(job.status).toLowerCase();
  setField(root, "status", status);
  root.querySelectorAll("[data-field='status']").forEach(el => { el.className = "status-" + status; });
  setField(root, "done", number.format(job.progress.done));
  setField(root, "total", number.format(job.progress.total));
  setField(root, "stage", job.progress.stage || "–");
  setField(root, "metrics", Object.entries(job.progress.metrics || {}).map(([k, v]) => k + " " + Number(v).toPrecision(4)).join(", ") || "–");
  setField(root, "error", job.error || "–");
  if (job.result) setField(root, "result", JSON.stringify(JSON.parse(job.result), null, 2));
  const bar = root.querySelector("progress");
  if (bar) { bar.max = Math.max(job.progress.total, 1); bar.value = status === "succeeded" ? bar.max : Math.min(job.progress.done, bar.max); }
  const plot = root.querySelector("img[data-plot]");
  if (plot && job.plotHash && plot.hidden) { plot.src = plot.dataset.plot; plot.hidden = false; }
  return ["succeeded", "failed", "cancelled"].includes(status);
}

function poll(root) {
  const show = root.dataset.pollKind === "job" ? showJob : showCorpus;
  const tick = async () => {
    try {
      const response = await fetch(root.dataset.poll, { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (response.ok && show(root, await response.json())) return;   // ended: stop
    } catch { }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}

document.addEventListener("submit", submitApiForm);
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-poll]").forEach(poll));
