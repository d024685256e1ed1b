// Job page: shows a running job's progress without reloading the page.
(function () {
  "use strict";
  var status = document.getElementById("job-status");
  var output = document.getElementById("job-output");
  if (!status || status.getAttribute("data-running") !== "yes") return;
  var id = status.getAttribute("data-job");
  function poll() {
    fetch("/job.json?id=" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        output.textContent = job.lines.join("\n");
        if (job.running) {
          status.textContent = "Running: step " + (job.step + 1) + " of " + job.steps.length +
            " (" + job.steps[job.step] + "), " + job.seconds + " s.";
          setTimeout(poll, 2000);
        } else {
          status.textContent = job.passed ? "Done." : "Stopped: see the last lines below.";
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
