// The trainer's board reloads itself: every few seconds it asks for the board again, as HTML the server has
// already escaped, and puts it in place. Without JavaScript the page still shows the board; reload it by hand.
(function () {
  "use strict";
  var REFRESH_MS = 3000;
  var board = document.getElementById("board");
  var connection = document.getElementById("connection");

  function refresh() {
    fetch("/trainer/board.html", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 403) { window.location.reload(); return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        board.innerHTML = html;
        connection.hidden = true;
      })
      .catch(function () { connection.hidden = false; });
  }

  window.setInterval(refresh, REFRESH_MS);
})();
