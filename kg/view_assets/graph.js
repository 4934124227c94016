// The page's behaviour: tooltips, legend and filters, search, date slider, neighbourhood highlight.
// Fact text is untrusted: it is only ever shown with textContent, and only http(s) URLs become links.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const $ = (id) => document.getElementById(id);
  const DIMMED = { color: "rgba(190,190,190,0.3)", font: "rgba(150,150,150,0.4)" };

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  // The details of a node or edge, as DOM elements: heading, type, rows, quotes in full, sources as links.
  function detailsElement(details, hint) {
    const box = element("div", null, "kg-details");
    box.append(element("strong", details.heading), element("div", details.type, "kg-type"));
    if (details.rows.length) {
      const table = element("table");
      for (const [name, value] of details.rows) {
        const row = table.insertRow();
        row.append(element("th", name), element("td", value));
      }
      box.append(table);
    }
    for (const quote of details.quotes) box.append(element("blockquote", quote));
    if (details.sources.length) {
      const list = element("ul", null, "kg-sources");
      for (const source of details.sources) {
        const item = element("li");
        const href = source.url && safeUrl(source.url);
        const title = element(href ? "a" : "span", source.title);
        if (href) Object.assign(title, { href: href, target: "_blank", rel: "noopener noreferrer" });
        item.append(title);
        if (source.meta) item.append(element("span", " — " + source.meta, "kg-meta"));
        if (source.quote) item.append(element("blockquote", source.quote));
        list.append(item);
      }
      box.append(element("div", "Sources", "kg-type"), list);
    }
    if (hint) box.append(element("div", hint, "kg-hint"));
    return box;
  }

  const HINT = "Click to keep these details open, with links you can follow.";
  const nodes = new vis.DataSet(data.nodes.map((n) => ({ ...n, title: detailsElement(n.details, HINT) })));
  const edges = new vis.DataSet(data.edges.map((e) => ({ ...e, title: detailsElement(e.details, HINT) })));
  const network = new vis.Network($("network"), { nodes: nodes, edges: edges }, data.options);
  const state = { classes: new Set(), relations: new Set(), asOf: null };
  window.kgView = { network: network, nodes: nodes, edges: edges, stable: false, state: state };

  function markStable() {
    network.setOptions({ physics: { enabled: false } });
    window.kgView.stable = true;
    $("status").textContent = "";
  }
  if (data.options.physics.enabled) {
    $("status").textContent = "laying out…";
    network.once("stabilizationIterationsDone", markStable);
  } else {
    network.once("afterDrawing", markStable);
  }

  // ---- visibility: class and relation filters, and the as-of date
  const days = data.nodes.map((n) => n.date).concat(data.edges.map((e) => e.validFrom));
  const dates = [...new Set(days.filter(Boolean))].sort();

  function nodeVisible(node) {
    return state.classes.has(node.group) && (state.asOf === null || !node.date || node.date <= state.asOf);
  }

  function edgeVisible(edge, shown) {
    const inForce = state.asOf === null ||
      ((edge.validFrom || "") <= state.asOf && (!edge.validUntil || edge.validUntil >= state.asOf));
    return state.relations.has(edge.relation) && inForce && shown.has(edge.from) && shown.has(edge.to);
  }

  function applyFilters() {
    const shown = new Set(data.nodes.filter(nodeVisible).map((n) => n.id));
    nodes.update(data.nodes.map((n) => ({ id: n.id, hidden: !shown.has(n.id) })));
    edges.update(data.edges.map((e) => ({ id: e.id, hidden: !edgeVisible(e, shown) })));
    $("status").textContent = `${shown.size} of ${data.nodes.length} nodes shown`;
  }

  function swatch(style, isEdge) {
    const mark = element("span", null, isEdge ? "swatch edge" : "swatch " + style.shape);
    if (isEdge) {
      mark.style.borderTop = `${Math.max(2, style.width)}px ${style.dashes ? "dashed" : "solid"} ${style.color}`;
    } else {
      mark.style.setProperty("--swatch", style.color);
    }
    return mark;
  }

  function addFilters(listId, items, chosen, isEdge) {
    const list = $(listId);
    for (const item of items) {
      chosen.add(item.name);
      const box = element("input");
      Object.assign(box, { type: "checkbox", checked: true, value: item.name });
      box.addEventListener("change", () => {
        box.checked ? chosen.add(item.name) : chosen.delete(item.name);
        applyFilters();
      });
      const label = element("label");
      label.append(box, swatch(item, isEdge), element("span", item.label));
      const group = item.shape || item.kind;
      const entry = element("li", null, list.lastChild && list.lastChild.dataset.group !== group ? "group-start" : "");
      entry.dataset.group = group;
      entry.append(label);
      list.append(entry);
    }
  }
  addFilters("class-filters", data.classes, state.classes, false);
  addFilters("relation-filters", data.relations, state.relations, true);

  const slider = $("date-slider");
  slider.max = String(dates.length);
  slider.value = String(dates.length);
  slider.addEventListener("input", () => {
    const index = Number(slider.value);
    state.asOf = index < dates.length ? dates[index] : null;
    $("date-label").textContent = state.asOf || "all dates";
    applyFilters();
  });

  // ---- highlight a node's neighbourhood, dim the rest; show its details in the side panel
  function highlight(id) {
    const near = new Set(id === null ? [] : [id, ...network.getConnectedNodes(id)]);
    const around = new Set(id === null ? [] : network.getConnectedEdges(id));
    nodes.update(data.nodes.map((n) => id === null || near.has(n.id)
      ? { id: n.id, color: n.color, font: { color: "#222" } }
      : { id: n.id, color: DIMMED.color, font: { color: DIMMED.font } }));
    edges.update(data.edges.map((e) => id === null || around.has(e.id)
      ? { id: e.id, color: e.color, font: { color: "#555" } }
      : { id: e.id, color: DIMMED.color, font: { color: "rgba(0,0,0,0)" } }));
  }

  function showDetails(item) {
    const panel = $("details");
    panel.replaceChildren();
    panel.hidden = !item;
    if (item) panel.append(detailsElement(item.details));
  }

  network.on("click", (event) => {
    const id = event.nodes.length ? event.nodes[0] : null;
    highlight(id);
    showDetails(id !== null ? nodes.get(id) : event.edges.length ? edges.get(event.edges[0]) : null);
  });

  // ---- search by label or alias
  const names = new Map();
  for (const node of data.nodes) {
    for (const name of [node.name, ...node.aliases]) {
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), node.id);
      $("search-names").append(Object.assign(element("option"), { value: name }));
    }
  }

  function find(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return null;
    if (names.has(wanted)) return names.get(wanted);
    const partial = [...names.keys()].sort().find((name) => name.includes(wanted));
    return partial === undefined ? null : names.get(partial);
  }

  $("search").addEventListener("change", (event) => {
    const id = find(event.target.value);
    $("status").textContent = id === null ? `nothing found for “${event.target.value}”` : "";
    if (id === null) return;
    network.selectNodes([id]);
    highlight(id);
    showDetails(nodes.get(id));
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
  });

  // ---- reset everything
  $("reset").addEventListener("click", () => {
    for (const box of document.querySelectorAll("#legend input")) box.checked = true;
    data.classes.forEach((c) => state.classes.add(c.name));
    data.relations.forEach((r) => state.relations.add(r.name));
    slider.value = slider.max;
    slider.dispatchEvent(new Event("input"));
    $("search").value = "";
    network.unselectAll();
    highlight(null);
    showDetails(null);
    network.fit({ animation: { duration: 400 } });
  });
})();
