/* Charts drawn from the statistics tables (progressive enhancement).
 *
 * Every <table data-chart="bar|pie"> stays on the page as the accessible version; this script adds
 * a chart above it. Categories are the row headers, series the <th data-series> columns, values
 * the cells' data-value. No inline styles or markup: tooltips are plain text (strict CSP).
 */
(function () {
  "use strict";
  if (!window.echarts) return;
  var palette = ["#1a4480", "#00a91c", "#b50909", "#e5a000", "#54278f", "#565c65"];

  function read(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var seriesIdx = [];
    heads.forEach(function (th, i) { if (th.hasAttribute("data-series")) seriesIdx.push(i); });
    var categories = [];
    var series = seriesIdx.map(function (i) { return { name: heads[i].textContent.trim(), data: [] }; });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      var cells = tr.children;
      if (cells.length < heads.length) return;
      categories.push(cells[0].textContent.trim());
      seriesIdx.forEach(function (i, s) {
        series[s].data.push(Number(cells[i].getAttribute("data-value") || 0));
      });
    });
    return { categories: categories, series: series };
  }

  function option(kind, data) {
    var base = {
      color: palette,
      aria: { enabled: true },
      animation: false,
      textStyle: { fontFamily: "Public Sans, sans-serif" },
      tooltip: { trigger: kind === "pie" ? "item" : "axis", renderMode: "richText" },
    };
    if (kind === "pie") {
      base.series = [{
        type: "pie",
        radius: ["35%", "65%"],
        name: data.series[0] ? data.series[0].name : "",
        data: data.categories.map(function (c, i) { return { name: c, value: data.series[0].data[i] }; }),
        label: { formatter: "{b}: {c} ({d}%)" },
      }];
      return base;
    }
    base.legend = { top: 0 };
    base.grid = { left: 48, right: 16, top: 40, bottom: 48 };
    base.xAxis = { type: "category", data: data.categories };
    base.yAxis = { type: "value", minInterval: 1 };
    base.series = data.series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; });
    return base;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), function (table) {
    var data = read(table);
    if (!data.categories.length) return;
    var box = document.createElement("div");
    box.className = "motcua-chart";
    box.setAttribute("role", "img");
    var caption = table.querySelector("caption");
    box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "") + " — " +
      (document.documentElement.lang === "en" ? "chart; the table below has the figures" : "biểu đồ; số liệu ở bảng bên dưới"));
    table.parentNode.insertBefore(box, table);
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option(table.getAttribute("data-chart"), data));
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
