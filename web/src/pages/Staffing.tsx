// "Staffing": the Erlang C / Erlang A calculator over POST /api/v1/staffing/erlang
// (docs/metrics.md) — agents needed for one interval's calls and a target, the
// figures they give, and the same figures for a few agents fewer and more so a
// manager sees what one agent buys — and under it the coming week's forecast and
// plan with the calculator's handle time and targets (StaffingForecast.tsx).
import { useState } from "preact/hooks";
import { api, ApiError, type StaffingAnswer, type StaffingFigures } from "../api";
import { formatDecimal, formatMs, formatNumber, formatPercentTenths } from "../format";
import { t, tCode, type MessageKey } from "../i18n";
import { Empty } from "../ui";
import { ForecastPanel } from "./StaffingForecast";

type Form = {
  calls: string; interval: string; aht: string; sl: string; threshold: string; asa: string;
  patience: string; shrinkage: string; basis: string;
};
const initial: Form = {
  calls: "100", interval: "1800", aht: "180", sl: "80", threshold: "20", asa: "", patience: "", shrinkage: "30",
  basis: "offered",
};
const intervals = [900, 1800, 3600] as const;
const bases = ["offered", "answered", "not_abandoned_early"] as const;

/** The request field each input sets, to point at the input the server names. */
const requestField: Record<keyof Form, string> = {
  calls: "calls", interval: "interval_s", aht: "aht_s", sl: "target_sl", threshold: "threshold_s",
  asa: "target_asa_s", patience: "patience_s", shrinkage: "shrinkage", basis: "service_level_basis",
};
const labels: Record<keyof Form, MessageKey> = {
  calls: "staffing.calls", interval: "staffing.interval", aht: "staffing.aht", sl: "staffing.targetSl",
  threshold: "staffing.threshold", asa: "staffing.targetAsa", patience: "staffing.patience",
  shrinkage: "staffing.shrinkage", basis: "staffing.basis",
};

/** A number typed in the form, or undefined when left empty (the server names what is wrong). */
const typed = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));
const percent = (text: string): number | undefined => {
  const value = typed(text);
  return value === undefined ? undefined : value / 100;
};

function requestBody(form: Form): Record<string, unknown> {
  const body: Record<string, unknown> = {
    calls: typed(form.calls), interval_s: Number(form.interval), aht_s: typed(form.aht), target_sl: percent(form.sl),
    threshold_s: typed(form.threshold), target_asa_s: typed(form.asa), patience_s: typed(form.patience),
    shrinkage: percent(form.shrinkage),
  };
  if (form.patience.trim() !== "") body.service_level_basis = form.basis;
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

const optionalSeconds = (s: number | null): string => (s === null ? "—" : formatMs(s * 1000));
const optionalPercent = (fraction: number | null): string => (fraction === null ? "—" : formatPercentTenths(fraction));

export function StaffingPage() {
  const [form, setForm] = useState<Form>(initial);
  const [answer, setAnswer] = useState<StaffingAnswer | null>(null);
  const [error, setError] = useState("");
  const [badInput, setBadInput] = useState<keyof Form | null>(null);
  const [busy, setBusy] = useState(false);

  const calculate = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      setAnswer(await api<StaffingAnswer>("POST", "/staffing/erlang", requestBody(form)));
      setError("");
      setBadInput(null);
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      const named = /'(\w+)'/.exec(message)?.[1];
      const input = (Object.keys(requestField) as (keyof Form)[]).find((key) => requestField[key] === named) ?? null;
      setBadInput(failure instanceof ApiError ? input : null);
      // The server counts percentages as fractions; the form shows percent.
      const hint = input === "sl" || input === "shrinkage" ? ` ${t("staffing.fractionHint")}` : "";
      setError(input ? t("staffing.fieldProblem", { field: t(labels[input]), message }) + hint : t("staffing.failed", { message }));
      setAnswer(null);
    } finally {
      setBusy(false);
    }
  };

  const input = (name: keyof Form, unit: string, extra: Record<string, string> = {}) => (
    <label class="field" key={name}>
      <span>{t(labels[name])}</span>
      <span class="with-unit">
        <input name={name} inputMode="decimal" value={form[name]} aria-invalid={badInput === name ? "true" : undefined}
          onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })} {...extra} />
        <span class="unit">{unit}</span>
      </span>
    </label>
  );

  return (
    <section class="page staffing-page">
      <div class="page-head"><h1>{t("staffing.title")}</h1><span class="muted">{t("staffing.subtitle")}</span></div>
      <div class="staffing-grid">
        <form class="panel staffing-form" id="staffing-form" onSubmit={calculate}>
          <h2>{t("staffing.calculator")}</h2>
          <div class="form-grid">
            {input("calls", t("staffing.unit.calls"))}
            <label class="field">
              <span>{t(labels.interval)}</span>
              <select name="interval" value={form.interval} onChange={(e) => setForm({ ...form, interval: e.currentTarget.value })}>
                {intervals.map((s) => <option key={s} value={s}>{t("staffing.minutes", { n: formatNumber(s / 60) })}</option>)}
              </select>
            </label>
            {input("aht", t("staffing.unit.s"))}
            {input("shrinkage", "%")}
            {input("sl", "%")}
            {input("threshold", t("staffing.unit.s"))}
            {input("asa", t("staffing.unit.s"), { placeholder: t("staffing.optional") })}
            {input("patience", t("staffing.unit.s"), { placeholder: t("staffing.erlangCHint") })}
            <label class="field wide">
              <span>{t(labels.basis)}</span>
              <select name="basis" value={form.basis} disabled={form.patience.trim() === ""}
                onChange={(e) => setForm({ ...form, basis: e.currentTarget.value })}>
                {bases.map((b) => <option key={b} value={b}>{t(`staffing.basisOption.${b}`)}</option>)}
              </select>
            </label>
          </div>
          <p class="muted small">{t("staffing.help")}</p>
          <div class="form-actions">
            <button type="submit" class="primary" id="staffing-calculate" disabled={busy}>{t("staffing.calculate")}</button>
            {error && <span class="form-error" role="alert" id="staffing-error">{error}</span>}
          </div>
        </form>
        <div class="panel staffing-result">
          <h2>{t("staffing.answer")}</h2>
          {answer ? <Answer answer={answer} /> : <Empty>{t("staffing.none")}</Empty>}
        </div>
      </div>
      <ForecastPanel plan={() => requestBody(form)} />
    </section>
  );
}

function Answer({ answer }: { answer: StaffingAnswer }) {
  const erlangA = answer.model === "erlang_a";
  const threshold = formatNumber(answer.threshold_s);
  return (
    <>
      <div class="staffing-headline">
        <div class="figure"><span class="figure-value" id="staffing-agents">{formatNumber(answer.agents)}</span>
          <span class="figure-label">{t("staffing.agents")}</span></div>
        <div class="figure"><span class="figure-value" id="staffing-scheduled">{formatNumber(answer.scheduled_agents)}</span>
          <span class="figure-label">{t("staffing.scheduled", { shrinkage: formatPercentTenths(answer.shrinkage) })}</span></div>
      </div>
      <dl class="facts" id="staffing-facts">
        <dt>{t("staffing.model")}</dt><dd data-field="model">{t(erlangA ? "staffing.model.erlang_a" : "staffing.model.erlang_c")}</dd>
        <dt>{t("staffing.load")}</dt><dd data-field="load">{t("staffing.erlangs", { n: formatDecimal(answer.load_erlangs) })}</dd>
        <dt>{t("staffing.serviceLevel")}</dt>
        <dd data-field="service_level">{optionalPercent(answer.service_level)}
          <span class="muted" id="staffing-definition"> · {erlangA ? tCode("staffing.basis", answer.service_level_basis, { s: threshold })
            : t("staffing.basis.erlang_c", { s: threshold })}</span></dd>
        <dt>{t("staffing.asa")}</dt><dd data-field="asa">{optionalSeconds(answer.asa_s)}</dd>
        <dt>{t("staffing.occupancy")}</dt><dd data-field="occupancy">{optionalPercent(answer.occupancy)}</dd>
        <dt>{t("staffing.abandonment")}</dt>
        <dd data-field="abandonment">{erlangA ? optionalPercent(answer.abandonment) : t("staffing.noAbandonment")}</dd>
      </dl>
      {answer.around.length > 0 && (
        <>
          <h3>{t("staffing.tradeOff")}</h3>
          <table class="grid inner" id="staffing-around">
            <thead>
              <tr>
                <th class="num">{t("staffing.col.agents")}</th>
                <th class="num">{t("staffing.col.scheduled")}</th>
                <th class="num">{t("staffing.serviceLevel")}</th>
                <th class="num">{t("staffing.asa")}</th>
                <th class="num">{t("staffing.occupancy")}</th>
                {erlangA && <th class="num">{t("staffing.abandonment")}</th>}
              </tr>
            </thead>
            <tbody>
              {answer.around.map((row: StaffingFigures) => (
                <tr key={row.agents} data-agents={row.agents} class={row.agents === answer.agents ? "chosen" : ""}>
                  <td class="num mono">{formatNumber(row.agents)}</td>
                  <td class="num mono">{formatNumber(row.scheduled_agents)}</td>
                  <td class="num mono">{row.stable ? formatPercentTenths(row.service_level) : t("staffing.unstable")}</td>
                  <td class="num mono">{row.stable ? optionalSeconds(row.asa_s) : "—"}</td>
                  <td class="num mono">{formatPercentTenths(row.occupancy)}</td>
                  {erlangA && <td class="num mono">{optionalPercent(row.abandonment)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
