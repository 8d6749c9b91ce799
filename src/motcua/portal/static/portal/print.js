// Shows the "Print this page" buttons (hidden without JavaScript) and wires them to the browser's
// print dialog. Loaded as a file with the request's CSP nonce: no inline script.
document.querySelectorAll("[data-print-page]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
