// The calendar page: FullCalendar with day, week, month and list views of one's own activities,
// colleagues' beside them, or a room's bookings. Moving an event asks the activity API (the same
// service and rules as the form); a refused move snaps back with the server's message. A click on
// an empty slot opens the activity form for that time. Its style sheet comes in with the page's
// CSP nonce (<meta name="csp-nonce">), the only inline style the CSP lets in.
import { Calendar } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import timeGridPlugin from "@fullcalendar/timegrid";
import listPlugin from "@fullcalendar/list";
import interactionPlugin from "@fullcalendar/interaction";
import ruLocale from "@fullcalendar/core/locales/ru";
import plLocale from "@fullcalendar/core/locales/pl";
import slLocale from "@fullcalendar/core/locales/sl";

// FullCalendar's icon font is a data: URI that the CSP (font-src 'self') refuses: drop it before
// anything is drawn; app.css shows its arrows as plain characters.
function dropIconFont() {
  const sheet = document.querySelector("style[data-fullcalendar]")?.sheet;
  if (!sheet) return;
  for (let index = sheet.cssRules.length - 1; index >= 0; index -= 1) {
    if (sheet.cssRules[index] instanceof CSSFontFaceRule) sheet.deleteRule(index);
  }
}
dropIconFont();

const NARROW = 700;
const HOUR = 60 * 60 * 1000;

function toast(message, level = "success") {
  document.dispatchEvent(new CustomEvent("toast", { detail: [{ message, level }] }));
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

function pad(number) {
  return String(number).padStart(2, "0");
}

// As the activity form's datetime-local fields take it, in the browser's time.
function localInput(date) {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

function errorText(body, fallback) {
  const error = body && body.error;
  if (!error) return fallback;
  const fields = Object.values(error.fields || {}).flat();
  return fields.length ? fields.join(" ") : error.message || fallback;
}

// What the API needs to know about the new place of an event.
function changes(event, oldEvent) {
  const { kind, hasEnd } = event.extendedProps;
  const data = { is_all_day: event.allDay };
  if (kind === "task") {
    data.due_at = event.start.toISOString();
    return data;
  }
  data.starts_at = event.start.toISOString();
  if (event.end) {
    // FullCalendar's all-day end is the day after; the activity keeps its last day.
    const end = event.allDay ? new Date(event.end.getTime() - 24 * HOUR) : event.end;
    data.ends_at = end.toISOString();
  } else if (hasEnd) {
    // Dropped where FullCalendar keeps no end (e.g. from a day into hours): keep the length.
    const length = oldEvent && oldEvent.end && !oldEvent.allDay ? oldEvent.end - oldEvent.start : HOUR;
    data.ends_at = new Date(event.start.getTime() + length).toISOString();
  }
  return data;
}

async function move(element, info, oldEvent) {
  const response = await fetch(`${element.dataset.apiUrl}${info.event.id}`, {
    method: "PATCH",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(changes(info.event, oldEvent)),
  }).catch(() => null);
  if (response && response.ok) {
    toast(element.dataset.movedMessage);
    info.view.calendar.refetchEvents();
    return;
  }
  info.revert();
  const body = response ? await response.json().catch(() => null) : null;
  toast(errorText(body, document.body.dataset.errorMessage), "error");
}

function startCalendar(element) {
  const filters = document.querySelector("[data-calendar-filters]");
  const narrow = window.innerWidth < NARROW;
  const calendar = new Calendar(element, {
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
    locales: [ruLocale, plLocale, slLocale],
    locale: document.documentElement.lang || "en",
    initialView: narrow ? "listWeek" : "timeGridWeek",
    headerToolbar: narrow
      ? { left: "prev,next", center: "title", right: "today" }
      : { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth,listWeek" },
    footerToolbar: narrow ? { center: "listWeek,timeGridDay,dayGridMonth" } : false,
    height: "auto",
    // Blocks with their kind's colour everywhere; a busy day in the month says "+3 more".
    eventDisplay: "block",
    dayMaxEvents: true,
    nowIndicator: true,
    scrollTime: "08:00:00",
    slotDuration: "00:30:00",
    navLinks: true,
    selectable: Boolean(element.dataset.createUrl),
    selectMirror: true,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    events(range, success, failure) {
      const query = new URLSearchParams(filters ? new FormData(filters) : undefined);
      query.set("start", range.start.toISOString());
      query.set("end", range.end.toISOString());
      fetch(`${element.dataset.eventsUrl}?${query}`, { credentials: "same-origin" })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
        .then(({ ok, body }) => {
          if (!ok) throw new Error(body.error || element.dataset.loadError);
          success(body);
        })
        .catch((error) => {
          toast(error.message || element.dataset.loadError, "error");
          failure(error);
        });
    },
    eventDidMount(info) {
      const overdue = info.event.extendedProps.overdue;
      if (overdue) info.el.setAttribute("title", `${info.event.title} · ${overdue}`);
      info.el.dataset.activity = info.event.id;
    },
    eventDrop(info) {
      move(element, info, info.oldEvent);
    },
    eventResize(info) {
      move(element, info, info.oldEvent);
    },
    select(info) {
      const query = new URLSearchParams({ next: element.dataset.nextUrl });
      const room = filters && filters.elements.room ? filters.elements.room.value : "";
      let end = info.end;
      if (info.allDay) {
        // A day chosen in the month: a meeting that day at 10:00.
        const start = new Date(info.start.getTime() + 10 * HOUR);
        query.set("when", localInput(start));
        end = new Date(start.getTime() + HOUR);
      } else {
        query.set("when", localInput(info.start));
      }
      query.set("until", localInput(end));
      query.set("kind", "meeting");
      if (room) query.set("room", room);
      window.location.assign(`${element.dataset.createUrl}?${query}`);
    },
  });
  calendar.render();
  if (filters) {
    filters.addEventListener("change", () => {
      // A room's calendar shows its bookings, whoever made them: people do not apply then.
      const people = filters.querySelector(".calendar-people");
      if (people && filters.elements.room) people.disabled = Boolean(filters.elements.room.value);
      calendar.refetchEvents();
    });
    filters.addEventListener("submit", (event) => event.preventDefault());
  }
  element.calendar = calendar;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const element of document.querySelectorAll("[data-calendar]")) startCalendar(element);
});
