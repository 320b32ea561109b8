/* The governance panel: the value accounting of graphmodel recomputed from per-user sums.
 *
 * Mirrors, operation for operation, graphmodel.model.accounting (user_accounts,
 * platform_accounts), graphmodel.analysis.scenario.levers (apply_levers),
 * graphmodel.analysis.scenario.figures (figures), graphmodel.analysis.value.capture
 * (capture_table) and graphmodel.analysis.value.inequality (gini, lorenz), so the page
 * prints what `graphmodel scenario` and `graphmodel value --by platform|actor` print.
 * No network, no library: the data are in the #gm-panel-data script element.
 */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("gm-panel-data").textContent);
  const $ = (id) => document.getElementById(id);
  const NS = "http://www.w3.org/2000/svg";
  const LEVER_ORDER = ["dividend", "data_union", "opt_out", "task_cap", "take_rate_cap"];
  const ACTORS = ["users", "streamers", "merchants", "platform"];
  let A = null;            // the embedded arrays, as Float64Array
  let tcStart = null;      // first completion of each embedded user
  let pathClass = null;    // each path group's (hops, depth) class
  const classes = [];      // the classes, [hops, depth]
  const reference = Object.assign({}, D.params);
  const state = { params: Object.assign({}, D.params), levers: {} };

  // ---- decoding ------------------------------------------------------------------
  async function decode() {
    const bin = Uint8Array.from(atob(D.blob), (c) => c.charCodeAt(0));
    const stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
    const buf = await new Response(stream).arrayBuffer();
    const types = { u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, f8: Float64Array };
    const out = {};
    for (const [name, [code, at, n]] of Object.entries(D.layout)) {
      out[name] = Float64Array.from(new types[code](buf, at, n));
    }
    A = out;
    tcStart = new Float64Array(A.tc_n.length + 1);
    for (let i = 0; i < A.tc_n.length; i++) tcStart[i + 1] = tcStart[i] + A.tc_n[i];
    // the (hops, depth) classes of the path groups: one attribution weight each
    const seen = new Map();
    pathClass = new Uint32Array(A.anc.length);
    for (let g = 0; g < A.anc.length; g++) {
      const k = A.hops[g] + "/" + A.depth[g];
      if (!seen.has(k)) { seen.set(k, classes.length); classes.push([A.hops[g], A.depth[g]]); }
      pathClass[g] = seen.get(k);
    }
  }

  // ---- the model -------------------------------------------------------------------
  function ratio(num, den) { return den !== 0 ? num / den : NaN; }

  function weight(model, hops, depth, delta) {
    // graphmodel.model.attribution: the registered rules
    if (model === "decay") {
      if (delta === 1.0) return 1.0 / depth;
      const norm = (1.0 - Math.pow(delta, depth)) / (1.0 - delta);
      return Math.pow(delta, hops - 1.0) / norm;
    }
    if (model === "linear") return 1.0 / depth;
    if (model === "last") return hops === 1 ? 1.0 : 0.0;
    if (model === "first") return hops === depth ? 1.0 : 0.0;
    return NaN;
  }

  /* Per embedded user: labour (s), data units, value produced V, credit R, value returned v,
   * under parameters P and the levers that change the accounting (take_rate_cap, opt_out,
   * task_cap); then the platform's column totals. Each linear form adds its terms in the
   * order of graphmodel.model (labour_weights, data_unit_weights, base_weights). */
  function accounts(P, L, role) {
    const m = A.watch_s.length;
    const take = ("take_rate_cap" in L) ? Math.min(P.take_rate, L.take_rate_cap) : P.take_rate;
    const f = L.opt_out || 0;
    const cap = ("task_cap" in L) ? Math.trunc(L.task_cap) : -1;
    const price = P.alpha * P.p_data;
    const w0 = P.w_like, w1 = P.w_comment, w2 = P.w_share, w3 = P.w_purchase, w4 = P.w_watch;
    const w5 = 4.0 * P.w_watch;
    const p0 = price * w0, p1 = price * w1, p2 = price * w2, p3 = price * w3, p4 = price * w4;
    const p5 = price * w5;
    const lam = P.lambda, tl = P.tau_like, tc = P.tau_comment, ts = P.tau_share;
    const cy = P.coin_yuan;
    const labour = buf(role + "L", m), data = buf(role + "D", m), V = buf(role + "V", m);
    const R = buf(role + "R", m).fill(0), v = buf(role + "v", m);
    const out = outBuf || (outBuf = new Uint8Array(m));
    for (let i = 0; i < m; i++) out[i] = f && A.draw[i] < f ? 1 : 0;
    // credit along referral paths: lambda x w(hops, depth) x b of the arrival
    const lw = classes.map(([h, d]) => lam * weight(P.attribution, h, d, P.delta));
    {
      const anc = A.anc, arr = A.arr, cls = pathClass, pa = A.p_attention_value, pg = A.p_gmv;
      const q0 = A.p_likes, q1 = A.p_comments, q2 = A.p_shares, q3 = A.p_purchases;
      const q4 = A.p_watches, q5 = A.p_completion;
      for (let g = 0; g < anc.length; g++) {
        let b = 1.0 * pa[g];
        b = b + take * pg[g];
        if (out[arr[g]]) {
          b = b + p0 * 0.0; b = b + p1 * 0.0; b = b + p2 * 0.0;
          b = b + p3 * 0.0; b = b + p4 * 0.0; b = b + p5 * 0.0;
        } else {
          b = b + p0 * q0[g]; b = b + p1 * q1[g]; b = b + p2 * q2[g];
          b = b + p3 * q3[g]; b = b + p4 * q4[g]; b = b + p5 * q5[g];
        }
        R[anc[g]] += lw[cls[g]] * b;
      }
    }
    const ws = A.watch_s, taps = A.taps, att = A.attention_value, gmv = A.gmv;
    const u0 = A.likes, u1 = A.comments, u2 = A.shares, u3 = A.purchases, u4 = A.watches;
    const u5 = A.completion;
    const ra = A.ref_attention_value, rg = A.ref_gmv, r0 = A.ref_likes, r1 = A.ref_comments;
    const r2 = A.ref_shares, r3 = A.ref_purchases, r4 = A.ref_watches, r5 = A.ref_completion;
    const coinsA = A.coins, couponsA = A.coupons, tcN = A.tc_n;
    let tAtt = 0, tGmv = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
    let o0 = 0, o1 = 0, o2 = 0, o3 = 0, o4 = 0, o5 = 0;   // profiled users only
    for (let i = 0; i < m; i++) {
      let lab = 1.0 * ws[i];
      lab = lab + tl * taps[i];
      lab = lab + tc * u1[i];
      lab = lab + ts * u2[i];
      labour[i] = lab;
      let d = w0 * u0[i];
      d = d + w1 * u1[i]; d = d + w2 * u2[i]; d = d + w3 * u3[i];
      d = d + w4 * u4[i]; d = d + w5 * u5[i];
      data[i] = d;
      let b = 1.0 * att[i];
      b = b + take * gmv[i];
      let rb = 1.0 * ra[i];
      rb = rb + take * rg[i];
      if (out[i]) {
        b = b + p0 * 0.0; b = b + p1 * 0.0; b = b + p2 * 0.0;
        b = b + p3 * 0.0; b = b + p4 * 0.0; b = b + p5 * 0.0;
        rb = rb + p0 * 0.0; rb = rb + p1 * 0.0; rb = rb + p2 * 0.0;
        rb = rb + p3 * 0.0; rb = rb + p4 * 0.0; rb = rb + p5 * 0.0;
      } else {
        b = b + p0 * u0[i]; b = b + p1 * u1[i]; b = b + p2 * u2[i];
        b = b + p3 * u3[i]; b = b + p4 * u4[i]; b = b + p5 * u5[i];
        rb = rb + p0 * r0[i]; rb = rb + p1 * r1[i]; rb = rb + p2 * r2[i];
        rb = rb + p3 * r3[i]; rb = rb + p4 * r4[i]; rb = rb + p5 * r5[i];
        o0 += u0[i]; o1 += u1[i]; o2 += u2[i]; o3 += u3[i]; o4 += u4[i]; o5 += u5[i];
      }
      t0 += u0[i]; t1 += u1[i]; t2 += u2[i]; t3 += u3[i]; t4 += u4[i]; t5 += u5[i];
      tAtt += att[i];
      tGmv += gmv[i];
      V[i] = (b - lam * rb) + R[i];
      let coins = coinsA[i], coupons = couponsA[i];
      if (cap >= 0 && tcN[i] > cap) {
        coins = 0.0; coupons = 0.0;
        for (let k = tcStart[i]; k < tcStart[i] + cap; k++) {
          coins += A.tc_coins[k]; coupons += A.tc_coupons[k];
        }
      }
      v[i] = coins * cy + coupons;
    }
    // the platform's linear forms over the column totals (platform_accounts, Accounts.totals)
    let units = w0 * t0;
    units = units + w1 * t1; units = units + w2 * t2; units = units + w3 * t3;
    units = units + w4 * t4; units = units + w5 * t5;
    let dataValue = p0 * o0;
    dataValue = dataValue + p1 * o1; dataValue = dataValue + p2 * o2;
    dataValue = dataValue + p3 * o3; dataValue = dataValue + p4 * o4;
    dataValue = dataValue + p5 * o5;
    let base = 1.0 * tAtt;
    base = base + take * tGmv;
    base = base + p0 * o0; base = base + p1 * o1; base = base + p2 * o2;
    base = base + p3 * o3; base = base + p4 * o4; base = base + p5 * o5;
    return { take, labour, data, V, R, v, attention: 1.0 * tAtt, commerce: take * tGmv,
      dataValue, base, units, gmv: tGmv };
  }

  function leverReturned(acc, L) {
    // apply_levers: the dividend on V, then the data-union floor
    const ret = buf("ret", acc.v.length);
    ret.set(acc.v);
    if (L.dividend) {
      for (let i = 0; i < ret.length; i++) ret[i] = ret[i] + L.dividend * acc.V[i];
    }
    if (L.data_union) {
      for (let i = 0; i < ret.length; i++) ret[i] = Math.max(ret[i], L.data_union * acc.data[i]);
    }
    return ret;
  }

  /* Work arrays by name, reused from one move to the next (no garbage to collect). */
  const buffers = new Map();
  let outBuf = null;
  function buf(name, n) {
    let b = buffers.get(name);
    if (!b || b.length !== n) { b = new Float64Array(n); buffers.set(name, b); }
    return b;
  }

  function sum(x) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s; }

  /* x in ascending order: an LSD radix sort of the float64 bit patterns (16 bits a pass),
   * which order like the numbers when none is negative (-0 counted as 0); otherwise the
   * built-in sort. Same order as numpy's sort, in a few milliseconds for 100,000 users. */
  const counts = new Uint32Array(65536);
  function sorted(x, role) {
    const n = x.length;
    const src = buf(role + "s1", n);
    for (let i = 0; i < n; i++) {
      if (!(x[i] >= 0)) return Float64Array.from(x).sort();
      src[i] = x[i] + 0.0;
    }
    let a = new Uint32Array(src.buffer), b = new Uint32Array(buf(role + "s2", n).buffer);
    for (let pass = 0; pass < 4; pass++) {
      const word = pass >> 1, shift = (pass & 1) * 16;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(a[2 * i + word] >>> shift) & 0xffff]++;
      if (n === 0 || counts[(a[word] >>> shift) & 0xffff] === n) continue;  // nothing moves
      let total = 0;
      for (let k = 0; k < 65536; k++) { const c = counts[k]; counts[k] = total; total += c; }
      for (let i = 0; i < n; i++) {
        const j = counts[(a[2 * i + word] >>> shift) & 0xffff]++;
        b[2 * j] = a[2 * i];
        b[2 * j + 1] = a[2 * i + 1];
      }
      const t = a; a = b; b = t;
    }
    return new Float64Array(a.buffer, a.byteOffset, n);
  }

  /* Gini over all users (the users left out of the page hold 0 and sort first). */
  function gini(s) {
    const n = D.users, z = n - s.length;
    let total = 0, dot = 0;
    for (let j = 0; j < s.length; j++) { total += s[j]; dot += (j + 1 + z) * s[j]; }
    if (n === 0 || total === 0) return NaN;
    return 2.0 * dot / (n * total) - (n + 1.0) / n;
  }
  function roundHalfEven(x) {
    const r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }
  function lorenz(s, points) {
    const n = D.users, z = n - s.length;
    const cum = buf("cum", s.length + 1);
    for (let j = 0; j < s.length; j++) cum[j + 1] = cum[j] + s[j];
    const total = cum[s.length];
    const pop = [], share = [];
    for (let i = 0; i < points; i++) {
      const p = i === points - 1 ? 1.0 : i * (1.0 / (points - 1));
      const k = roundHalfEven(p * n);
      pop.push(p);
      share.push(total > 0 ? (k <= z ? 0 : cum[k - z]) / total : NaN);
    }
    return { pop, share };
  }

  function wages(labour, ret, P) {
    let worked = 0, below = 0, unpaid = 0;
    for (let i = 0; i < labour.length; i++) {
      if (labour[i] > 0) {
        worked++;
        if (ret[i] === 0) unpaid++;
        if (!(ret[i] / (labour[i] / 3600.0) >= P.min_wage_hour)) below++;
      }
    }
    return { worked, below, unpaid };
  }

  /* figures(): the headline figures of graphmodel.analysis.scenario.figures. */
  function headline(acc, ret, P, sortedV, role, sortedRet) {
    const sumV = sum(ret), R = sum(acc.R), s = {};
    const sv = sortedRet || sorted(ret, role + "v"), sV = sortedV || sorted(acc.V, role + "V");
    const w = wages(acc.labour, ret, P);
    s.figures = {
      platform_revenue: D.spend + acc.commerce + acc.dataValue - sumV,
      labour_hours: sum(acc.labour) / 3600.0,
      user_generated_value: acc.base,
      value_returned: sumV,
      exploitation_rate: ratio(acc.base - sumV, sumV),
      relational_share: ratio(R, acc.base),
      gini_value_produced: gini(sV),
      gini_value_returned: gini(sv),
      below_min_wage_share: ratio(w.below, w.worked),
    };
    s.lorenz = { value_produced: lorenz(sV, 101), value_returned: lorenz(sv, 101) };
    s.capture = capture(acc, sumV);
    s.wages = w;
    s.relational = R;
    s.sortedV = sV;
    s.sortedRet = sv;
    return s;
  }

  function capture(acc, returned) {
    // capture_table, with the levers' take rate, data value and value returned
    const gmv = acc.gmv, commission = D.commission, take = acc.take * gmv;
    const rows = [
      ["users", returned, 0.0],
      ["streamers", commission, 0.0],
      ["merchants", gmv - commission - take, 0.0],
      ["platform", D.spend + take - returned, acc.dataValue],
    ];
    let whole = 0;
    const out = {};
    for (const [actor, cash, asset] of rows) {
      out[actor] = { cash, data_asset: asset, total: cash + asset };
      whole += cash + asset;
    }
    for (const a of ACTORS) out[a].share = whole ? out[a].total / whole : NaN;
    return out;
  }

  /* Everything the page shows for a setting {params, levers}. The baseline of the last
   * parameters is kept: moving a lever recomputes the scenario alone. */
  let held = { key: null }, heldLevers = { key: null };
  function compute(params, levers) {
    const P = Object.assign({}, reference, params || {});
    const L = Object.assign({}, levers || {});
    const key = JSON.stringify(Object.keys(D.parameters).map((k) => P[k]));
    if (held.key !== key) {
      // v depends on coin_yuan alone: its order is kept while other parameters move
      const acc = accounts(P, {}, "b");
      const sv = held.key !== null && held.cy === P.coin_yuan ? held.b.sortedRet : null;
      held = { key, cy: P.coin_yuan, base: acc, b: headline(acc, acc.v, P, null, "b", sv) };
    }
    const base = held.base, b = held.b;
    const changes = ("take_rate_cap" in L && L.take_rate_cap < P.take_rate) || L.opt_out
      || ("task_cap" in L && Math.trunc(L.task_cap) < D.max_tasks);
    let s = b;
    if (changes) {
      // the levers' accounting, kept while only the dividend or the floor moves
      const skey = key + JSON.stringify([L.take_rate_cap, L.opt_out, L.task_cap]);
      if (heldLevers.key !== skey) {
        const acc = accounts(P, L, "s");
        heldLevers = { key: skey, acc, sortedV: sorted(acc.V, "sV") };
      }
      const accL = heldLevers.acc;
      s = headline(accL, leverReturned(accL, L), P, heldLevers.sortedV, "s");
    } else if (Object.keys(L).length) {
      s = headline(base, leverReturned(base, L), P, b.sortedV, "s");
    }
    const platform = {
      users: D.users, labour_hours: b.figures.labour_hours, data_units: base.units,
      attention_value: base.attention, commerce_value: base.commerce,
      data_value: base.dataValue, user_generated_value: base.base,
      value_returned: b.figures.value_returned,
      surplus: base.base - b.figures.value_returned,
      exploitation_rate: b.figures.exploitation_rate, relational_value: b.relational,
      relational_share: b.figures.relational_share, unallocated_ad_spend: D.unallocated,
      wholly_unpaid_users: b.wages.unpaid,
      below_min_wage_share: b.figures.below_min_wage_share,
    };
    return { baseline: b.figures, value: s.figures, platform,
      capture: { baseline: b.capture, value: s.capture },
      lorenz: { baseline: b.lorenz, value: s.lorenz } };
  }

  // ---- the address fragment and the scenario file ----------------------------------
  function num(x) { return String(x); }
  function fragment() {
    const parts = [];
    for (const name of LEVER_ORDER) {
      if (name in state.levers) parts.push(name + "=" + num(state.levers[name]));
    }
    for (const name of Object.keys(D.parameters)) {
      if (state.params[name] !== reference[name]) {
        parts.push(name + "=" + encodeURIComponent(num(state.params[name])));
      }
    }
    return parts.join("&");
  }
  function readFragment(text) {
    const params = Object.assign({}, reference), levers = {}, problems = [];
    for (const part of text.replace(/^#/, "").split("&")) {
      if (!part) continue;
      const [name, raw] = part.split("=");
      const value = decodeURIComponent(raw || "");
      if (name in D.levers) {
        const x = Number(value), lv = D.levers[name];
        if (value !== "" && x >= lv.low && x <= lv.high) levers[name] = x;
        else problems.push(part);
      } else if (name in D.parameters) {
        const p = D.parameters[name];
        if (p.choices.length) {
          if (D.live_models.includes(value)) params[name] = value; else problems.push(part);
        } else {
          const x = Number(value);
          if (value !== "" && x >= p.low && x <= p.high) params[name] = x;
          else problems.push(part);
        }
      } else problems.push(part);
    }
    return { params, levers, problems };
  }
  function tomlValue(x) { return typeof x === "string" ? JSON.stringify(x) : num(x); }
  function toml() {
    const src = D.title || "LOG";
    const seed = D.seed ? " --seed " + D.seed : "";
    const lines = [
      "# A governance scenario from the panel of " + src + "; run it with",
      "#   graphmodel scenario --source " + src + " --file scenario.toml --config scenario.toml" + seed,
      "", "[params]",
    ];
    for (const name of Object.keys(D.parameters)) {
      lines.push(name + " = " + tomlValue(state.params[name]));
    }
    lines.push("", "[scenario.panel]");
    const set = LEVER_ORDER.filter((n) => n in state.levers);
    if (!set.length) lines.push("dividend = 0.0  # no lever set: the baseline itself");
    for (const n of set) lines.push(n + " = " + tomlValue(state.levers[n]));
    return lines.join("\n") + "\n";
  }
  function command() {
    const src = D.title || "LOG";
    const parts = ["graphmodel scenario --source " + src];
    for (const n of LEVER_ORDER) if (n in state.levers) parts.push("--lever " + n + "=" + num(state.levers[n]));
    if (!Object.keys(state.levers).length) parts.push("--lever dividend=0");
    for (const name of Object.keys(D.parameters)) {
      if (state.params[name] !== D.parameters[name].default) {
        parts.push("--param " + name + "=" + num(state.params[name]));
      }
    }
    if (D.seed) parts.push("--seed " + D.seed);
    return parts.join(" ");
  }

  // ---- controls --------------------------------------------------------------------
  const controls = {};
  function sliderMax(name, p) {
    const x = Math.max(reference[name], p.default);
    const wide = { p_data: 10, coin_yuan: 10, min_wage_hour: 4 }[name] || 4;
    return Math.min(p.high, x > 0 ? x * wide : 1);
  }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function numberRow(parent, name, lo, hi, max, step, title, onSet, withBox) {
    const row = el("div", { class: "gm-row" + (withBox ? "" : " gm-param"), "data-name": name });
    let box = null;
    if (withBox) {
      box = el("input", { type: "checkbox", id: "gm-on-" + name, title: "lever on" });
      row.appendChild(box);
    }
    row.appendChild(el("label", { for: "gm-n-" + name, title }, name));
    const range = el("input", { type: "range", min: lo, max, step, id: "gm-r-" + name,
      "aria-label": name });
    const input = el("input", { type: "number", min: lo, max: hi, step: "any", id: "gm-n-" + name });
    row.appendChild(range);
    row.appendChild(input);
    parent.appendChild(row);
    range.addEventListener("input", () => { input.value = range.value; onSet(Number(range.value), true); });
    input.addEventListener("input", () => {
      const x = Number(input.value);
      if (input.value !== "" && x >= lo && x <= hi) { range.value = x; onSet(x, true); }
    });
    if (box) box.addEventListener("change", () => onSet(box.checked ? Number(input.value) : null, false));
    controls[name] = { row, range, input, box };
  }
  function buildControls() {
    const lev = $("gm-levers");
    const leverMax = { dividend: 1, data_union: Math.max(0.1, 10 * reference.p_data),
      opt_out: 1, task_cap: Math.max(1, D.max_tasks), take_rate_cap: Math.min(1, Math.max(0.2, 2 * reference.take_rate)) };
    for (const name of LEVER_ORDER) {
      const lv = D.levers[name];
      numberRow(lev, name, lv.low, lv.high, leverMax[name], name === "task_cap" ? 1 : leverMax[name] / 1000,
        lv.meaning, (x, fromSlider) => {
          if (x === null) delete state.levers[name]; else state.levers[name] = x;
          update();
        }, true);
      const c = controls[name];
      c.input.addEventListener("input", () => { if (c.input.value !== "") c.box.checked = true; });
      c.range.addEventListener("input", () => { c.box.checked = true; });
    }
    const par = $("gm-params");
    for (const [name, p] of Object.entries(D.parameters)) {
      if (p.choices.length) {
        const row = el("div", { class: "gm-row gm-param", "data-name": name });
        row.appendChild(el("label", { for: "gm-n-" + name, title: p.meaning }, name));
        const sel = el("select", { id: "gm-n-" + name });
        for (const c of p.choices) {
          const live = D.live_models.includes(c);
          const o = el("option", { value: c }, live ? c : c + " (not live)");
          if (!live) o.disabled = true;
          sel.appendChild(o);
        }
        row.appendChild(sel);
        row.appendChild(el("span", {}, ""));
        par.appendChild(row);
        sel.addEventListener("change", () => { state.params[name] = sel.value; update(); });
        controls[name] = { row, input: sel };
      } else {
        const max = sliderMax(name, p);
        numberRow(par, name, p.low, p.high, max, max / 1000, p.meaning + (p.unit ? " (" + p.unit + ")" : ""),
          (x) => { state.params[name] = x; update(); }, false);
      }
    }
    $("gm-download").addEventListener("click", download);
    $("gm-reset").addEventListener("click", () => { setState(Object.assign({}, reference), {}); });
    const notLive = D.models.filter((m) => !D.live_models.includes(m));
    $("gm-notlive").innerHTML = "";
    const note = el("div", {}, "Re-simulation changes users' behaviour, so it reruns the generator: " +
      "the switches " + D.switches.map((s) => s + "=off").join(", ") +
      " and opt_out or task_cap=0 with their behavioural effect. Run them as:");
    $("gm-notlive").appendChild(note);
    $("gm-notlive").appendChild(el("pre", {}, "graphmodel scenario --source " + (D.title || "LOG") +
      " --resimulate --lever tasks=off"));
    $("gm-notlive").appendChild(el("div", {}, "The opt-out lever here draws its users with seed " +
      D.seed + " (graphmodel scenario --seed " + D.seed + ")." +
      (notLive.length ? " Attribution models not computed here: " + notLive.join(", ") +
        " (graphmodel value --param attribution=NAME)." : "")));
  }
  function syncControls() {
    for (const [name, c] of Object.entries(controls)) {
      if (name in D.levers) {
        const on = name in state.levers;
        const x = on ? state.levers[name] : (c.input.value === "" ? 0 : Number(c.input.value));
        c.box.checked = on;
        c.input.value = num(x);
        c.range.value = x;
        c.row.classList.toggle("gm-off", !on);
        c.row.classList.toggle("gm-changed", on);
      } else {
        c.input.value = num(state.params[name]);
        if (c.range) c.range.value = state.params[name];
        c.row.classList.toggle("gm-changed", state.params[name] !== reference[name]);
      }
    }
  }
  function setState(params, levers) {
    state.params = Object.assign({}, reference, params);
    state.levers = Object.assign({}, levers);
    syncControls();
    update();
  }
  function download() {
    const blob = new Blob([toml()], { type: "application/toml" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "scenario.toml" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // ---- drawing ---------------------------------------------------------------------
  // Numbers as the report shows them: graphmodel/numbers.py, rule for rule (yuan and
  // hours to 2 decimals, counts whole, shares as percentages that never round onto 0% or
  // 100% unless exactly there, Gini bounded at 0 and 1; ties rounded half to even).
  const MAX_DECIMALS = 6;
  function fixedText(v, d, sign) {
    // toFixed rounds the exact binary value, as Python's format does; an exact tie
    // (0.125 to 2 decimals) goes to the even digit, as in Python
    const a = Math.abs(v);
    let t = a.toFixed(d);
    const exact = a.toFixed(Math.min(100, d + 60)).split(".");  // the binary value's digits
    if (/^50*$/.test(exact[1].slice(d))) {
      let n = BigInt(exact[0] + exact[1].slice(0, d));
      if (n % 2n === 1n) n += 1n;
      const digits = n.toString().padStart(d + 1, "0");
      t = d ? digits.slice(0, -d) + "." + digits.slice(-d) : digits;
    }
    if (Number(t) === 0) return (0).toFixed(d);
    const [whole, frac] = t.split(".");
    t = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac === undefined ? "" : "." + frac);
    return (v < 0 ? "-" : sign ? "+" : "") + t;
  }
  function bounded(v, d, bounds, sign, suffix) {
    for (let k = d; k <= MAX_DECIMALS; k++) {
      const t = fixedText(v, k, sign), shown = Number(t.replace(/[,+]/g, ""));
      if (!bounds.some((b) => shown === b && v !== b)) return t + suffix;
    }
    const bound = bounds.reduce((a, b) => (Math.abs(v - b) < Math.abs(v - a) ? b : a));
    const edge = v > bound ? bound + 10 ** -MAX_DECIMALS : bound - 10 ** -MAX_DECIMALS;
    return (v > bound ? "<" : ">") + fixedText(edge, MAX_DECIMALS, sign) + suffix;
  }
  const KIND = {
    yuan: (v) => fixedText(v, 2), hours: (v) => fixedText(v, 2),
    count: (v) => fixedText(v, 0),
    share: (v) => bounded(100 * v, 1, [0, 100], false, "%"),
    percent: (v, sign) => bounded(v, 1, [0], sign, "%"),
    ratio: (v) => bounded(v, 2, [0], false, ""),
    gini: (v) => bounded(v, 2, [0, 1], false, ""),
    plain: (v) => String(v),
  };
  function format(kind, x, sign) {
    if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    return (KIND[kind === "wage" ? "yuan" : kind] || KIND.plain)(x, sign);
  }
  /* a value by its kind; a change signed (a share's change in percentage points) */
  function show(x, kind, change) {
    if (!change || x === null || Number.isNaN(x) || !Number.isFinite(x)) return format(kind, x);
    if (kind === "share") return format("percent", 100 * x, true).replace("%", " pp");
    if (kind === "gini") return bounded(x, 2, [0], true, "");
    if (kind === "ratio") return bounded(x, 2, [0], true, "");
    if (kind === "count") return fixedText(x, 0, true);
    if (kind === "yuan" || kind === "hours" || kind === "wage") return fixedText(x, 2, true);
    return (x > 0 ? "+" : "") + String(x);
  }
  function cell(tr, x, cls, kind, change) {
    const td = el("td", { "data-value": num(x) }, show(x, kind || "plain", change));
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function drawFigures(r) {
    const body = $("gm-figures").tBodies[0];
    body.innerHTML = "";
    for (const f of D.figures) {
      const b = r.baseline[f], v = r.value[f], change = v - b;
      const pct = (b && !Number.isNaN(b)) ? 100.0 * change / Math.abs(b) : NaN;
      const tr = el("tr", { "data-figure": f });
      tr.appendChild(el("td", {}, f));
      const kind = D.kinds[f] || "plain";
      cell(tr, b, "", kind); cell(tr, v, "", kind);
      const cls = change > 0 ? "gm-up" : change < 0 ? "gm-down" : "";
      cell(tr, change, cls, kind, true);
      const td = el("td", { "data-value": num(pct) }, format("percent", pct, true));
      if (cls) td.className = cls;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    const pb = $("gm-platform").tBodies[0];
    pb.innerHTML = "";
    for (const c of D.platform_columns) {
      const tr = el("tr", { "data-column": c });
      tr.appendChild(el("td", {}, c));
      cell(tr, r.platform[c], "", D.kinds[c] || "plain");
      pb.appendChild(tr);
    }
  }
  function svg(w, h) {
    const s = document.createElementNS(NS, "svg");
    s.setAttribute("width", w); s.setAttribute("height", h);
    s.setAttribute("viewBox", "0 0 " + w + " " + h);
    return s;
  }
  function add(parent, tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  }
  function drawLorenz(r, figs) {
    const box = $("gm-lorenz");
    box.innerHTML = "";
    const titles = { value_produced: ["value produced V", "gini_value_produced"],
      value_returned: ["value returned v", "gini_value_returned"] };
    for (const m of ["value_produced", "value_returned"]) {
      const W = 280, H = 250, x0 = 38, y0 = 16, S = 200;
      const s = svg(W, H);
      s.setAttribute("data-measure", m);
      add(s, "rect", { x: x0, y: y0, width: S, height: S, fill: "#fff", stroke: "#9aa7b5" });
      add(s, "line", { x1: x0, y1: y0 + S, x2: x0 + S, y2: y0, stroke: "#d0d6dd" });
      for (const t of [0, 0.5, 1]) {
        add(s, "text", { x: x0 + t * S, y: y0 + S + 14, "text-anchor": "middle" }, String(t));
        add(s, "text", { x: x0 - 4, y: y0 + S - t * S + 4, "text-anchor": "end" }, String(t));
      }
      add(s, "text", { x: x0 + S / 2, y: y0 + S + 28, "text-anchor": "middle" }, "share of users");
      for (const [which, color, dash] of [["baseline", "#b8c2cc", "5 3"], ["value", "#0b5cad", ""]]) {
        const c = r.lorenz[which][m];
        if (c.share.some((y) => Number.isNaN(y))) continue;
        const pts = c.pop.map((p, i) => (x0 + p * S).toFixed(2) + "," + (y0 + S - c.share[i] * S).toFixed(2));
        add(s, "polyline", { points: pts.join(" "), fill: "none", stroke: color, "stroke-width": 2,
          "stroke-dasharray": dash, "data-curve": which });
      }
      const [label, g] = titles[m];
      add(s, "text", { x: x0 + 6, y: y0 + 14 }, label);
      add(s, "text", { x: x0 + 6, y: y0 + 28 }, "Gini " + format("gini", figs.baseline[g]) + " \u2192 " + format("gini", figs.value[g]));
      box.appendChild(s);
    }
  }
  function drawCapture(r) {
    const box = $("gm-capture");
    box.innerHTML = "";
    const W = 560, rowH = 44, x0 = 90, S = 330;
    const s = svg(W, rowH * ACTORS.length + 8);
    let top = 0;
    for (const a of ACTORS) {
      for (const which of ["baseline", "value"]) top = Math.max(top, Math.abs(r.capture[which][a].total));
    }
    const scale = top > 0 ? S / top : 0;
    ACTORS.forEach((a, i) => {
      const y = 6 + i * rowH;
      add(s, "text", { x: 0, y: y + 18 }, a);
      [["baseline", "#b8c2cc", 0], ["value", "#0b5cad", 17]].forEach(([which, color, dy]) => {
        const c = r.capture[which][a];
        const cash = Math.max(0, c.cash) * scale, asset = Math.max(0, c.data_asset) * scale;
        add(s, "rect", { x: x0, y: y + dy, width: cash, height: 14, fill: color, "data-actor": a, "data-which": which });
        if (asset > 0) add(s, "rect", { x: x0 + cash, y: y + dy, width: asset, height: 14, fill: color, "fill-opacity": 0.45 });
        add(s, "text", { x: x0 + cash + asset + 6, y: y + dy + 11 },
          format("yuan", c.total) + " (" + format("share", c.share) + ")");
      });
    });
    box.appendChild(s);
    const t = el("table", { id: "gm-capture-table" });
    t.innerHTML = "<thead><tr><th>actor</th><th>cash</th><th>data_asset</th><th>total</th><th>share</th><th>scenario total</th></tr></thead>";
    const body = el("tbody");
    for (const a of ACTORS) {
      const tr = el("tr", { "data-actor": a });
      tr.appendChild(el("td", {}, a));
      const b = r.capture.baseline[a];
      for (const k of ["cash", "data_asset", "total"]) cell(tr, b[k], "", "yuan").setAttribute("data-col", k);
      const share = el("td", { "data-value": num(b.share), "data-col": "share" }, format("share", b.share));
      tr.appendChild(share);
      const total = r.capture.value[a].total;
      tr.appendChild(el("td", { "data-value": num(total), "data-col": "scenario_total" }, format("yuan", total)));
      body.appendChild(tr);
    }
    t.appendChild(body);
    box.appendChild(t);
  }

  let last = null, addressTimer = null;
  // a setting in the address has NAME=VALUE parts; anything else (#methods, a section of
  // the report the panel sits in) is an anchor of the page, left as it is
  const isSetting = (hash) => hash.replace(/^#/, "").includes("=");
  function writeAddress() {
    const frag = fragment();
    if (!frag && !isSetting(location.hash || "")) return;
    if (("#" + frag) !== (location.hash || "#")) {
      history.replaceState(null, "", frag ? "#" + frag : location.pathname + location.search);
    }
  }
  function update() {
    const t0 = performance.now();
    const r = compute(state.params, state.levers);
    drawFigures(r);
    drawCapture(r);
    drawLorenz(r, r);
    $("gm-command").textContent = command();
    // the address follows the setting once the slider rests (replaceState is slow to repeat)
    clearTimeout(addressTimer);
    addressTimer = setTimeout(writeAddress, 120);
    last = r;
    api.lastMs = performance.now() - t0;
    return r;
  }

  const api = {
    ready: null, lastMs: NaN, compute, toml, command, fragment, format,
    state: () => ({ params: Object.assign({}, state.params), levers: Object.assign({}, state.levers) }),
    set: (params, levers) => { setState(params, levers); return last; },
    shown: () => last,
    /* the address now, without waiting for the slider to rest */
    address: () => { clearTimeout(addressTimer); writeAddress(); return location.hash; },
    parts: { accounts: (P, L) => accounts(Object.assign({}, reference, P), L || {}, "t"),
      sorted: (x) => sorted(x, "t") },
  };
  window.gmPanel = api;
  api.ready = decode().then(() => {
    buildControls();
    const got = readFragment(isSetting(location.hash || "") ? location.hash : "");
    state.params = got.params;
    state.levers = got.levers;
    syncControls();
    update();
    $("gm-status").textContent = (D.title ? D.title + ": " : "") + D.users.toLocaleString("en-US") +
      " users (" + D.embedded_users.toLocaleString("en-US") + " with activity), " +
      D.paths.toLocaleString("en-US") + " referral-path groups; every figure recomputed here." +
      (got.problems.length ? " Ignored in the address: " + got.problems.join(", ") : "");
    window.addEventListener("hashchange", () => {
      if (!isSetting(location.hash || "")) return;  // a link to a section: the setting stays
      if (location.hash.replace(/^#/, "") === fragment()) return;
      const h = readFragment(location.hash || "");
      setState(h.params, h.levers);
    });
    return true;
  });
})();
