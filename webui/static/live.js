// consensus-kit live feed: one EventSource per tab. On each event the page's fragments that
// listen for it (hx-trigger="ck:change from:body" or "ck:<type> from:body") re-fetch
// themselves from the server; no state is computed here. EventSource reconnects by itself and
// sends Last-Event-ID, so the server replays exactly what this tab missed.
(function () {
  "use strict";
  var url = document.body && document.body.getAttribute("data-live");
  if (!url || !window.EventSource) { return; }
  var source = null;
  var indicator = null;
  var body = document.body;
  var labels = {
    open: body.getAttribute("data-live-open") || "live",
    retry: body.getAttribute("data-live-retry") || "reconnecting…"
  };
  // The server sends a heartbeat at least every data-live-gap seconds; a stream silent for
  // longer is stalled (a proxy or Wi-Fi that keeps the socket but drops the data): the badge
  // says so within a few seconds, and the tab reconnects from the last event it saw.
  var gap = parseFloat(body.getAttribute("data-live-gap") || "20") * 1000;
  var heard = Date.now();
  var lastId = null;

  function status(text, state) {
    if (!indicator) {
      indicator = document.createElement("span");
      indicator.className = "live-status";
      indicator.setAttribute("role", "status");
      document.body.appendChild(indicator);
    }
    indicator.textContent = labels[state] || text;
    indicator.setAttribute("data-state", state);
    body.classList.toggle("stale", state !== "open");
  }

  // Events are passed on in batches, at most one every 150 ms: a burst of ballots refreshes a
  // region once, and a steady stream still refreshes it several times a second.
  var queued = [];
  var timer = null;
  var waited = 0;

  function flush() {
    // A live region still loading would be aborted and restarted by these events (hx-sync
    // "this:replace" in macros.html); wait for it, at most about a second, so that a burst costs
    // no cancelled request. htmx marks a loading region with the class htmx-request.
    if (waited < 8 && document.querySelector("[hx-sync].htmx-request")) {
      waited += 1;
      timer = window.setTimeout(flush, 150);
      return;
    }
    waited = 0;
    var batch = queued;
    var done = {};
    queued = [];
    timer = null;
    batch.forEach(function (detail) {
      if (done[detail.type]) { return; }
      done[detail.type] = true;
      document.body.dispatchEvent(new CustomEvent("ck:" + detail.type, { detail: detail }));
    });
    document.body.dispatchEvent(new CustomEvent("ck:change", { detail: batch[batch.length - 1] }));
  }

  function fire(type, data) {
    heard = Date.now();
    queued.push({ type: type, data: data });
    if (timer === null) { timer = window.setTimeout(flush, 150); }
  }

  function resumeUrl() {
    if (lastId === null) { return url; }
    return url.replace(/([?&]after=)[^&]*/, "$1" + encodeURIComponent(lastId));
  }

  function connect() {
    heard = Date.now();
    source = new EventSource(resumeUrl());
    source.onopen = function () { heard = Date.now(); status("live", "open"); };
    source.onerror = function () { status("reconnecting…", "retry"); };
    // heartbeats arrive as unnamed messages with empty data: they only prove the line is alive
    source.onmessage = function () { heard = Date.now(); };
    // No onmessage: every event the server sends is named. Unnamed messages are how Litestar
    // encodes the feed's comments (heartbeats carry an empty "data:" line); treating them as
    // changes re-fetched every live region at each heartbeat and took the keyboard focus away.
    var types = (document.body.getAttribute("data-live-types") ||
      "meeting_loaded access_codes_issued version_published version_frozen amendment_proposed " +
      "amendment_revised amendment_status_changed cosponsor_joined amendment_adopted " +
      "comment_posted comment_edited comment_withdrawn translations_updated vote_opened " +
      "ballot_cast vote_converted vote_closed endorsement_added endorsement_revoked " +
      "signing_closed agenda_set meeting_key_created organisation_key_registered " +
      "compromise_proposed amendment_modified speaker_requested speaker_withdrawn " +
      "speakers_ordered floor_given turn_ended speakers_list_closed speakers_list_reopened " +
      "meeting_changed signing_reopened").split(/\s+/);
    types.forEach(function (t) {
      if (t) {
        source.addEventListener(t, function (e) {
          if (e.lastEventId) { lastId = e.lastEventId; }
          fire(t, e.data);
        });
      }
    });
  }

  window.setInterval(function () {
    if (!source || Date.now() - heard <= gap) { return; }
    status("reconnecting…", "retry");
    source.close();
    connect();
  }, 1000);

  window.addEventListener("pagehide", function () { if (source) { source.close(); } });
  connect();
})();
