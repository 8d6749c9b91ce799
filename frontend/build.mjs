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
//
// Page weight (docs/portal.md, "Page weight"): the Public Sans faces are
// subset to the characters a Vietnamese or English page needs (FONT_TEXT
// below), and uswds.min.js is bundled from USWDS's own sources with only the
// behaviours MotCua's templates use (js/uswds.js), instead of copying
// USWDS's prebuilt files. Both steps are deterministic: `npm run check`
// compares byte for byte.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import * as esbuild from "esbuild";
import fontverter from "fontverter";
import { Blob as HbBlob, Face as HbFace } from "harfbuzzjs";
import * as sass from "sass";
import subsetFont from "subset-font";

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
const SCRIPTS = ["uswds-init.min.js"];

// js/uswds.min.js is not USWDS's prebuilt bundle (22 components, 79 KB) but
// js/uswds.js: the behaviours our templates use, bundled from USWDS's sources.
const USWDS_BUNDLE = { entry: path.join(HERE, "js", "uswds.js"), out: "js/uswds.min.js", target: "es2017" };

// --- Fonts ---------------------------------------------------------------
// Every woff2 the CSS references is subset to these characters (Public Sans
// has ~560; a page here needs ~320). Ranges, inclusive:
const FONT_UNICODE_RANGES = [
  [0x0020, 0x007e], // Basic Latin
  [0x00a0, 0x00ff], // Latin-1: À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý à…ý, § · × ÷ « » © °, no-break space
  [0x0102, 0x0103], // Ă ă
  [0x0110, 0x0111], // Đ đ
  [0x0128, 0x0129], // Ĩ ĩ
  [0x0168, 0x0169], // Ũ ũ
  [0x01a0, 0x01a1], // Ơ ơ
  [0x01af, 0x01b0], // Ư ư
  [0x0300, 0x0303], // combining grave, acute, circumflex, tilde (decomposed Vietnamese text)
  [0x0306, 0x0306], // combining breve
  [0x0309, 0x0309], // combining hook above
  [0x031b, 0x031b], // combining horn
  [0x0323, 0x0323], // combining dot below
  [0x1ea0, 0x1ef9], // Ạ … ỹ: every Vietnamese vowel with every tone
  [0x2013, 0x2014], // – —
  [0x2018, 0x201a], // ‘ ’ ‚
  [0x201c, 0x201e], // “ ” „
  [0x2020, 0x2022], // † ‡ •
  [0x2026, 0x2026], // …
  [0x2030, 0x2030], // ‰
  [0x2039, 0x203a], // ‹ ›
  [0x2044, 0x2044], // ⁄
  [0x20ab, 0x20ac], // ₫ €
  [0x2116, 0x2116], // №
  [0x2122, 0x2122], // ™
  [0x2212, 0x2212], // −
  [0x2264, 0x2265], // ≤ ≥
];
const FONT_TEXT = FONT_UNICODE_RANGES.flatMap(([first, last]) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i)),
).join("");

// Every Vietnamese letter with every tone, upper and lower case, and ₫: the
// build fails if a shipped face lacks one (docs/design-system.md promises it;
// src/motcua/core/tests/test_design_system.py checks the committed files).
const VIETNAMESE_LETTERS = (() => {
  const vowels = "aăâeêioôơuưy";
  const tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
  const lower = [...vowels].flatMap((v) => tones.map((t) => (v + t).normalize("NFC")));
  const letters = [...lower, ..."bcdđghklmnpqrstvx"];
  return [...letters, ...letters.map((l) => l.toUpperCase()), "₫"];
})();

// OpenType features kept: shaping (ccmp, locl, mark, mkmk: marks on
// decomposed text), kerning, default ligatures and contextual forms, and
// tabular figures (USWDS's step-indicator counters and .text-tabular).
// Fractions, superscripts, stylistic sets… are dropped: no CSS asks for them.
const FONT_FEATURES = ["ccmp", "locl", "mark", "mkmk", "kern", "liga", "calt", "tnum"];

// TrueType hinting instructions are dropped (a third of each file): macOS,
// iOS, Android and Linux browsers ignore them; Windows renders the unhinted
// outlines with DirectWrite's anti-aliasing. See docs/design-system.md.
const FONT_HINTING = false;

async function subsetWoff2(src, rel) {
  const truetype = await subsetFont(fs.readFileSync(src), FONT_TEXT, {
    targetFormat: "truetype",
    keepFeatures: FONT_FEATURES,
    noHinting: !FONT_HINTING,
  });
  const has = new Set(new HbFace(new HbBlob(truetype)).collectUnicodes());
  const source = await fontverter.convert(fs.readFileSync(src), "truetype");
  const hadSource = new Set(new HbFace(new HbBlob(source)).collectUnicodes());
  const lost = [...FONT_TEXT].filter((ch) => hadSource.has(ch.codePointAt(0)) && !has.has(ch.codePointAt(0)));
  const missing = VIETNAMESE_LETTERS.filter((ch) => !has.has(ch.codePointAt(0)));
  if (lost.length) fail(`${rel}: subsetting lost ${lost.join(" ")}`);
  if (missing.length) fail(`${rel}: no glyph for ${missing.join(" ")}`);
  return fontverter.convert(truetype, "woff2");
}

function bundleUswds() {
  const result = esbuild.buildSync({
    entryPoints: [USWDS_BUNDLE.entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: USWDS_BUNDLE.target,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  const banner =
    `/*! USWDS ${uswdsVersion()} behaviours used by MotCua (frontend/js/uswds.js): ` +
    "accordion, button, file input, header, skip link. Public domain; see ../LICENSE-USWDS.md */\n";
  return banner + result.outputFiles[0].text;
}

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

async function build(root) {
  const css = compileCss();
  writeFile(root, "css/motcua.css", css);

  const missing = [];
  for (const ref of cssUrls(css)) {
    const { rel, src } = sourceFor(ref);
    if (!src) missing.push(ref);
    else if (rel.endsWith(".woff2")) writeFile(root, rel, await subsetWoff2(src, rel));
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
  writeFile(root, USWDS_BUNDLE.out, bundleUswds());

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
async function buildInto(tmpRoot) {
  const assetRoot = path.join(tmpRoot, "motcua", "assets");
  await build(assetRoot);
  fs.renameSync(path.join(tmpRoot, "motcua", "LICENSE-USWDS.md"), path.join(assetRoot, "LICENSE-USWDS.md"));
  return assetRoot;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-assets-"));
try {
  const staged = await buildInto(tmp);
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
