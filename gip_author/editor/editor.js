// gip-author edit: the page's script.  The server checks every change with the rules of `gip-author check`;
// this script keeps totals up to date, pastes blocks of cells, moves between cells and shows the messages.
"use strict";
(function () {
  const state = JSON.parse(document.getElementById("state").textContent);
  const values = state.values;
  const doc = document.getElementById("doc");
  const fields = {};
  document.querySelectorAll("[name]").forEach((el) => { fields[el.name] = el; });
  const sums = state.sums;                       // [total, [parts]]
  const position = {};                           // cell id -> [table, row, column]
  for (const [table, grid] of Object.entries(state.grids)) {
    grid.forEach((row, r) => row.forEach((cid, c) => { position[cid] = [table, r, c]; }));
  }
  const listFor = (field) => {
    if (position[field]) return doc.querySelector(`ul[data-table="${position[field][0]}"]`);
    return [...doc.querySelectorAll("ul[data-for]")].find((ul) => ul.dataset.for.split(" ").includes(field))
      || doc.querySelector('ul[data-for=""]');
  };
  let dirty = false;

  // ------------------------------------------------------------------ totals follow their parts
  const num = (v) => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : null);
  const addsUp = (vals, total, parts) => {
    const t = num(vals[total]);
    const ps = parts.map((p) => num(vals[p]));
    return t !== null && !ps.includes(null) && Math.abs(ps.reduce((a, b) => a + b, 0) - t) < 1e-9;
  };
  function setValue(cid, v) {
    values[cid] = v;
    if (fields[cid] && fields[cid].value !== v) fields[cid].value = v;
  }
  // A part changed from `before` (the values before the edit): every total that added up before follows it.
  function follow(changed, before) {
    const done = new Set(changed);
    let queue = [...changed];
    while (queue.length) {
      const next = [];
      for (const [total, parts] of sums) {
        if (done.has(total) || !parts.some((p) => queue.includes(p))) continue;
        const wasOk = addsUp(before, total, parts);
        const ps = parts.map((p) => num(values[p]));
        if (!wasOk || ps.includes(null)) continue;
        setValue(total, String(ps.reduce((a, b) => a + b, 0)));
        done.add(total); next.push(total);
      }
      queue = next;
    }
  }

  // ------------------------------------------------------------------ live checks
  let seq = 0, shownSeq = 0, inflight = null;
  function check() {
    const mine = ++seq;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    fetch("api/check", { method: "POST", headers: { "Content-Type": "application/json" },
                         body: JSON.stringify({ values }), signal: inflight.signal })
      .then((r) => r.json())
      .then((res) => { if (mine > shownSeq) { shownSeq = mine; show(res); } })
      .catch((e) => { if (e.name !== "AbortError") status("检查没有完成：" + e.message, "bad"); });
  }
  function show(res) {
    doc.querySelectorAll("ul.msgs").forEach((ul) => ul.replaceChildren());
    doc.querySelectorAll(".has-error, .has-warning").forEach((el) => {
      el.classList.remove("has-error", "has-warning"); el.removeAttribute("aria-invalid");
    });
    for (const p of res.problems) {
      const li = document.createElement("li");
      li.className = p.severity;
      li.dataset.rule = p.rule;
      li.dataset.field = p.field;
      const el = fields[p.field];
      if (position[p.field]) {
        const where = document.createElement("b");
        where.textContent = p.label.replace(/^表[二三四] /, "") + "：";
        li.append(where);
      }
      li.append(document.createTextNode(p.message + " "));
      const rule = document.createElement("small");
      rule.textContent = `[${p.rule}]`;
      li.append(rule);
      if (el) {
        el.classList.add(p.severity === "error" ? "has-error" : "has-warning");
        if (p.severity === "error") el.setAttribute("aria-invalid", "true");
        li.addEventListener("click", () => el.focus());
      }
      listFor(p.field).append(li);
    }
    const summary = document.getElementById("summary");
    summary.textContent = res.errors || res.warnings ? `${res.errors} 个错误，${res.warnings} 个警告` : "检查通过";
    summary.className = "summary " + (res.errors ? "bad" : res.warnings ? "warn" : "ok");
  }
  document.getElementById("summary").addEventListener("click", () => {
    const first = doc.querySelector("ul.msgs li.error") || doc.querySelector("ul.msgs li");
    if (!first) return;
    const el = fields[first.dataset.field];
    (el || first).scrollIntoView({ block: "center" });
    if (el) el.focus();
  });
  function status(text, cls) {
    const el = document.getElementById("status");
    el.textContent = text; el.className = "status " + (cls || "");
  }

  // ------------------------------------------------------------------ typing, pasting, moving
  doc.addEventListener("input", (e) => {
    const el = e.target;
    if (!el.name || !(el.name in values)) return;
    const before = { ...values };
    values[el.name] = el.value;
    if (position[el.name]) follow([el.name], before);
    if (el.name === "agency" || el.name === "year") {
      document.getElementById("title").textContent = `${values.agency}${values.year}年政府信息公开工作年度报告`;
    }
    dirty = true; status("有未保存的修改");
    check();
  });
  doc.addEventListener("paste", (e) => {
    const el = e.target, at = position[el.name];
    if (!at) return;
    const text = (e.clipboardData || window.clipboardData).getData("text/plain").replace(/\r/g, "").replace(/\n+$/, "");
    if (!/[\t\n]/.test(text)) return;              // one value: the browser pastes it
    e.preventDefault();
    const [table, r0, c0] = at, grid = state.grids[table], before = { ...values }, pasted = [];
    text.split("\n").forEach((line, i) => {
      const row = grid[r0 + i];
      if (!row) return;
      line.split("\t").forEach((v, j) => {
        const cid = row[c0 + j];
        if (cid) { setValue(cid, v.trim().replace(/[,，]/g, "")); pasted.push(cid); }
      });
    });
    // totals the block did not give follow the pasted parts (when they added up before)
    for (const [total, parts] of sums) {
      if (pasted.includes(total) || !parts.some((p) => pasted.includes(p))) continue;
      const wasOk = addsUp(before, total, parts);
      const ps = parts.map((p) => num(values[p]));
      if (wasOk && !ps.includes(null)) setValue(total, String(ps.reduce((a, b) => a + b, 0)));
    }
    dirty = true; status(`已粘贴 ${pasted.length} 个格子`);
    check();
  });
  doc.addEventListener("keydown", (e) => {
    const at = position[e.target.name];
    if (!at || e.key !== "Enter") return;
    e.preventDefault();
    const [table, r, c] = at, grid = state.grids[table];
    for (let i = r + (e.shiftKey ? -1 : 1); i >= 0 && i < grid.length; i += e.shiftKey ? -1 : 1) {
      const cid = grid[i][Math.min(c, grid[i].length - 1)];
      if (fields[cid]) { fields[cid].focus(); fields[cid].select(); return; }
    }
  });
  // a cell entered by Tab or by a click has its number selected, so typing replaces it (as in Excel)
  let entered = null;
  doc.addEventListener("focusin", (e) => { if (position[e.target.name]) { e.target.select(); entered = e.target; } });
  doc.addEventListener("mouseup", (e) => { if (e.target === entered) e.preventDefault(); entered = null; });

  // ------------------------------------------------------------------ saving, preview, build
  function post(url) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ values }) })
      .then((r) => r.json().then((body) => ({ ok: r.ok, status: r.status, body })));
  }
  function save() {
    status("正在保存……");
    return post("api/save").then(({ ok, body }) => {
      if (!ok) { status(body.error, "bad"); return false; }
      dirty = false;
      status(`已保存 ${body.saved}（上一版本备份为 ${body.backup.split("/").pop()}）` + (body.rewritten ? "；文件已按模板格式重写" : ""), "ok");
      return true;
    }).catch((e) => { status("没有保存：" + e.message, "bad"); return false; });
  }
  document.getElementById("save").addEventListener("click", save);
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
  });
  document.getElementById("reload").addEventListener("click", () => {
    if (!dirty || window.confirm("放弃本页未保存的修改，重新读入文件？")) { dirty = false; window.location.reload(); }
  });
  const pane = document.getElementById("preview-pane"), frame = document.getElementById("preview-frame");
  document.getElementById("preview").addEventListener("click", () => {
    post("api/check").then(() => { frame.src = "preview?t=" + Date.now(); pane.hidden = false; });
  });
  document.getElementById("preview-close").addEventListener("click", () => { pane.hidden = true; });
  document.getElementById("build").addEventListener("click", () => {
    status("正在保存并生成 DOCX、PDF、HTML……");
    post("api/build").then(({ ok, body }) => {
      if (!ok) { status(body.error, "bad"); return; }
      dirty = false;
      status((body.draft ? `已生成草稿（还有 ${body.errors} 个错误，每页带“草稿”水印）：` : "已生成：") + body.files.join("、"),
             body.draft ? "warn" : "ok");
    }).catch((e) => status("生成失败：" + e.message, "bad"));
  });
  window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });

  document.querySelectorAll("select[name]").forEach((el) => { el.value = values[el.name]; });
  show(state);
})();
