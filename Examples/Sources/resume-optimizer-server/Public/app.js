// The browser client of resume-optimizer-server: submit a resume, follow the job, download the result.
// No framework and no build step; the API it calls is described in /openapi.json.
"use strict";

(() => {
  const tokenKey = "resume-optimizer.token";
  const longPollSeconds = 5;       // GET /status?wait=: the stage shown is at most this old
  const fallbackPollMs = 3000;     // when long polling fails, poll every 3 s like the original client
  const historyLimit = 10;

  const $ = (id) => document.getElementById(id);
  const el = {
    token: $("token"),
    devToken: $("dev-token"),
    devUser: $("dev-user"),
    useDevToken: $("use-dev-token"),
    form: $("job-form"),
    resume: $("resume"),
    job: $("job"),
    format: $("format"),
    formError: $("form-error"),
    submit: $("submit"),
    jobSection: $("job-section"),
    badge: $("status-badge"),
    message: $("status-message"),
    hint: $("status-hint"),
    cancel: $("cancel"),
    result: $("result"),
    scoreBefore: $("score-before"),
    scoreAfter: $("score-after"),
    matched: $("matched"),
    missing: $("missing"),
    warnings: $("warnings"),
    download: $("download"),
    history: $("history"),
    historyEmpty: $("history-empty"),
    refreshHistory: $("refresh-history"),
  };

  /** The job this page follows; a new follow() makes the older loop stop. */
  let followed = { jobId: null, generation: 0 };

  // MARK: Token (sessionStorage: this tab only)

  el.token.value = sessionStorage.getItem(tokenKey) || "";
  el.token.addEventListener("change", () => {
    sessionStorage.setItem(tokenKey, el.token.value.trim());
    refreshHistory();
  });

  async function offerDevelopmentToken() {
    try {
      const response = await fetch("/dev/token", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      if (typeof body.token !== "string") return;
      el.devUser.textContent = body.user || "demo-user";
      el.devToken.hidden = false;
      el.useDevToken.addEventListener("click", () => {
        el.token.value = body.token;
        sessionStorage.setItem(tokenKey, body.token);
        el.devToken.hidden = true;
        el.token.focus();
        refreshHistory();
      });
    } catch (_) {
      // Not in development mode, or the server is unreachable: nothing to offer.
    }
  }

  // MARK: API

  class APIError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    const token = el.token.value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    let response;
    try {
      response = await fetch(path, Object.assign({}, options, { headers }));
    } catch (_) {
      throw new APIError(0, "The server cannot be reached. Check your connection and try again.");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      let message = body && typeof body.message === "string" ? body.message : "HTTP " + response.status;
      if (response.status === 401) message += " Paste a valid bearer token above.";
      throw new APIError(response.status, message);
    }
    return body;
  }

  function idempotencyKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return btoa(binary);
  }

  // MARK: Form

  const wordExtensions = [".docx", ".dotx", ".docm", ".dotm"];

  function isWordFile(file) {
    const name = (file && file.name ? file.name : "").toLowerCase();
    return wordExtensions.some((extension) => name.endsWith(extension));
  }

  /** The output formats the server takes (`outputFormat` in its OpenAPI document); none: text only. */
  let outputFormats = [];

  async function readOutputFormats() {
    try {
      const response = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
      const document = await response.json();
      const field = document.components.schemas.OptimizeRequest.properties.outputFormat;
      outputFormats = field && Array.isArray(field.enum) ? field.enum : [];
    } catch (_) {
      outputFormats = [];
    }
    updateFormats();
  }

  function updateFormats() {
    const file = el.resume.files[0];
    const docxOption = el.format.querySelector('option[value="docx"]');
    const word = isWordFile(file) && outputFormats.includes("docx");
    docxOption.disabled = !word;
    el.format.value = word ? "docx" : "txt";
  }

  el.resume.addEventListener("change", updateFormats);

  function showFormError(message) {
    el.formError.textContent = message;
    el.formError.hidden = !message;
  }

  el.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError("");
    const file = el.resume.files[0];
    const jobDescription = el.job.value;
    if (!el.token.value.trim()) return fail(el.token, "Paste a bearer token first.");
    if (!file) return fail(el.resume, "Choose a resume file (.docx or .txt).");
    if (file.size === 0) return fail(el.resume, "The chosen file is empty. Choose the resume file itself.");
    if (!jobDescription.trim()) return fail(el.job, "Paste the job description.");

    el.submit.disabled = true;
    try {
      const body = {
        resume: base64(await file.arrayBuffer()),
        jobDescription,
        fileName: file.name,
      };
      if (outputFormats.includes(el.format.value)) body.outputFormat = el.format.value;
      const submitted = await api("/optimize", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey() },
        body: JSON.stringify(body),
      });
      render({ status: submitted.status, message: submitted.message, jobId: submitted.jobId });
      follow(submitted.jobId);
      refreshHistory();
    } catch (error) {
      showFormError(error.message);
    } finally {
      el.submit.disabled = false;
    }
  });

  function fail(control, message) {
    showFormError(message);
    control.focus();
  }

  // MARK: Following a job

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function follow(jobId) {
    const generation = ++followed.generation;
    followed.jobId = jobId;
    let longPolling = true;
    for (;;) {
      if (generation !== followed.generation) return;
      let status;
      try {
        const wait = longPolling ? "&wait=" + longPollSeconds : "";
        status = await api("/status?jobId=" + encodeURIComponent(jobId) + wait);
      } catch (error) {
        if (generation !== followed.generation) return;
        if (error.status === 401 || error.status === 404) {
          renderProblem(jobId, error.message);
          return;
        }
        // Long polling failed (a proxy that cuts long requests, a restart): poll every 3 s instead.
        longPolling = false;
        el.hint.textContent = "Checking again every 3 seconds. (" + error.message + ")";
        el.hint.hidden = false;
        await sleep(fallbackPollMs);
        continue;
      }
      if (generation !== followed.generation) return;
      render(status);
      if (status.status !== "PROCESSING") {
        refreshHistory();
        return;
      }
      if (!longPolling) await sleep(fallbackPollMs);
    }
  }

  el.cancel.addEventListener("click", async () => {
    const jobId = followed.jobId;
    if (!jobId) return;
    el.cancel.disabled = true;
    try {
      render(await api("/jobs/" + encodeURIComponent(jobId), { method: "DELETE" }));
      refreshHistory();
    } catch (error) {
      el.hint.textContent = error.message;
      el.hint.hidden = false;
    } finally {
      el.cancel.disabled = false;
    }
  });

  /** What a person can do about a failure, by its stable error code. */
  function advice(code) {
    const byCode = {
      noText: "Upload a resume whose text can be selected (not a scan or pictures), then submit again.",
      corruptArchive: "The file is damaged. Save the resume again from your word processor and resubmit.",
      limitExceeded: "The document is too large or too complex. Remove pictures or split it, then resubmit.",
      timedOut: "The job took too long. Submit it again; if it keeps happening, try a shorter resume.",
      deadlineExceeded: "The job took too long. Submit it again later.",
      interrupted: "The server restarted while working on it. Submit it again.",
      unsupportedClaims: "The tailored text invented facts and was withheld. Submit again or edit the resume.",
    };
    if (code && byCode[code]) return byCode[code];
    if (code && code.startsWith("provider")) return "The AI service failed. Wait a minute and submit again.";
    return "Fix what the message names, then submit again.";
  }

  function listInto(list, items, empty) {
    list.replaceChildren();
    const values = Array.isArray(items) && items.length ? items : [empty];
    for (const value of values) {
      const item = document.createElement("li");
      item.textContent = value;
      list.appendChild(item);
    }
  }

  function render(status) {
    el.jobSection.hidden = false;
    el.badge.textContent = status.status;
    el.badge.dataset.state = status.status;
    el.message.textContent = status.message || "";
    el.cancel.hidden = status.status !== "PROCESSING";
    el.hint.hidden = true;
    el.result.hidden = status.status !== "COMPLETED";
    if (status.status === "FAILED") {
      el.hint.textContent = "What to do: " + advice(status.errorCode) + (status.errorCode ? " (code " + status.errorCode + ")" : "");
      el.hint.hidden = false;
    } else if (status.status === "CANCELLED") {
      el.hint.textContent = "The job was cancelled. Submit again when you are ready.";
      el.hint.hidden = false;
    }
    if (status.status === "COMPLETED") {
      el.scoreBefore.textContent = status.matchScoreBefore ?? "–";
      el.scoreAfter.textContent = status.matchScoreAfter ?? "–";
      // Older servers send only the missing keywords.
      $("matched-block").hidden = !Array.isArray(status.matchedKeywords);
      listInto(el.matched, status.matchedKeywords, "None");
      listInto(el.missing, status.missingKeywords, "None");
      listInto(el.warnings, status.warnings, "None: every claim is supported by the original resume.");
      if (status.optimizedResumeUrl) {
        el.download.href = status.optimizedResumeUrl;
        el.download.setAttribute("download", status.downloadFilename || "");
        el.download.textContent = "Download " + (status.downloadFilename || "the optimized resume");
        el.download.hidden = false;
      } else {
        el.download.hidden = true;
      }
    }
  }

  function renderProblem(jobId, message) {
    render({ status: "FAILED", message, jobId });
    el.hint.textContent = "What to do: check the token, or submit the job again.";
  }

  // MARK: Recent jobs

  async function refreshHistory() {
    if (!el.token.value.trim()) {
      el.history.replaceChildren();
      el.historyEmpty.textContent = "Paste a bearer token to see your recent jobs.";
      el.historyEmpty.hidden = false;
      return;
    }
    let page;
    try {
      page = await api("/jobs?limit=" + historyLimit);
    } catch (error) {
      el.historyEmpty.textContent = error.message;
      el.historyEmpty.hidden = false;
      return;
    }
    el.history.replaceChildren();
    const jobs = page && Array.isArray(page.jobs) ? page.jobs : [];
    el.historyEmpty.textContent = "No jobs yet.";
    el.historyEmpty.hidden = jobs.length > 0;
    for (const job of jobs) {
      const item = document.createElement("li");
      const when = new Date(job.timestamp);
      const time = document.createElement("time");
      time.dateTime = job.timestamp;
      time.textContent = isNaN(when) ? job.timestamp : when.toLocaleString();
      item.append(job.status + " · ", time, " · " + (job.message || "") + " ");
      const show = document.createElement("button");
      show.type = "button";
      show.textContent = "Show";
      show.setAttribute("aria-label", "Show job " + job.jobId.slice(0, 8) + " (" + job.status + ")");
      show.addEventListener("click", () => showJob(job.jobId));
      item.appendChild(show);
      el.history.appendChild(item);
    }
  }

  async function showJob(jobId) {
    try {
      const status = await api("/status?jobId=" + encodeURIComponent(jobId));
      render(status);
      el.jobSection.scrollIntoView();
      if (status.status === "PROCESSING") follow(jobId);
      else followed = { jobId, generation: followed.generation + 1 };
    } catch (error) {
      renderProblem(jobId, error.message);
    }
  }

  el.refreshHistory.addEventListener("click", refreshHistory);

  offerDevelopmentToken();
  readOutputFormats();
  refreshHistory();
})();
