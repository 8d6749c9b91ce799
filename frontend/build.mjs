// Build MotCua's static design-system assets from USWDS.
//
//   npm run build   compile and (re)write src/motcua/core/static/motcua/{css,fonts,img,js}
//   npm run check   build into a temporary folder and fail if the committed
//                   output differs (the committed files are what production
//                   serves: machines that run the app have no Node).
//
// What gets copied is derived, not listed by hand: every url(...) in the
// compiled CSS must resolve to a file we ship, and only those files (plus the
// icon sprite subset, our own images and the two USWDS scripts) are shipped.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import * as sass from "sass";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USWDS = path.join(HERE, "node_modules", "@uswds", "uswds");
const USWDS_DIST = path.join(USWDS, "dist");
const OUT = path.resolve(HERE, "..", "src", "motcua", "core", "static", "motcua");
const GENERATED_DIRS = ["css", "fonts", "img", "js"];

// Icons available to templates through img/sprite.svg#NAME (see
// docs/design-system.md). Keep this list short: each one costs bytes.
const SPRITE_ICONS = [
  "account_circle",
  "attach_file",
  "check_circle",
  "close",
  "error",
  "file_download",
  "help",
  "home",
  "info",
  "language",
  "login",
  "logout",
  "menu",
  "navigate_before",
  "navigate_next",
  "print",
  "schedule",
  "search",
  "translate",
  "warning",
];

// Scripts shipped as-is (minified by USWDS). Their source-map comments are
// dropped: the maps are not shipped, and Django's manifest storage would
// fail on a reference to a missing file.
const SCRIPTS = ["uswds-init.min.js", "uswds.min.js"];

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function uswdsVersion() {
  return JSON.parse(fs.readFileSync(path.join(USWDS, "package.json"), "utf8")).version;
}

function compileCss() {
  const result = sass.compile(path.join(HERE, "styles", "motcua.scss"), {
    loadPaths: [path.join(USWDS, "packages"), path.join(HERE, "styles")],
    style: "compressed",
    sourceMap: false,
    // USWDS's own deprecation notices are not ours to fix; ours still show.
    quietDeps: true,
  });
  return `/*! MotCua design system, built on USWDS ${uswdsVersion()} (public domain; see ../LICENSE-USWDS.md) */\n${result.css}\n`;
}

// Map a url(...) found in css/motcua.css to the file to ship.
function sourceFor(ref) {
  const rel = path.posix.normalize(path.posix.join("css", ref));
  const [top, ...rest] = rel.split("/");
  const inside = rest.join("/");
  const own = path.join(HERE, top, inside);
  if (fs.existsSync(own)) return { rel, src: own };
  if (top === "fonts" || top === "img") {
    const upstream = path.join(USWDS_DIST, top, inside);
    if (fs.existsSync(upstream)) return { rel, src: upstream };
  }
  return { rel, src: null };
}

function cssUrls(css) {
  const urls = new Set();
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const ref = match[2].trim();
    if (!ref.startsWith("data:") && !ref.startsWith("#")) urls.add(ref.split(/[?#]/)[0]);
  }
  return [...urls].sort();
}

function buildSprite() {
  const symbols = SPRITE_ICONS.map((name) => {
    const file = path.join(USWDS_DIST, "img", "usa-icons", `${name}.svg`);
    if (!fs.existsSync(file)) fail(`icon ${name} not found in USWDS`);
    const svg = fs.readFileSync(file, "utf8");
    const viewBox = (svg.match(/viewBox="([^"]+)"/) || [null, "0 0 24 24"])[1];
    const inner = svg
      .replace(/^[\s\S]*?<svg[^>]*>/, "")
      .replace(/<\/svg>\s*$/, "")
      .replace(/\s*\n\s*/g, "")
      .trim();
    return `<symbol id="${name}" viewBox="${viewBox}">${inner}</symbol>`;
  });
  return (
    '<svg xmlns="http://www.w3.org/2000/svg">' +
    "<!-- Subset of the USWDS icon set (Material Icons, Apache-2.0; see ../LICENSE-USWDS.md) -->" +
    symbols.join("") +
    "</svg>\n"
  );
}

function writeFile(root, rel, data) {
  const target = path.join(root, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, data);
}

function build(root) {
  const css = compileCss();
  writeFile(root, "css/motcua.css", css);

  const missing = [];
  for (const ref of cssUrls(css)) {
    const { rel, src } = sourceFor(ref);
    if (!src) missing.push(ref);
    else writeFile(root, rel, fs.readFileSync(src));
  }
  if (missing.length) fail(`motcua.css references files that do not exist: ${missing.join(", ")}`);

  writeFile(root, "img/sprite.svg", buildSprite());
  for (const name of fs.readdirSync(path.join(HERE, "img"))) {
    writeFile(root, `img/${name}`, fs.readFileSync(path.join(HERE, "img", name)));
  }
  for (const name of SCRIPTS) {
    const js = fs
      .readFileSync(path.join(USWDS_DIST, "js", name), "utf8")
      .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
    writeFile(root, `js/${name}`, js);
  }

  writeFile(
    root,
    "../LICENSE-USWDS.md",
    `<!-- Notice shipped with the USWDS ${uswdsVersion()} files in this folder (css/, fonts/, img/, js/). -->\n\n` +
      fs.readFileSync(path.join(USWDS, "LICENSE.md"), "utf8"),
  );
}

function listFiles(root, base = root) {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

function generatedFiles(root) {
  const files = GENERATED_DIRS.flatMap((dir) => listFiles(path.join(root, dir), root));
  if (fs.existsSync(path.join(root, "LICENSE-USWDS.md"))) files.push("LICENSE-USWDS.md");
  return files.sort();
}

function report(root) {
  for (const rel of generatedFiles(root)) {
    const data = fs.readFileSync(path.join(root, rel));
    const gz = /\.(css|js|svg|md)$/.test(rel) ? ` (gzip ${zlib.gzipSync(data, { level: 9 }).length})` : "";
    console.log(`  ${String(data.length).padStart(7)}  ${rel}${gz}`);
  }
}

// Build into <tmp>/motcua so that "../LICENSE-USWDS.md" lands in <tmp>.
function buildInto(tmpRoot) {
  const assetRoot = path.join(tmpRoot, "motcua", "assets");
  build(assetRoot);
  fs.renameSync(path.join(tmpRoot, "motcua", "LICENSE-USWDS.md"), path.join(assetRoot, "LICENSE-USWDS.md"));
  return assetRoot;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-assets-"));
try {
  const staged = buildInto(tmp);
  if (process.argv.includes("--check")) {
    const want = generatedFiles(staged);
    const have = generatedFiles(OUT);
    const differ = [...new Set([...want, ...have])].filter((rel) => {
      const a = path.join(staged, rel);
      const b = path.join(OUT, rel);
      return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
    });
    if (differ.length) fail(`committed assets are stale; run npm run build. Differing: ${differ.join(", ")}`);
    console.log("build: committed assets are up to date");
  } else {
    for (const dir of GENERATED_DIRS) fs.rmSync(path.join(OUT, dir), { recursive: true, force: true });
    for (const rel of generatedFiles(staged)) writeFile(OUT, rel, fs.readFileSync(path.join(staged, rel)));
    console.log(`build: wrote ${path.relative(process.cwd(), OUT) || "."}`);
    report(OUT);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// Reports (statistics) vendor step — owned by the reports app, separate from
// the design system above. ECharts (Apache-2.0), pinned in package.json, is
// copied as-is into src/motcua/reports/static/reports/vendor/ with its
// licence and notice; `--check` fails when the committed copy is stale.
// ---------------------------------------------------------------------------
const ECHARTS = path.join(HERE, "node_modules", "echarts");
const REPORTS_VENDOR = path.resolve(HERE, "..", "src", "motcua", "reports", "static", "reports", "vendor");
const REPORTS_FILES = {
  "echarts.min.js": path.join(ECHARTS, "dist", "echarts.common.min.js"),
  "LICENSE-echarts.txt": path.join(ECHARTS, "LICENSE"),
  "NOTICE-echarts.txt": path.join(ECHARTS, "NOTICE"),
};

function reportsVendor(check) {
  if (!fs.existsSync(ECHARTS)) fail("echarts is missing: run npm ci");
  const version = JSON.parse(fs.readFileSync(path.join(ECHARTS, "package.json"), "utf8")).version;
  const stale = [];
  for (const [name, src] of Object.entries(REPORTS_FILES)) {
    let data = fs.readFileSync(src);
    if (name.endsWith(".js")) {
      data = Buffer.from(
        `/*! ECharts ${version} (Apache-2.0; see LICENSE-echarts.txt, NOTICE-echarts.txt) */\n` +
          data.toString("utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"),
      );
    }
    const target = path.join(REPORTS_VENDOR, name);
    if (check) {
      if (!fs.existsSync(target) || !fs.readFileSync(target).equals(data)) stale.push(name);
    } else {
      writeFile(REPORTS_VENDOR, name, data);
    }
  }
  if (stale.length) fail(`reports vendor files are stale; run npm run build. Differing: ${stale.join(", ")}`);
  if (!check) console.log(`build: wrote ${path.relative(process.cwd(), REPORTS_VENDOR)} (ECharts ${version})`);
}

reportsVendor(process.argv.includes("--check"));
