import { lang, type Lang } from "./i18n";

// Dates, numbers and durations in the user's language, with Intl. Formatters are
// made once per language.
type Formatters = {
  dateTime: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  timeShort: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
  twoDigits: Intl.NumberFormat;
  seconds: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  percent: Intl.NumberFormat;
  percentTenths: Intl.NumberFormat;
  decimal: Intl.NumberFormat;
  tenths: Intl.NumberFormat;
  weekday: Intl.DateTimeFormat;
  day: Intl.DateTimeFormat;
  month: Intl.DateTimeFormat;
  dayShort: Intl.DateTimeFormat;
  calendarDay: Intl.DateTimeFormat;
};
const cache = new Map<Lang, Formatters>();

function formatters(): Formatters {
  const current = lang.get();
  let found = cache.get(current);
  if (!found) {
    found = {
      dateTime: new Intl.DateTimeFormat(current, {
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
        hourCycle: "h23",
      }),
      time: new Intl.DateTimeFormat(current, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
      timeShort: new Intl.DateTimeFormat(current, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      number: new Intl.NumberFormat(current),
      twoDigits: new Intl.NumberFormat(current, { minimumIntegerDigits: 2, useGrouping: false }),
      seconds: new Intl.NumberFormat(current, { style: "unit", unit: "second", unitDisplay: "narrow", maximumFractionDigits: 1 }),
      date: new Intl.DateTimeFormat(current, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }),
      percent: new Intl.NumberFormat(current, { style: "percent", maximumFractionDigits: 0 }),
      percentTenths: new Intl.NumberFormat(current, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      decimal: new Intl.NumberFormat(current, { maximumFractionDigits: 2 }),
      tenths: new Intl.NumberFormat(current, { maximumFractionDigits: 1 }),
      weekday: new Intl.DateTimeFormat(current, { weekday: "short", month: "numeric", day: "numeric" }),
      day: new Intl.DateTimeFormat(current, { year: "numeric", month: "2-digit", day: "2-digit" }),
      month: new Intl.DateTimeFormat(current, { year: "numeric", month: "long", timeZone: "UTC" }),
      dayShort: new Intl.DateTimeFormat(current, { month: "numeric", day: "numeric", timeZone: "UTC" }),
      calendarDay: new Intl.DateTimeFormat(current, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }),
    };
    cache.set(current, found);
  }
  return found;
}

export const formatDateTime = (ms: number): string => formatters().dateTime.format(ms);
export const formatTime = (ms: number): string => formatters().time.format(ms);
export const formatTimeShort = (ms: number): string => formatters().timeShort.format(ms);
/** The local calendar day of a moment. */
export const formatDate = (ms: number): string => formatters().day.format(ms);
export const formatNumber = (n: number): string => formatters().number.format(n);
/** A fraction (0.87) as a percentage: "87%". */
export const formatPercent = (fraction: number): string => formatters().percent.format(fraction);
/** A fraction to a tenth of a percent: "88.8%" (service levels, where 79.6% is not 80%). */
export const formatPercentTenths = (fraction: number): string => formatters().percentTenths.format(fraction);
/** A number to at most two decimals: "10.42". */
export const formatDecimal = (n: number): string => formatters().decimal.format(n);
/** A number to at most one decimal: "12.5" (forecast calls). */
export const formatTenths = (n: number): string => formatters().tenths.format(n);
/** A day with its weekday: "Thu, 11/19", "11/19周四". */
export const formatWeekday = (ms: number): string => formatters().weekday.format(ms);

/** A duration as a clock: 0:07, 12:34, 1:02:03. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const f = formatters();
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const n = f.number.format.bind(f.number);
  return h > 0 ? `${n(h)}:${f.twoDigits.format(m)}:${f.twoDigits.format(s)}` : `${n(m)}:${f.twoDigits.format(s)}`;
}

/** A short span given in ms, in seconds with the unit: "0.8 s", "0.8秒". */
export const formatMs = (ms: number): string => formatters().seconds.format(ms / 1000);

/** A calendar date given as "YYYY-MM-DD" (a birthday), in the user's language; the text
 *  itself when it is not such a date. */
export function formatBirthday(ymd: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return ymd;
  return formatters().date.format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

/** A size: "812 B", "50.2 kB", "1.4 MB", "120.5 GB" (decimal units, as Intl names them). */
export function formatBytes(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(lang.get(), { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: 1 })
    .format(value);
}

/** A long span (a server's uptime) in days, hours and minutes: "3 days, 4 hr, 5 min". */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const parts: [number, "day" | "hour" | "minute" | "second"][] = [
    [Math.floor(total / 86400), "day"], [Math.floor((total % 86400) / 3600), "hour"],
    [Math.floor((total % 3600) / 60), "minute"],
  ];
  const shown = total < 60 ? [[total, "second"] as const] : parts.filter(([n], i) => n > 0 || i === parts.length - 1);
  const current = lang.get();
  return new Intl.ListFormat(current, { style: "narrow", type: "unit" }).format(
    shown.map(([n, unit]) => new Intl.NumberFormat(current, { style: "unit", unit, unitDisplay: "short" }).format(n)));
}

/** A report's period as the server names it in the center's time zone ("2026-11-18 09:00",
 *  "2026-11-18"), in the user's language: the day (or month for monthly reports) and the
 *  clock time as given. `short`: without the year ("11/18 09:00", for a chart's axis). */
export function formatPeriod(period: string, interval: string, short = false): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}:\d{2}))?$/.exec(period);
  if (!match) return period;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const f = formatters();
  if (interval === "month") return f.month.format(day);
  const date = short ? f.dayShort.format(day) : f.calendarDay.format(day);
  return match[4] ? `${date} ${match[4]}` : date;
}

/** A weekday's short name, 0 = Monday (2024-01-01 was one). */
export const formatWeekdayName = (day: number): string =>
  new Intl.DateTimeFormat(lang.get(), { weekday: "short", timeZone: "UTC" }).format(Date.UTC(2024, 0, 1 + day));

/** A month's title ("December 2026", "2026年12月"); `month` 0-11. */
export const formatMonth = (year: number, month: number): string =>
  formatters().month.format(Date.UTC(year, month, 1));

/** An instant as the weekday, date and time in an IANA zone (a calendar's); the user's own zone if unknown. */
export function formatInZone(ms: number, zone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: "short", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat(lang.get(), { ...options, timeZone: zone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(lang.get(), options).format(ms);
  }
}
