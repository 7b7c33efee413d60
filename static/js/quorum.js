// The attendance page's quorum box, kept live while the secretariat marks who came: a member counts when
// present on site, online with identity confirmed, or by delegate when the body lets delegates count
// (the same rule as app.votes.services.counts_as_present; the server's figure is shown on load and after saving).
(function () {
  "use strict";
  const box = document.getElementById("quorum");
  const form = box && document.querySelector("form[data-quorum-required]");
  if (!form) return;
  const required = Number(form.dataset.quorumRequired);
  const delegatesCount = form.dataset.quorumDelegates === "1";
  const seated = new Set((form.dataset.quorumMembers || "").split(",").filter(Boolean));
  const figure = box.querySelector("[data-quorum-present]");
  const verdicts = box.querySelectorAll("[data-quorum-verdict]");

  function present() {
    let count = 0;
    form.querySelectorAll("select[name^='status-']").forEach(function (select) {
      const userId = select.name.slice("status-".length);
      if (!seated.has(userId)) return;
      const status = select.value;
      const identity = form.querySelector("input[name='identity-" + userId + "']");
      if (status === "present" || (status === "online" && identity && identity.checked) ||
          (status === "delegate" && delegatesCount)) {
        count += 1;
      }
    });
    return count;
  }

  function update() {
    const count = present();
    const met = count > 0 && count >= required;
    if (figure) figure.textContent = String(count);
    box.classList.toggle("alert-success", met);
    box.classList.toggle("alert-warning", !met);
    verdicts.forEach(function (node) { node.hidden = (node.dataset.quorumVerdict === "met") !== met; });
  }

  form.addEventListener("change", update);
})();
