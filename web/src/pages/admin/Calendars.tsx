// Administration › Calendars: shared business hours and holidays that flows' schedule
// nodes and queues name (REST: /api/v1/calendars, docs/api.md). A calendar is a time
// zone, a week of opening hours (several ranges a day; Monday copied to the other
// weekdays in one click) and holidays picked on a month view (closed all day, or open
// only in special hours). The aside says whether the saved calendar is open now and
// when that next changes, who uses it, and the audit trail. Supervisors read.
import { useEffect, useState } from "preact/hooks";
import { api, type Calendar, type CalendarRange, type CalendarHoliday } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { DeleteButton, Field, FormSection, RecordForm, useReadOnly, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { events } from "../../events";
import { formatInZone, formatMonth, formatWeekdayName } from "../../format";
import { t, tCode } from "../../i18n";

const TAB = "calendars";
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Day = (typeof DAYS)[number];
const MAX_RANGES = 8;

type Draft = {
  description: string;
  time_zone: string;
  hours: Record<Day, CalendarRange[]>;
  holidays: CalendarHoliday[];
};

const draftOf = (c: Calendar | null): Draft => ({
  description: c?.description ?? "",
  time_zone: c?.time_zone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"),
  hours: Object.fromEntries(DAYS.map((d) => [d, c?.hours[d] ?? (c ? [] : d === "sat" || d === "sun" ? [] : [{ from: "09:00", to: "18:00" }])])) as Record<Day, CalendarRange[]>,
  holidays: c?.holidays ?? [],
});

// The IANA zones the browser knows, offered while typing (any other name can be typed).
const ZONES: string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try { return intl.supportedValuesOf?.("timeZone") ?? []; } catch { return []; }
})();

/** "Open now", "Closed now" or "Holiday" and, when known, the next change in the calendar's zone. */
function statusText(c: Calendar): string {
  const state = tCode("calendars.state", c.status.state);
  if (!c.status.next_change) return state;
  return t("calendars.nextChange", { state, at: formatInZone(c.status.next_change, c.time_zone) });
}

export function CalendarsTab({ route }: { route: ConsoleRoute }) {
  const [calendars, setCalendars] = useState<Calendar[] | null>(null);
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: Calendar[] }>("GET", "/calendars").then((a) => { setCalendars(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(() => {
    load();
    const stops = [events.on("calendar", load), events.on("hello", load)];
    return () => stops.forEach((stop) => stop());
  }, []);

  if (route.key || route.isNew) {
    const calendar = calendars?.find((c) => c.name === route.key) ?? null;
    if (route.key && calendars && !calendar) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (route.key && !calendar) return null;
    return <CalendarRecord key={route.key || "new"} calendar={calendar} taken={calendars?.map((c) => c.name) ?? []}
      admin={admin} onChanged={load} />;
  }
  return (
    <RecordList id="calendar-list" items={calendars} error={error} keyOf={(c) => c.name}
      text={(c) => `${c.name} ${c.description} ${c.time_zone} ${c.holidays.map((h) => `${h.date} ${h.name}`).join(" ")}`}
      searchLabel={t("calendars.search")} empty={t("calendars.empty")} newLabel={t("calendars.new")}
      onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined}
      onOpen={(c) => openRecord("admin", TAB, c.name)}
      columns={[
        { label: t("calendars.col.name"), cell: (c) => c.name, class: "mono col-key" },
        { label: t("calendars.col.zone"), cell: (c) => c.time_zone, class: "mono" },
        { label: t("calendars.col.now"), cell: (c) => <span class={`cal-state cal-${c.status.state}`}>{statusText(c)}</span> },
        { label: t("calendars.col.holidays"), cell: (c) => c.holidays.length || "" },
        { label: t("calendars.col.description"), cell: (c) => c.description },
      ]} />
  );
}

function CalendarRecord({ calendar, taken, admin, onChanged }: {
  calendar: Calendar | null; taken: string[]; admin: boolean; onChanged: () => void;
}) {
  const [name, setName] = useState(calendar?.name ?? "");
  const [draft, setDraft] = useState<Draft>(() => draftOf(calendar));
  const [usedBy, setUsedBy] = useState<string[]>([]);
  const [version, setVersion] = useState(0);
  const save = useSave({ invalid_parameter: "name" });
  useEffect(() => {
    if (!calendar) return;
    api<Calendar & { used_by: string[] }>("GET", `/calendars/${encodeURIComponent(calendar.name)}`)
      .then((c) => setUsedBy(c.used_by)).catch(() => setUsedBy([]));
  }, [calendar?.name, version]);
  const submit = () => void save.run(async () => {
    const key = name.trim();
    if (!key) throw new FieldProblem("name", "console.problem.required");
    if (!calendar && taken.includes(key)) throw new FieldProblem("name", "console.taken", { key });
    const body = {
      description: draft.description.trim(), time_zone: draft.time_zone.trim(), hours: draft.hours,
      holidays: draft.holidays.map((h) => ({ date: h.date, ...(h.name.trim() ? { name: h.name.trim() } : {}),
        ...(h.hours.length ? { hours: h.hours } : {}) })),
    };
    const saved = await api<Calendar>("PUT", `/calendars/${encodeURIComponent(key)}`, body);
    onChanged();
    setVersion((v) => v + 1);
    if (!calendar) openRecord("admin", TAB, saved.name);
  });
  const remove = () => void save.run(async () => {
    await api("DELETE", `/calendars/${encodeURIComponent(calendar!.name)}`);
    onChanged();
    openRecord("admin", TAB);
  }, "console.deleted");
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  return (
    <RecordPage backLabel={t("admin.tab.calendars")} onBack={() => openRecord("admin", TAB)}
      title={calendar ? calendar.name : t("calendars.new")}
      aside={calendar && <>
        <section class="panel facts-panel" id="calendar-status">
          <h2>{t("calendars.now")}</h2>
          <p class={`cal-state cal-${calendar.status.state}`}>{statusText(calendar)}</p>
          {calendar.status.holiday !== null && <p class="muted small">{t("calendars.todayHoliday", { name: calendar.status.holiday || "—" })}</p>}
          <p class="muted small">{t("calendars.savedOnly")}</p>
        </section>
        <section class="panel facts-panel">
          <h2>{t("calendars.usedBy")}</h2>
          {usedBy.length ? usedBy.map((u) => <span key={u} class="tag">{u}</span>) : <span class="muted small">{t("calendars.unused")}</span>}
        </section>
        <AuditTrail target={`calendar:${calendar.name}`} version={version} fields="calendars.f" />
      </>}>
      <RecordForm id="calendar-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={calendar && <DeleteButton id="calendar-delete" question={t("calendars.deleteQuestion", { name: calendar.name })} onDelete={remove} />}>
        <FormSection title={t("calendars.section")} help={t("calendars.sectionHelp")}>
          <Field name="name" label={t("calendars.col.name")} help={calendar ? undefined : t("calendars.help.name")}>
            <input id="calendar-name" value={name} readOnly={!!calendar} required onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field name="time_zone" label={t("calendars.f.time_zone")} help={t("calendars.help.zone")}>
            <input id="calendar-zone" class="mono" list="calendar-zones" value={draft.time_zone} spellcheck={false}
              onInput={(e) => set({ time_zone: e.currentTarget.value })} />
          </Field>
          <datalist id="calendar-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
          <Field name="description" label={t("calendars.col.description")} wide>
            <input id="calendar-description" value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />
          </Field>
        </FormSection>
        <FormSection id="calendar-week" title={t("calendars.f.hours")} help={t("calendars.help.hours")}>
          <WeekGrid hours={draft.hours} onChange={(hours) => set({ hours })} />
        </FormSection>
        <FormSection id="calendar-holidays" title={t("calendars.f.holidays")} help={t("calendars.help.holidays")}>
          <Field name="holidays" label={t("calendars.f.holidays")} hideLabel wide group>
            <Holidays holidays={draft.holidays} onChange={(holidays) => set({ holidays })} />
          </Field>
        </FormSection>
      </RecordForm>
    </RecordPage>
  );
}

/** Minutes of "HH:MM" for the day bar; null when not a time. */
function minutes(text: string): number | null {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The day's opening as a bar over 24 hours (decoration: the inputs carry the values). */
function DayBar({ ranges }: { ranges: CalendarRange[] }) {
  return (
    <span class="cal-bar" aria-hidden="true">
      {ranges.map((r, i) => {
        const from = minutes(r.from), to = minutes(r.to);
        if (from === null || to === null || to <= from) return null;
        return <span key={i} class="cal-bar-open" style={{ left: `${(from / 1440) * 100}%`, width: `${((to - from) / 1440) * 100}%` }} />;
      })}
    </span>
  );
}

/** Ranges of one day (or one holiday): from/to inputs, add and remove. `field` is the API's path ("hours.mon"). */
function Ranges({ field, label, ranges, onChange }: {
  field: string; label: string; ranges: CalendarRange[]; onChange: (ranges: CalendarRange[]) => void;
}) {
  const readOnly = useReadOnly();
  const change = (i: number, patch: Partial<CalendarRange>) => onChange(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const last = ranges[ranges.length - 1];
  const next: CalendarRange = last ? { from: last.to === "24:00" ? "23:00" : last.to, to: "24:00" } : { from: "09:00", to: "18:00" };
  return (
    <span class="cal-ranges" data-ranges={field}>
      {ranges.length === 0 && <span class="muted small cal-closed">{t("calendars.closedAllDay")}</span>}
      {ranges.map((r, i) => (
        <span key={i} class="cal-range">
          <Field name={`${field}[${i}].from`} label={t("calendars.rangeFrom", { what: label, n: String(i + 1) })} hideLabel>
            <input class="mono cal-time" value={r.from} maxLength={5} placeholder="09:00" onInput={(e) => change(i, { from: e.currentTarget.value })} />
          </Field>
          <span class="cal-dash">–</span>
          <Field name={`${field}[${i}].to`} label={t("calendars.rangeTo", { what: label, n: String(i + 1) })} hideLabel>
            <input class="mono cal-time" value={r.to} maxLength={5} placeholder="18:00" onInput={(e) => change(i, { to: e.currentTarget.value })} />
          </Field>
          {!readOnly && <button type="button" class="small quiet-remove" onClick={() => onChange(ranges.filter((_, j) => j !== i))}
            aria-label={t("calendars.removeRange", { what: label, n: String(i + 1) })} title={t("calendars.removeRange", { what: label, n: String(i + 1) })}>×</button>}
        </span>
      ))}
      {!readOnly && ranges.length < MAX_RANGES && (
        <button type="button" class="small quiet cal-add" onClick={() => onChange([...ranges, next])}
          aria-label={t("calendars.addRange", { what: label })} title={t("calendars.addRange", { what: label })}>+</button>
      )}
    </span>
  );
}

function WeekGrid({ hours, onChange }: { hours: Record<Day, CalendarRange[]>; onChange: (hours: Record<Day, CalendarRange[]>) => void }) {
  const readOnly = useReadOnly();
  const copyMonday = () => onChange({ ...hours, tue: hours.mon, wed: hours.mon, thu: hours.mon, fri: hours.mon });
  return (
    <Field name="hours" label={t("calendars.f.hours")} hideLabel wide group>
      <div class="cal-week" id="calendar-week-grid">
        {DAYS.map((day, i) => (
          <div key={day} class="cal-day" data-day={day}>
            <span class="cal-day-name">{formatWeekdayName(i)}</span>
            <DayBar ranges={hours[day]} />
            <Ranges field={`hours.${day}`} label={formatWeekdayName(i)} ranges={hours[day]}
              onChange={(ranges) => onChange({ ...hours, [day]: ranges })} />
          </div>
        ))}
        <div class="cal-hours-scale" aria-hidden="true"><span>0</span><span>6</span><span>12</span><span>18</span><span>24</span></div>
        {!readOnly && <div><button type="button" class="small" id="calendar-copy-monday" onClick={copyMonday}>{t("calendars.copyMonday")}</button></div>}
      </div>
    </Field>
  );
}

const pad = (n: number) => String(n).padStart(2, "0");
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m + 1)}-${pad(d)}`;

function Holidays({ holidays, onChange }: { holidays: CalendarHoliday[]; onChange: (holidays: CalendarHoliday[]) => void }) {
  const readOnly = useReadOnly();
  const today = new Date();
  const first = holidays.find((h) => h.date >= ymd(today.getFullYear(), today.getMonth(), today.getDate()));
  const [month, setMonth] = useState(() => {
    const start = first ? first.date : ymd(today.getFullYear(), today.getMonth(), 1);
    return { y: Number(start.slice(0, 4)), m: Number(start.slice(5, 7)) - 1 };
  });
  const [picked, setPicked] = useState<string | null>(null);
  const sorted = [...holidays].sort((a, b) => a.date.localeCompare(b.date));
  const byDate = new Map(holidays.map((h) => [h.date, h]));
  const toggle = (date: string) => {
    if (readOnly) return;
    if (byDate.has(date)) {
      onChange(holidays.filter((h) => h.date !== date));
      setPicked(null);
    } else {
      onChange([...holidays, { date, name: "", hours: [] }]);
      setPicked(date);
    }
  };
  const change = (date: string, patch: Partial<CalendarHoliday>) => onChange(holidays.map((h) => (h.date === date ? { ...h, ...patch } : h)));
  const move = (by: number) => setMonth(({ y, m }) => ({ y: m + by < 0 ? y - 1 : m + by > 11 ? y + 1 : y, m: (m + by + 12) % 12 }));
  const days = new Date(Date.UTC(month.y, month.m + 1, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(month.y, month.m, 1)).getUTCDay() + 6) % 7;  // Monday first
  const cells: (number | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  return (
    <div class="cal-holidays">
      <div class="cal-month" id="calendar-month">
        <div class="cal-month-head">
          <button type="button" class="small quiet" id="calendar-month-prev" onClick={() => move(-1)} aria-label={t("calendars.prevMonth")}>‹</button>
          <span class="cal-month-title" id="calendar-month-title" aria-live="polite">{formatMonth(month.y, month.m)}</span>
          <button type="button" class="small quiet" id="calendar-month-next" onClick={() => move(1)} aria-label={t("calendars.nextMonth")}>›</button>
        </div>
        <div class="cal-month-grid" role="group" aria-labelledby="calendar-month-title">
          {DAYS.map((d, i) => <span key={d} class="cal-month-day-name" aria-hidden="true">{formatWeekdayName(i)}</span>)}
          {cells.map((day, i) => {
            if (day === null) return <span key={`x${i}`} />;
            const date = ymd(month.y, month.m, day);
            const holiday = byDate.get(date);
            const label = holiday ? t("calendars.dayHoliday", { date, name: holiday.name || "—" }) : t("calendars.dayOpen", { date });
            return (
              <button type="button" key={date} data-date={date} disabled={readOnly}
                class={`cal-cell${holiday ? " cal-cell-holiday" : ""}${holiday?.hours.length ? " cal-cell-special" : ""}${picked === date ? " cal-cell-picked" : ""}`}
                aria-pressed={!!holiday} aria-label={label} title={holiday?.name || undefined} onClick={() => toggle(date)}>
                {day}
              </button>
            );
          })}
        </div>
        <p class="muted small">{t("calendars.monthHelp")}</p>
      </div>
      <ol class="cal-holiday-list" id="calendar-holiday-list">
        {sorted.length === 0 && <li class="muted small">{t("calendars.noHolidays")}</li>}
        {sorted.map((h) => {
          const i = holidays.indexOf(h);
          return (
            <li key={h.date} class={`cal-holiday${picked === h.date ? " cal-cell-picked" : ""}`} data-date={h.date}>
              <Field name={`holidays[${i}].date`} label={t("calendars.holidayDate")} hideLabel>
                <button type="button" class="link mono" onClick={() => { setMonth({ y: Number(h.date.slice(0, 4)), m: Number(h.date.slice(5, 7)) - 1 }); setPicked(h.date); }}>{h.date}</button>
              </Field>
              <Field name={`holidays[${i}].name`} label={t("calendars.holidayName", { date: h.date })} hideLabel>
                <input class="cal-holiday-name" value={h.name} maxLength={64} placeholder={t("calendars.holidayNamePlaceholder")}
                  onInput={(e) => change(h.date, { name: e.currentTarget.value })} />
              </Field>
              <Ranges field={`holidays[${i}].hours`} label={h.date} ranges={h.hours} onChange={(hours) => change(h.date, { hours })} />
              {!readOnly && <button type="button" class="small quiet-remove" onClick={() => toggle(h.date)}
                aria-label={t("calendars.removeHoliday", { date: h.date })} title={t("calendars.removeHoliday", { date: h.date })}>×</button>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
