// The USWDS behaviours MotCua's templates use, bundled by build.mjs (esbuild) from USWDS's own
// sources into static/motcua/js/uswds.min.js. USWDS's prebuilt bundle starts all 22 of its
// components (79 KB, 22.5 KB gzip); a MotCua page needs these five. This file follows USWDS's
// own start.js (packages/uswds-core/src/js/start.js), with the list cut down.
//
// To use another USWDS component that needs JavaScript (modal, combo box, date picker, sortable
// table, character count, tooltip, …): add its package below, add its styles in
// styles/motcua.scss, run `npm run build`, and say so in docs/design-system.md.
import accordion from "@uswds/uswds/js/usa-accordion"; // .usa-accordion, nav sub-menus
import button from "@uswds/uswds/js/usa-button"; // Space activates <a class="usa-button">
import fileInput from "@uswds/uswds/js/usa-file-input"; // .usa-file-input drop zone and preview
import navigation from "@uswds/uswds/js/usa-header"; // mobile menu (Menu / Close, focus trap)
import skipnav from "@uswds/uswds/js/usa-skipnav"; // skip link moves the focus, not only the view

window.uswdsPresent = true; // uswds-init.min.js reveals the page when it sees this

const components = { accordion, button, fileInput, navigation, skipnav };

const initComponents = () => {
  Object.values(components).forEach((behavior) => behavior.on(document.body));
};

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", initComponents, { once: true });
} else {
  initComponents();
}
