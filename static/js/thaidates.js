// Thai dates: a calendar beside every date field (input[data-thai-date]) that shows Buddhist-era years.
// The field stays a plain text input ("26/06/2563 09.30") that the server parses; this only helps to pick.
// The calendar is cally (static/vendor/cally, from frontend.json): small, accessible web components whose
// month names, headings and day labels come from Intl, so a "-u-ca-buddhist" locale gives BE years.
const FIELDS = "input[data-thai-date]";
const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
const BE_OFFSET = 543;
const TEXTS = {
  th: {button: "ปฏิทิน", open: "เลือกวันที่จากปฏิทิน", dialog: "ปฏิทิน (ปี พ.ศ.)", previous: "เดือนก่อน",
       next: "เดือนถัดไป", close: "ปิด", locale: "th-TH-u-ca-buddhist"},
  en: {button: "Calendar", open: "Pick the date from a calendar", dialog: "Calendar (Buddhist-era years)",
       previous: "Previous month", next: "Next month", close: "Close", locale: "en-GB-u-ca-buddhist"},
};
const texts = TEXTS[document.documentElement.lang] || TEXTS.th;
const pad = (n) => String(n).padStart(2, "0");

// "26/06/2563 09.30" -> {iso: "2020-06-26", rest: "09.30"}; null when the date is not a BE date.
function readTyped(text) {
  const plain = text.replace(/[๐-๙]/g, (d) => String(THAI_DIGITS.indexOf(d))).trim();
  const match = plain.match(/^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(.*)$/);
  if (!match) return null;
  const year = match[4].length === 2 ? 2500 + Number(match[4]) : Number(match[4]);
  if (year < 2400) return null;  // a Western-looking year: the server explains it
  return {iso: `${year - BE_OFFSET}-${pad(match[3])}-${pad(match[1])}`, rest: match[5].trim()};
}

// "2020-06-26" (+ the time already typed) -> "26/06/2563 09.30".
function typed(iso, rest) {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${Number(year) + BE_OFFSET}${rest ? " " + rest : ""}`;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

let counter = 0;

function attach(input) {
  const id = `thai-date-${++counter}`;
  const group = element("div", {class: "input-group has-validation"});
  const toggle = element("button", {type: "button", class: "btn btn-outline-secondary", "aria-expanded": "false",
                                    "aria-controls": id, title: texts.open}, texts.button);
  const popup = element("div", {id, class: "card shadow-sm p-2 mt-1 thai-date-popup", role: "dialog",
                                "aria-label": texts.dialog});
  popup.hidden = true;
  const calendar = element("calendar-date", {locale: texts.locale, "first-day-of-week": "0"});
  calendar.append(element("span", {slot: "previous"}, "‹ " + texts.previous),
                  element("span", {slot: "next"}, texts.next + " ›"), element("calendar-month"));
  const close = element("button", {type: "button", class: "btn btn-link btn-sm align-self-end"}, texts.close);
  popup.append(calendar, close);

  input.parentNode.insertBefore(group, input);
  group.append(input, toggle);
  const feedback = group.nextElementSibling;
  if (feedback && feedback.classList.contains("invalid-feedback")) group.append(feedback);
  group.after(popup);

  function show(open) {
    popup.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", () => {
    if (!popup.hidden) { show(false); return; }
    const current = readTyped(input.value);
    const today = new Date();
    const focus = current ? current.iso : `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
    calendar.value = current ? current.iso : "";
    calendar.focusedDate = focus;
    show(true);
    requestAnimationFrame(() => calendar.querySelector("calendar-month")?.focus?.());
  });
  calendar.addEventListener("change", () => {
    const current = readTyped(input.value);
    const time = current ? current.rest : "";
    input.value = typed(calendar.value, input.dataset.thaiDate === "datetime" ? time : "");
    input.dispatchEvent(new Event("change", {bubbles: true}));
    show(false);
    input.focus();
    if (input.dataset.thaiDate === "datetime" && !time) {  // the time is typed next
      input.value += " ";
      input.setSelectionRange(input.value.length, input.value.length);
    }
  });
  close.addEventListener("click", () => { show(false); toggle.focus(); });
  popup.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); show(false); toggle.focus(); }
  });
  document.addEventListener("click", (event) => {
    if (!popup.hidden && !popup.contains(event.target) && !group.contains(event.target)) show(false);
  });
}

const inputs = document.querySelectorAll(FIELDS);
if (inputs.length) {
  import("../vendor/cally/cally.js").then(() => inputs.forEach(attach)).catch(() => {
    // without the calendar the fields still take typed dates
  });
}
