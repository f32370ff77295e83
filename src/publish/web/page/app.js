// The web view's page: one server-sent event stream of JSON messages (see the server's
// state.rs), drawn as they come. Numbers are shown as the recorder computed them; the page
// only scales and formats. The values it shows are also kept in data- attributes
// (data-row-time on <body>, data-value on each number) so tests can read them exactly.
"use strict";

const $ = (id) => document.getElementById(id);
const query = location.search; // carries ?token=… when the server needs it
let info = null; // the full message's montage, rates and sizes
let rings = null; // per channel: Float32Array min/max by bucket % capacity
let newestBucket = -1;
let dirty = false;

function fmt(v, digits) {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// A number with its unit, kept exactly in data-value.
function number(v, digits, unit) {
  const span = el("span", "value");
  span.dataset.value = v === null ? "" : String(v);
  span.append(fmt(v, digits), el("span", "unit", " " + unit));
  return span;
}

function bar(share, cls, band) {
  const track = el("div", "track");
  if (band) {
    const b = el("div", "bandmark");
    b.style.left = band[0] + "%";
    b.style.width = Math.max(0, band[1] - band[0]) + "%";
    track.append(b);
  }
  const fill = el("div", "fill " + (cls || ""));
  fill.style.width = (Number.isFinite(share) ? Math.max(0, Math.min(1, share)) * 100 : 0) + "%";
  track.append(fill);
  return track;
}

function start(m) {
  info = m;
  document.body.dataset.replay = String(m.replay);
  $("mode").textContent = m.replay ? "replay" : "live";
  $("source").textContent = m.source + " · " + m.montage.channels.length + " channels at " +
    m.sample_rate_hz + " Hz";
  const capacity = Math.round(m.window_s / m.bucket_s);
  rings = m.montage.channels.map(() => ({
    min: new Float32Array(capacity).fill(NaN),
    max: new Float32Array(capacity).fill(NaN),
  }));
  newestBucket = -1;
  const band = m.montage.analysis && m.montage.analysis.target_pct_mvc;
  $("band").textContent = band ? "training band " + band[0] + "–" + band[1] + " %MVC" : "";
}

function takeTraces(t) {
  if (!t || !rings) return;
  const capacity = rings[0] ? rings[0].min.length : 0;
  t.min.forEach((mins, c) => {
    const ring = rings[c];
    mins.forEach((v, k) => {
      const slot = (t.first + k) % capacity;
      ring.min[slot] = v === null ? NaN : v;
      ring.max[slot] = t.max[c][k] === null ? NaN : t.max[c][k];
    });
  });
  const count = t.min.length ? t.min[0].length : 0;
  if (count) newestBucket = Math.max(newestBucket, t.first + count - 1);
  dirty = true;
}

function showStatus(m) {
  const s = m.status;
  $("clock").textContent = clock(s.recorded_s);
  $("fps").textContent = fmt(s.frames_per_s, 0);
  $("received").textContent = s.frames_received;
  $("lost").textContent = s.frames_missing;
  $("lost").classList.toggle("bad", s.frames_missing > 0);
  $("corrupt").textContent = s.frames_corrupt;
  $("corrupt").classList.toggle("bad", s.frames_corrupt > 0);
  $("ring").textContent = fmt(100 * s.ring_fill, 0) + " %";
  $("markers").textContent = s.markers;
  document.body.dataset.markers = s.markers;
  document.body.dataset.rowTime = m.activation_time_s === null ? "" : m.activation_time_s;
  const banner = $("banner");
  banner.hidden = m.alarms.length === 0;
  document.body.dataset.alarm = String(m.alarms.length > 0);
  $("banner-text").textContent = "— " + m.alarms.join(" · ");
  const notices = $("notices");
  notices.replaceChildren(...m.notices.map((n) => el("li", "", n)));
}

function clock(seconds) {
  if (!Number.isFinite(seconds)) return "–";
  const t = Math.floor(seconds);
  const mm = String(Math.floor(t / 60)).padStart(2, "0");
  const ss = String(t % 60).padStart(2, "0");
  return mm + ":" + ss;
}

function showActivation(snap) {
  const band = snap.target_pct_mvc;
  const maxRms = Math.max(1e-12, ...snap.activation.map((a) => (a.rms === null ? 0 : a.rms)));
  const rows = snap.activation.map((a) => {
    const row = el("div", "row act");
    row.dataset.channel = a.name;
    const pct = a.pct_mvc !== null && a.pct_mvc !== undefined;
    let value;
    let share;
    if (pct) {
      value = number(a.pct_mvc, 1, "%MVC");
      share = a.pct_mvc / 100;
      if (band && a.pct_mvc >= band[0] && a.pct_mvc <= band[1]) row.classList.add("in-band");
    } else {
      value = number(a.rms, 1, a.unit + " RMS");
      share = a.rms / maxRms;
    }
    row.append(el("span", "name", a.name), bar(share, "", pct ? band : null), value);
    return row;
  });
  $("activation").replaceChildren(...rows);
}

function showBalance(snap) {
  $("balance-box").hidden = snap.balance.length === 0;
  const unitOf = (name) => {
    const a = snap.activation.find((x) => x.name === name);
    return a && a.pct_mvc !== null && a.pct_mvc !== undefined ? "%MVC" : (a ? a.unit + " RMS" : "");
  };
  const pairs = snap.balance.map((b) => {
    const box = el("div", "pair");
    box.dataset.pair = b.name;
    const head = el("div", "head");
    const lsi = el("span", "lsi");
    lsi.dataset.value = b.lsi_percent === null ? "" : String(b.lsi_percent);
    lsi.append("LSI " + fmt(b.lsi_percent, 1), el("span", "unit", " %"));
    head.append(el("strong", "", b.name), lsi);
    const top = Math.max(b.left_value || 0, b.right_value || 0, 1e-12);
    const side = (which, name, v) => {
      const row = el("div", "side " + which + (b.weaker === which ? " weaker" : ""));
      row.append(el("span", "tag " + which, which === "left" ? "L" : "R"), el("span", "name", name),
        bar(v / top, which), number(v, 1, unitOf(name)));
      return row;
    };
    box.append(head, side("left", b.left, b.left_value), side("right", b.right, b.right_value));
    if (b.weaker) {
      const weakName = b.weaker === "left" ? b.left : b.right;
      box.append(el("div", "weaker-note", "Work the weaker side first: " + b.weaker.toUpperCase() +
        " (" + weakName + ")"));
    }
    return box;
  });
  $("balance").replaceChildren(...pairs);
}

function showCocontraction(snap) {
  $("cocon-box").hidden = snap.cocontraction.length === 0;
  $("cocontraction").replaceChildren(...snap.cocontraction.map((c) => {
    const row = el("div", "row");
    row.dataset.pair = c.name;
    row.append(el("span", "name", c.name), bar(c.fw_percent / 100, ""), number(c.fw_percent, 1, "%"));
    return row;
  }));
}

function showTremor(snap) {
  $("tremor-box").hidden = snap.tremor.length === 0;
  $("tremor").replaceChildren(...snap.tremor.map((t) => {
    const row = el("div", "row wide" + (t.alarm ? " alarm" : ""));
    row.dataset.channel = t.name;
    const name = el("span", "name", (t.alarm ? "⚠ " : "") + t.name);
    const right = el("span", "value");
    right.append(fmt(100 * t.relative_power, 0), el("span", "unit", " % · "), fmt(t.peak_hz, 1),
      el("span", "unit", " Hz"));
    const track = bar(t.relative_power, "");
    if (t.alarm) track.append(el("span", "alarm-tag", "ALARM"));
    row.append(name, track, right);
    return row;
  }));
}

function take(m) {
  if (m.kind === "full") start(m);
  if (!info) return;
  showStatus(m);
  if (m.snapshot) {
    showActivation(m.snapshot);
    showBalance(m.snapshot);
    showCocontraction(m.snapshot);
    showTremor(m.snapshot);
  }
  takeTraces(m.traces);
  if (m.kind === "end") {
    document.body.dataset.state = "ended";
    showConn(m.replay ? "replay ended" : "recording ended");
  } else {
    document.body.dataset.state = "live";
  }
  document.body.dataset.seq = m.seq;
}

function showConn(text) {
  $("conn").hidden = !text;
  $("conn").textContent = text || "";
}

// Traces: one lane per channel, each column the min–max of the buckets it covers, scaled
// to the lane by the window's own range.
function draw() {
  requestAnimationFrame(draw);
  if (!dirty || !info || !rings) return;
  dirty = false;
  const canvas = $("traces");
  const ratio = window.devicePixelRatio || 1;
  const w = Math.floor(canvas.clientWidth * ratio);
  const h = Math.floor(canvas.clientHeight * ratio);
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, w, h);
  const channels = info.montage.channels;
  const capacity = rings.length ? rings[0].min.length : 1;
  const label = Math.min(170 * ratio, w * 0.25);
  const plotW = Math.max(1, w - label);
  const lane = h / Math.max(1, channels.length);
  const first = newestBucket - capacity + 1;
  const font = Math.max(11, Math.min(20, lane / 2.6)) * ratio;
  g.font = font + "px system-ui, sans-serif";
  channels.forEach((ch, c) => {
    const ring = rings[c];
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < capacity; k++) {
      if (ring.min[k] < lo) lo = ring.min[k];
      if (ring.max[k] > hi) hi = ring.max[k];
    }
    const top = c * lane;
    g.strokeStyle = "#2d3640";
    g.beginPath(); g.moveTo(0, top + lane - 0.5); g.lineTo(w, top + lane - 0.5); g.stroke();
    const colour = ch.side === "left" ? "#3a9ad9" : ch.side === "right" ? "#e69f00" : "#c9d3dc";
    g.fillStyle = colour;
    const sideMark = ch.side === "left" ? "L " : ch.side === "right" ? "R " : "";
    g.fillText(sideMark + ch.name, 4 * ratio, top + font * 1.05);
    g.fillStyle = "#9aa7b4";
    if (Number.isFinite(lo) && lane > font * 2.2) {
      g.fillText(fmt(hi - lo, hi - lo < 10 ? 2 : 0) + " " + ch.unit + " p-p", 4 * ratio, top + font * 2.2);
    }
    if (!Number.isFinite(lo) || newestBucket < 0) return;
    const span = hi - lo || 1;
    const y = (v) => top + lane * 0.92 - ((v - lo) / span) * lane * 0.84;
    g.fillStyle = colour;
    for (let x = 0; x < plotW; x++) {
      const b0 = first + Math.floor((x * capacity) / plotW);
      const b1 = Math.max(b0 + 1, first + Math.floor(((x + 1) * capacity) / plotW));
      let mn = Infinity;
      let mx = -Infinity;
      for (let b = b0; b < b1; b++) {
        if (b < 0) continue;
        const slot = b % capacity;
        if (ring.min[slot] < mn) mn = ring.min[slot];
        if (ring.max[slot] > mx) mx = ring.max[slot];
      }
      if (mn > mx) continue;
      const yTop = y(mx);
      g.fillRect(label + x, yTop, 1, Math.max(ratio, y(mn) - yTop));
    }
  });
  g.fillStyle = "#9aa7b4";
  g.fillText("−10 s", label, h - 4 * ratio);
  g.fillText("now", w - g.measureText("now").width - 4 * ratio, h - 4 * ratio);
}

function connect() {
  const source = new EventSource("events" + query);
  source.onopen = () => showConn("");
  source.onmessage = (e) => take(JSON.parse(e.data));
  source.onerror = () => {
    if (document.body.dataset.state === "ended") { source.close(); return; }
    showConn("connection lost — retrying…");
  };
}

$("marker").addEventListener("click", () => {
  const button = $("marker");
  fetch("marker" + query, { method: "POST" }).then((r) => {
    button.classList.add("sent");
    button.textContent = r.ok ? "marked ✓" : "marker refused (" + r.status + ")";
    setTimeout(() => { button.classList.remove("sent"); button.textContent = "+ marker"; }, 1200);
  });
});

window.addEventListener("resize", () => { dirty = true; });
connect();
requestAnimationFrame(draw);
