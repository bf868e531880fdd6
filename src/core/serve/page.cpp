#include "core/serve/page.hpp"

#include "core/util/markup.hpp"

namespace natlab {

namespace {

constexpr std::string_view kStyle = R"css(
:root { --inside: #2563eb; --outside: #ea580c; --refused: #b91c1c; --muted: #6b7280; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #111827; background: #f9fafb; }
header { padding: 8px 16px; background: #111827; color: #f9fafb; display: flex; gap: 16px;
         align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
header .status { color: #9ca3af; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px; padding: 12px; }
section { background: white; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 12px;
          overflow: auto; }
section h2 { font-size: 15px; margin: 4px 0 8px; }
#picture { grid-row: span 2; max-height: 80vh; }
#events { max-height: 40vh; }
#eventlog { font: 12px/1.35 ui-monospace, monospace; margin: 0; padding: 0; list-style: none; }
#eventlog li { padding: 1px 0; border-bottom: 1px dotted #e5e7eb; }
#eventlog li.refused, #eventlog li.lost, #eventlog li.skipped { color: var(--refused);
  font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #f3f4f6; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.nat h3 { font-size: 13px; margin: 8px 0 2px; }
.nat .words { color: var(--muted); font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; }
svg .node rect { fill: #f3f4f6; stroke: #4b5563; rx: 6; }
svg .node.nat rect { fill: #fde2c8; }
svg .node.router rect { fill: #d1d5db; }
svg .node.switch rect { fill: #e0e7ff; }
svg .node.selected rect { stroke: #111827; stroke-width: 3; }
svg .node { cursor: pointer; }
svg line { stroke: #6b7280; stroke-width: 2; }
svg line.outside { stroke: var(--outside); }
svg line.inside { stroke: var(--inside); }
svg line.down { stroke-dasharray: 6 4; opacity: 0.5; }
svg line.path { stroke-width: 5; }
tr.selected td { background: #fef3c7; }
.controls button, .controls select, .controls input { font-size: 12px; margin: 2px; }
.result { font: 12px ui-monospace, monospace; white-space: pre-wrap; color: var(--muted); }
#skipped { color: var(--refused); font-weight: bold; }
)css";

constexpr std::string_view kScript = R"js(
"use strict";
const lab = decodeURIComponent(location.pathname.split("/")[2] || "");
const token = new URLSearchParams(location.search).get("token") || "";
const api = (what) => "/api/lab/" + encodeURIComponent(lab) + "/" + what;
let view = null, selected = null, skipped = 0, refetch = null;
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElementNS(tag === "svg" || attrs.svg ? "http://www.w3.org/2000/svg"
                                                                 : "http://www.w3.org/1999/xhtml", tag);
  for (const [k, v] of Object.entries(attrs)) if (k !== "svg") e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};
const s = (tag, attrs = {}, ...children) => el(tag, Object.assign({svg: true}, attrs), ...children);

// Columns by hops from the routers (the public core); rows in the order found.
function layout(v) {
  const kinds = Object.fromEntries(v.nodes.map((n) => [n.name, n.kind]));
  const next = {};
  for (const l of v.links) {
    (next[l.a.node] ||= []).push(l.b.node);
    (next[l.b.node] ||= []).push(l.a.node);
  }
  const col = {}, queue = [];
  for (const n of v.nodes) if (n.kind === "router") { col[n.name] = 0; queue.push(n.name); }
  if (!queue.length && v.nodes.length) { col[v.nodes[0].name] = 0; queue.push(v.nodes[0].name); }
  for (let i = 0; i < queue.length; i++)
    for (const m of next[queue[i]] || [])
      if (!(m in col)) { col[m] = col[queue[i]] + 1; queue.push(m); }
  for (const n of v.nodes) if (!(n.name in col)) { col[n.name] = 0; queue.push(n.name); }
  const rows = {}, at = {};
  for (const name of queue) {
    const c = col[name];
    rows[c] = (rows[c] || 0) + 1;
    at[name] = {x: 20 + c * 230, y: 20 + (rows[c] - 1) * 64, kind: kinds[name]};
  }
  return at;
}

function drawPicture() {
  const v = view, at = layout(v);
  const width = Math.max(...Object.values(at).map((p) => p.x)) + 200;
  const height = Math.max(...Object.values(at).map((p) => p.y)) + 60;
  const svg = s("svg", {width, height, id: "topology"});
  const highlighted = paths();
  for (const l of v.links) {
    const a = at[l.a.node], b = at[l.b.node];
    const side = l.a.side === "outside" || l.b.side === "outside" ? "outside"
               : l.a.side === "inside" || l.b.side === "inside" ? "inside" : "";
    const cls = [side, l.down ? "down" : "", highlighted.has(l.a.node + "|" + l.b.node) ? "path" : ""];
    const line = s("line", {x1: a.x + 80, y1: a.y + 22, x2: b.x + 80, y2: b.y + 22,
                            class: cls.join(" ").trim(), "data-link": l.a.node + ":" + l.a.interface});
    const words = [l.a.sends && (l.a.node + " sends " + l.a.sends), l.b.sends && (l.b.node + " sends " + l.b.sends),
                   l.down ? "down" : ""].filter(Boolean).join("; ");
    line.append(s("title", {}, l.a.node + ":" + l.a.interface + " -- " + l.b.node + ":" + l.b.interface +
                              (words ? " (" + words + ")" : "")));
    svg.append(line);
  }
  for (const n of v.nodes) {
    const p = at[n.name];
    const g = s("g", {class: "node " + n.kind + (selected === n.name ? " selected" : ""),
                      transform: `translate(${p.x},${p.y})`, "data-node": n.name});
    g.append(s("rect", {width: 160, height: 44}));
    g.append(s("text", {x: 8, y: 17, "font-weight": "bold"}, n.name));
    g.append(s("text", {x: 8, y: 34}, n.kind === "nat" ? (n.lines[0] || "NAT") : n.kind));
    g.append(s("title", {}, [n.name + " (" + n.kind + ")", ...n.lines,
      ...n.interfaces.map((i) => i.name + (i.side ? " " + i.side : "") + ": " + i.addresses.join(", ") +
                                 (i.down ? " (down)" : ""))].join("\n")));
    g.addEventListener("click", () => { selected = selected === n.name ? null : n.name; render(); });
    svg.append(g);
  }
  $("picture-body").replaceChildren(svg);
}

// The links on the way from the selected node to every node it has a mapping
// or flow with, as "a|b" both ways.
function paths() {
  const out = new Set();
  if (!selected || !view) return out;
  const next = {};
  for (const l of view.links) {
    (next[l.a.node] ||= []).push(l.b.node);
    (next[l.b.node] ||= []).push(l.a.node);
  }
  const targets = new Set();
  for (const [nat, info] of Object.entries(view.nats || {}))
    for (const row of info.mappings)
      if (nat === selected || row.inside_node === selected || row.peers.some((p) => p.node === selected)) {
        targets.add(nat);
        if (row.inside_node) targets.add(row.inside_node);
        for (const p of row.peers) if (p.node) targets.add(p.node);
      }
  targets.delete(selected);
  for (const t of targets) {
    const from = {[selected]: null}, queue = [selected];
    for (let i = 0; i < queue.length && !(t in from); i++)
      for (const m of next[queue[i]] || []) if (!(m in from)) { from[m] = queue[i]; queue.push(m); }
    for (let n = t; n && from[n] !== undefined && from[n] !== null; n = from[n]) {
      out.add(n + "|" + from[n]); out.add(from[n] + "|" + n);
    }
  }
  return out;
}

// Each NAT's table is drawn again only when what it shows changed: a large
// lab's page keeps up with events that touch one NAT.
let drawnNats = {};
function drawMappings() {
  const box = $("mappings-body");
  const wanted = Object.keys(view.nats || {});
  if (box.children.length !== wanted.length) { box.replaceChildren(); drawnNats = {}; }
  wanted.forEach((nat, i) => {
    const info = view.nats[nat];
    const key = JSON.stringify(info) + "|" + selected;
    if (drawnNats[nat] === key && box.children[i]) return;
    drawnNats[nat] = key;
    const div = el("div", {class: "nat", "data-nat": nat});
    div.append(el("h3", {}, nat + " "), el("div", {class: "words"}, info.behaviour +
      (info.ports ? " · " + info.ports.description : "")));
    const table = el("table", {class: "mappings"});
    table.append(el("tr", {}, ...["proto", "inside", "public", "peers", "who may come in", "time left"]
      .map((h) => el("th", {}, h))));
    for (const row of info.mappings) {
      const mine = selected && (selected === nat || row.inside_node === selected ||
                                row.peers.some((p) => p.node === selected));
      const peers = row.peers.map((p) => (p.node || p.name || p.remote) + " " + p.remote +
        (p.direction === "inbound" ? " (came in)" : "") + (p.replied ? "" : " (no reply yet)")).join(", ");
      table.append(el("tr", {class: mine ? "selected mapping" : "mapping"},
        el("td", {}, row.protocol),
        el("td", {}, (row.inside_node ? row.inside_node + " " : "") + row.inside),
        el("td", {class: "public"}, row.translated ? row.outside : "(not translated)"),
        el("td", {}, peers), el("td", {}, row.allowed_in),
        el("td", {}, row.static ? "static" : row.time_left == null ? "" : row.time_left + " s")));
    }
    if (!info.mappings.length) table.append(el("tr", {}, el("td", {colspan: 6}, "no mappings")));
    if (info.more_mappings)
      table.append(el("tr", {}, el("td", {colspan: 6}, "and " + info.more_mappings +
        " more (natlab mappings " + lab + " " + nat + " lists them all)")));
    div.append(table);
    for (const lease of info.port_mapping_leases) div.append(el("div", {class: "words"}, "requested: " + lease));
    if (box.children[i]) box.children[i].replaceWith(div); else box.append(div);
  });
}

function drawRest() {
  const box = $("state-body");
  box.replaceChildren();
  const down = view.links.filter((l) => l.down).map((l) => l.a.node + ":" + l.a.interface + " -- " +
                                                          l.b.node + ":" + l.b.interface);
  const conditions = [];
  for (const l of view.links) for (const e of [l.a, l.b]) if (e.sends) conditions.push(e.node + ":" + e.interface + " sends " + e.sends);
  const list = (title, items) => {
    box.append(el("h3", {}, title));
    const ul = el("ul", {});
    for (const i of items.length ? items : ["none"]) ul.append(el("li", {}, i));
    box.append(ul);
  };
  list("links down", down);
  list("link conditions", conditions);
  list("DHCP leases", (view.dhcp_leases || []).map((l) => `${l.node}:${l.interface} ${l.address} (expires ${l.expires})`));
}

async function drawTraffic() {
  try {
    const r = await fetch(api("traffic"));
    const t = await r.json();
    const table = el("table", {id: "traffic"});
    table.append(el("tr", {}, ...["pair", "how", "packets", "bytes"].map((h) => el("th", {}, h))));
    for (const p of t.pairs) {
      const packets = p.direct.a_to_b.packets + p.direct.b_to_a.packets +
        Object.values(p.through).reduce((n, c) => n + c.packets, 0);
      const bytes = p.direct.a_to_b.bytes + p.direct.b_to_a.bytes +
        Object.values(p.through).reduce((n, c) => n + c.bytes, 0);
      table.append(el("tr", {class: "pair"}, el("td", {}, p.a + " ↔ " + p.b), el("td", {}, p.verdict),
                      el("td", {}, String(packets)), el("td", {}, String(bytes))));
    }
    if (!t.pairs.length) table.append(el("tr", {}, el("td", {colspan: 4}, "no pair of hosts has talked yet")));
    $("traffic-body").replaceChildren(table);
  } catch (e) { /* the next round tries again */ }
}

function drawControls() {
  const box = $("controls");
  if (!view.changes_allowed) {
    box.replaceChildren(el("p", {class: "words"}, "read-only: start natlab serve with --allow-changes to change the lab from here"));
    return;
  }
  const nats = view.nodes.filter((n) => n.kind === "nat").map((n) => n.name);
  const hosts = view.nodes.filter((n) => n.kind === "host").map((n) => n.name);
  const ends = view.links.flatMap((l) => [l.a.node + ":" + l.a.interface, l.b.node + ":" + l.b.interface]);
  const pick = (id, options) => { const sel = el("select", {id}); for (const o of options) sel.append(el("option", {value: o}, o)); return sel; };
  const button = (label, make) => { const b = el("button", {}, label); b.addEventListener("click", () => change(make())); return b; };
  box.replaceChildren(
    el("div", {}, pick("c-end", ends), button("down", () => ({action: "link", end: $("c-end").value, state: "down"})),
       button("up", () => ({action: "link", end: $("c-end").value, state: "up"}))),
    el("div", {}, pick("c-nat", nats), pick("c-type", ["full-cone", "restricted-cone", "port-restricted-cone", "symmetric"]),
       button("set type", () => ({action: "set", nat: $("c-nat").value, settings: {type: $("c-type").value}})),
       button("rebind", () => ({action: "rebind", nat: $("c-nat").value})),
       button("flush", () => ({action: "flush", nat: $("c-nat").value}))),
    el("div", {}, pick("c-a", hosts), pick("c-b", hosts),
       button("punch", () => ({action: "punch", a: $("c-a").value, b: $("c-b").value}))),
    el("div", {class: "result", id: "c-result"}));
}

async function change(body) {
  $("c-result").textContent = "…";
  const r = await fetch(api("change"), {method: "POST", headers: {"Content-Type": "application/json",
                                         "X-Natlab-Token": token}, body: JSON.stringify(body)});
  const answer = await r.json();
  $("c-result").textContent = answer.result || answer.error;
  load();
}

// The picture changes with the lab (a link down, a NAT's type) and the
// selection, not with each mapping: drawn again only then.
let drawnPicture = "";
function render() {
  if (!view) return;
  const picture = JSON.stringify([view.nodes, view.links, selected,
    selected ? Object.values(view.nats).map((n) => n.mappings) : 0]);
  if (picture !== drawnPicture) { drawnPicture = picture; drawPicture(); }
  drawMappings();
  drawRest();
}

// One view request at a time: events that come while one is read ask for
// one more after it, never for a pile of them.
let loading = false, again = false;
async function load() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const r = await fetch(api("view"));
    view = await r.json();
  } finally {
    loading = false;
  }
  if (again) { again = false; soon(); }
  $("status").textContent = view.nodes.length + " nodes, " + Object.keys(view.nats).length + " NATs";
  render();
  if (!$("controls").dataset.drawn) { drawControls(); $("controls").dataset.drawn = "1"; }
}

// Many events at once (a flood) fetch the view once.
function soon() {
  if (refetch) return;
  refetch = setTimeout(() => { refetch = null; load(); }, 100);
}

const kMostLogged = 500;
function logEvent(e) {
  const li = el("li", {class: e.kind + (e.event ? " " + e.event.toLowerCase() : "")});
  li.textContent = (e.time || "") + " " + (e.node ? e.node + ": " : "") +
                   (e.kind === "skipped" ? e.count + " events skipped (they came faster than this page reads)" : e.meaning || e.kind);
  const log = $("eventlog");
  log.prepend(li);
  while (log.children.length > kMostLogged) log.lastChild.remove();
}

// The stream opens before the first view is read, and every (re)connection
// reads the view again: nothing that happens in between is missed.
function listen() {
  const events = new EventSource(api("events"));
  events.onopen = () => { document.body.dataset.live = "yes"; $("live").textContent = "live"; load(); };
  events.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.kind === "skipped") { skipped += e.count; $("skipped").textContent = skipped + " events skipped"; }
    if (e.kind !== "lab") logEvent(e);
    soon();
  };
  events.onerror = () => { document.body.dataset.live = ""; $("live").textContent = "reconnecting…"; };
}

document.title = lab + " · natlab";
$("lab").textContent = lab;
listen();
// Time left counts down between events too.
setInterval(soon, 5000);
// Traffic is read again 2 s after the last answer came.
(async function traffic() { await drawTraffic(); setTimeout(traffic, 2000); })();
)js";

}  // namespace

std::string_view lab_page() {
    static const std::string page = std::string(R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>natlab</title><link rel="icon" href="data:,"><style>)html") +
                                    std::string(kStyle) + R"html(</style></head>
<body>
<header><h1 id="lab"></h1><span class="status" id="status">loading…</span><span class="status" id="live"></span><span id="skipped"></span></header>
<main>
<section id="picture"><h2>Topology</h2><div id="picture-body"></div></section>
<section id="mappings"><h2>NAT mappings</h2><div id="mappings-body"></div></section>
<section id="events"><h2>Events</h2><ul id="eventlog"></ul></section>
<section id="traffic-section"><h2>Traffic</h2><div id="traffic-body"></div></section>
<section id="state"><h2>Links and leases</h2><div id="state-body"></div></section>
<section id="changes"><h2>Changes</h2><div class="controls" id="controls"></div></section>
</main>
<script>)html" + std::string(kScript) +
                                    R"html(</script>
</body></html>
)html";
    return page;
}

std::string index_page(const std::vector<std::string>& labs) {
    std::string items;
    for (const auto& lab : labs)
        items += "<li><a href=\"/lab/" + xml_escape(lab) + "\">" + xml_escape(lab) + "</a></li>\n";
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>natlab "
           "serve</title></head>\n<body><h1>Labs</h1><ul>\n" +
           items + "</ul></body></html>\n";
}

}  // namespace natlab
