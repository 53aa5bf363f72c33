// Administration › Queues: the list with each queue's live figures, and a queue's
// every field (docs/api.md, Skills, queues and agents) in sections with help — who
// answers (skills with minimum levels, groups, strategy), timing, limits and
// overflow (tiers, the target), what callers hear, callbacks, wallboard alerts —
// beside its live status, the agents serving it now and its audit trail.
// REST: /api/v1/queues (PUT creates or replaces the whole record).
import { useEffect, useState } from "preact/hooks";
import { api, type Agent, type QueueConfig, type Skill } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { listOf, openRecord, RecordPage, typedNumber, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { DeleteButton, Field, FormSection, RecordForm, useReadOnly, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { events } from "../../events";
import { formatDuration, formatNumber } from "../../format";
import { t, tCode, type MessageKey } from "../../i18n";
import { AgentStatePill, useDebounced } from "../../ui";
import { MusicPicker } from "./MusicPicker";

const TAB = "queues";
export const strategies = ["longest_idle", "round_robin", "fewest_calls", "least_talk_time", "ring_all", "linear",
  "random", "best_skill"] as const;
const overflowKinds = ["queue", "flow", "voicemail", "number"] as const;
/** The reports' service-level formulas (docs/metrics.md); "" = the reports' default. */
const slFormulas = ["answered", "answered_abandoned", "answered_late_abandoned", "offered"] as const;

const numbers = ["priority", "max_wait_s", "max_size", "wrap_up_s", "ring_timeout_s", "service_level_s", "announce_every_s",
  "last_agent_wait_s", "default_handle_time_s", "comfort_every_s", "callback_attempts", "callback_retry_s", "alert_wait_s",
  "alert_waiting", "alert_service_level_pct"] as const;
type NumberName = typeof numbers[number];
const texts = ["ring", "music", "comfort_text", "voice", "callback_key"] as const;
type TextName = typeof texts[number];

type Draft = Record<NumberName | TextName, string> & {
  name: string; strategy: string; sl_formula: string; groups: string; agent_order: string; prefer_newly_trained: boolean;
  announce_position: boolean; skills: { skill: string; min_level: string }[]; tiers: { after_s: string; queue: string }[];
  overflowKind: string; overflowTarget: string; calendar: string; closedKind: string; closedTarget: string;
};

/** The server's defaults (a queue PUT with only its name). */
const defaults: Omit<QueueConfig, "name"> = {
  strategy: "longest_idle", priority: 0, skills: [], groups: [], max_wait_s: 0, max_size: 0, wrap_up_s: 0, ring_timeout_s: 20,
  service_level_s: 20, sl_formula: "", announce_every_s: 0, last_agent_wait_s: 0, default_handle_time_s: 180, prefer_newly_trained: false,
  agent_order: [], overflow_tiers: [], overflow: {}, calendar: "", closed: {}, ring: "", music: "", comfort_text: "", voice: "en", comfort_every_s: 30,
  announce_position: false, callback_key: "", callback_attempts: 3, callback_retry_s: 300, alert_wait_s: 0, alert_waiting: 0,
  alert_service_level_pct: 0,
};

function draftOf(queue: QueueConfig | null): Draft {
  const q: QueueConfig = queue ?? { name: "", ...defaults };
  const kind = Object.keys(q.overflow)[0] ?? "";
  const closedKind = Object.keys(q.closed ?? {})[0] ?? "";
  const draft = {
    name: q.name, strategy: q.strategy, sl_formula: q.sl_formula ?? "", groups: q.groups.join(", "), agent_order: q.agent_order.join(", "),
    prefer_newly_trained: q.prefer_newly_trained, announce_position: q.announce_position,
    skills: q.skills.map((s) => ({ skill: s.skill, min_level: String(s.min_level) })),
    tiers: q.overflow_tiers.map((tier) => ({ after_s: String(tier.after_s), queue: tier.queue })),
    overflowKind: kind, overflowTarget: kind ? q.overflow[kind] ?? "" : "",
    calendar: q.calendar ?? "", closedKind, closedTarget: closedKind ? q.closed[closedKind] ?? "" : "",
  } as Draft;
  for (const name of numbers) draft[name] = String(q[name]);
  for (const name of texts) draft[name] = q[name];
  return draft;
}

function bodyOf(draft: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    strategy: draft.strategy, sl_formula: draft.sl_formula, groups: listOf(draft.groups), agent_order: listOf(draft.agent_order),
    prefer_newly_trained: draft.prefer_newly_trained, announce_position: draft.announce_position,
    skills: draft.skills.map((s) => ({ skill: s.skill, min_level: typedNumber(s.min_level) ?? 1 })),
    overflow_tiers: draft.tiers.map((tier) => ({ after_s: typedNumber(tier.after_s) ?? 0, queue: tier.queue })),
    overflow: draft.overflowKind ? { [draft.overflowKind]: draft.overflowTarget.trim() } : {},
    calendar: draft.calendar, closed: draft.closedKind ? { [draft.closedKind]: draft.closedTarget.trim() } : {},
  };
  for (const name of numbers) {
    const value = typedNumber(draft[name]);
    if (value !== undefined) body[name] = value;
  }
  for (const name of texts) body[name] = draft[name];
  return body;
}

export function QueuesTab({ route }: { route: ConsoleRoute }) {
  const [queues, setQueues] = useState<QueueConfig[] | null>(null);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [flows, setFlows] = useState<string[]>([]);
  const [calendars, setCalendars] = useState<string[]>([]);
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: QueueConfig[] }>("GET", "/queues").then((a) => { setQueues(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    api<{ items: Agent[] }>("GET", "/agents").then((a) => setAgents(a.items)).catch(() => {});
  };
  const reload = useDebounced(load, 500);
  useEffect(() => {
    load();
    api<{ items: Skill[] }>("GET", "/skills").then((a) => setSkills(a.items)).catch(() => {});
    api<{ items: { name: string; current_version: number }[] }>("GET", "/flows")
      .then((a) => setFlows(a.items.filter((f) => f.current_version > 0).map((f) => f.name))).catch(() => {});
    api<{ items: { name: string }[] }>("GET", "/calendars").then((a) => setCalendars(a.items.map((c) => c.name))).catch(() => {});
    const stops = [events.on("hello", load), events.on("queue", reload), events.on("queue_call", reload),
      events.on("agent", reload), events.on("agent_config", reload)];
    return () => stops.forEach((stop) => stop());
  }, []);

  if (route.key || route.isNew) {
    const queue = queues?.find((q) => q.name === route.key) ?? null;
    if (route.key && queues && !queue) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (!queues) return null;
    return <QueueRecord key={route.key || "new"} queue={queue} queues={queues} skills={skills} flows={flows} calendars={calendars} admin={admin} onChanged={load}
      serving={queue ? agents.filter((a) => a.queues.includes(queue.name)) : []} />;
  }
  return (
    <RecordList id="queue-list" items={queues} error={error} keyOf={(q) => q.name}
      text={(q) => `${q.name} ${q.strategy} ${q.skills.map((s) => s.skill).join(" ")} ${q.groups.join(" ")}`}
      searchLabel={t("queues.search")} empty={t("queues.empty")} newLabel={t("queues.new")}
      onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined} onOpen={(q) => openRecord("admin", TAB, q.name)}
      columns={[
        { label: t("queues.f.name"), cell: (q) => q.name, class: "mono col-key" },
        { label: t("queues.f.strategy"), cell: (q) => tCode("queues.strategy", q.strategy) },
        { label: t("queues.col.skills"), cell: (q) => q.skills.map((s) => <span key={s.skill} class="tag">{s.skill} ≥ {formatNumber(s.min_level)}</span>) },
        { label: t("queues.col.waiting"), cell: (q) => formatNumber(q.status?.waiting ?? 0), class: "num" },
        { label: t("queues.col.loggedIn"), cell: (q) => formatNumber(q.status?.logged_in ?? 0), class: "num" },
        { label: t("queues.col.ready"), cell: (q) => formatNumber(q.status?.ready ?? 0), class: "num" },
        { label: t("queues.col.overflow"), cell: (q) => overflowText(q) },
      ]} />
  );
}

/** Where calls go (the overflow, or while closed): a kind and its target, the API's {"kind": "target"}. */
function TargetFields({ field, label, help, kind, target, onChange }: {
  field: "overflow" | "closed"; label: string; help: string; kind: string; target: string;
  onChange: (kind: string, target: string) => void;
}) {
  return (
    <>
      <Field name={field} label={label} help={help}>
        <select id={`queue-${field}-kind`} value={kind} onChange={(e) => onChange(e.currentTarget.value, target)}>
          <option value="">{t(field === "closed" ? "queues.closed.none" : "queues.overflow.none")}</option>
          {overflowKinds.map((k) => <option key={k} value={k}>{tCode("queues.overflow", k)}</option>)}
        </select>
      </Field>
      {kind && (
        <Field name={`${field}.${kind}`} label={tCode("queues.overflowTarget", kind)}>
          <input id={`queue-${field}-target`} value={target} list={kind === "queue" ? "queue-names" : kind === "flow" ? "flow-names" : undefined}
            onInput={(e) => onChange(kind, e.currentTarget.value)} />
        </Field>
      )}
    </>
  );
}

function overflowText(q: QueueConfig): string {
  const kind = Object.keys(q.overflow)[0];
  return kind ? `${tCode("queues.overflow", kind)} → ${q.overflow[kind] ?? ""}` : "—";
}

function QueueRecord({ queue, queues, skills, flows, calendars, serving, admin, onChanged }: {
  queue: QueueConfig | null; queues: QueueConfig[]; skills: Skill[]; flows: string[]; calendars: string[]; serving: Agent[]; admin: boolean;
  onChanged: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(queue));
  const [version, setVersion] = useState(0);
  const save = useSave({ invalid_parameter: "name" });
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const others = queues.filter((q) => q.name !== draft.name).map((q) => q.name);

  const submit = () => void save.run(async () => {
    const key = draft.name.trim();
    if (!key) throw new FieldProblem("name", "console.problem.required");
    if (!queue && queues.some((q) => q.name === key)) throw new FieldProblem("name", "console.taken", { key });
    const saved = await api<QueueConfig>("PUT", `/queues/${encodeURIComponent(key)}`, bodyOf(draft));
    onChanged();
    setVersion((v) => v + 1);
    if (!queue) openRecord("admin", TAB, saved.name);
  });
  const remove = () => void save.run(async () => {
    await api("DELETE", `/queues/${encodeURIComponent(queue!.name)}`);
    onChanged();
    openRecord("admin", TAB);
  }, "console.deleted");

  const label = (name: string) => t(`queues.f.${name}` as MessageKey);
  const help = (name: string) => t(`queues.h.${name}` as MessageKey);
  const num = (name: NumberName) => (
    <Field key={name} name={name} label={label(name)} help={help(name)}>
      <input id={`queue-${name}`} inputMode="numeric" value={draft[name]} onInput={(e) => set({ [name]: e.currentTarget.value })} />
    </Field>
  );
  const text = (name: TextName | "groups" | "agent_order", wide = false, list?: string) => (
    <Field key={name} name={name} label={label(name)} help={help(name)} wide={wide}>
      <input id={`queue-${name}`} value={draft[name]} list={list} onInput={(e) => set({ [name]: e.currentTarget.value })} />
    </Field>
  );
  const check = (name: "prefer_newly_trained" | "announce_position") => (
    <Field key={name} name={name} label={label(name)} help={help(name)} check>
      <input type="checkbox" id={`queue-${name}`} checked={draft[name]} onChange={(e) => set({ [name]: e.currentTarget.checked })} />
    </Field>
  );
  const status = queue?.status;
  return (
    <RecordPage backLabel={t("admin.tab.queues")} onBack={() => openRecord("admin", TAB)}
      title={queue ? queue.name : t("queues.new")} subtitle={queue && tCode("queues.strategy", queue.strategy)}
      aside={queue && <>
        <section class="panel" id="queue-status">
          <h2>{t("queues.live")}</h2>
          <div class="live-figures">
            <div data-field="waiting"><b>{formatNumber(status?.waiting ?? 0)}</b><span>{t("queues.col.waiting")}</span></div>
            <div data-field="logged_in"><b>{formatNumber(status?.logged_in ?? 0)}</b><span>{t("queues.col.loggedIn")}</span></div>
            <div data-field="ready"><b>{formatNumber(status?.ready ?? 0)}</b><span>{t("queues.col.ready")}</span></div>
          </div>
          {status && status.handle_time_ms > 0 && (
            <p class="muted small">{t("queues.handleTime", { time: formatDuration(status.handle_time_ms / 1000) })}</p>
          )}
          <h3>{t("queues.serving")}</h3>
          {serving.length === 0 ? <p class="muted small">{t("queues.nobody")}</p> : (
            <ul class="plain-list">
              {serving.map((a) => (
                <li key={a.extension}><a href={`#/admin?tab=agents&key=${encodeURIComponent(a.extension)}`}>{a.extension} {a.name}</a>
                  {" "}<AgentStatePill state={a.state} /></li>
              ))}
            </ul>
          )}
        </section>
        <AuditTrail target={`queue:${queue.name}`} version={version} fields="queues.f" />
      </>}>
      <RecordForm id="queue-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={queue && <DeleteButton id="queue-delete" question={t("queues.deleteQuestion", { name: queue.name })} onDelete={remove} />}>
        <datalist id="queue-names">{others.map((n) => <option key={n} value={n} />)}</datalist>
        <datalist id="flow-names">{flows.map((n) => <option key={n} value={n} />)}</datalist>
        <FormSection title={t("queues.s.general")} help={t("queues.sh.general")}>
          <Field name="name" label={label("name")} help={queue ? undefined : t("console.help.key")}>
            <input id="queue-name" value={draft.name} readOnly={!!queue} onInput={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field name="strategy" label={label("strategy")} help={t(`queues.strategyHelp.${draft.strategy}` as MessageKey)}>
            <select id="queue-strategy" value={draft.strategy} onChange={(e) => set({ strategy: e.currentTarget.value })}>
              {strategies.map((s) => <option key={s} value={s}>{tCode("queues.strategy", s)}</option>)}
            </select>
          </Field>
          {num("priority")}
        </FormSection>
        <FormSection title={t("queues.s.agents")} help={t("queues.sh.agents")}>
          <Field name="skills" label={label("skills")} help={help("skills")} wide group>
            <SkillRows rows={draft.skills} skills={skills} onChange={(rows) => set({ skills: rows })} />
          </Field>
          {text("groups")}
          {text("agent_order")}
          {text("ring")}
          {num("last_agent_wait_s")}
          {check("prefer_newly_trained")}
        </FormSection>
        <FormSection title={t("queues.s.timing")} help={t("queues.sh.timing")}>
          {num("ring_timeout_s")}
          {num("wrap_up_s")}
          {num("service_level_s")}
          <Field name="sl_formula" label={label("sl_formula")} help={help("sl_formula")}>
            <select id="queue-sl_formula" value={draft.sl_formula} onChange={(e) => set({ sl_formula: e.currentTarget.value })}>
              <option value="">{t("queues.slFormula.default")}</option>
              {slFormulas.map((f) => <option key={f} value={f}>{tCode("queues.slFormula", f)}</option>)}
            </select>
          </Field>
          {num("default_handle_time_s")}
        </FormSection>
        <FormSection title={t("queues.s.overflow")} help={t("queues.sh.overflow")}>
          {num("max_wait_s")}
          {num("max_size")}
          <TargetFields field="overflow" label={label("overflow")} help={help("overflow")} kind={draft.overflowKind}
            target={draft.overflowTarget} onChange={(overflowKind, overflowTarget) => set({ overflowKind, overflowTarget })} />
          <Field name="overflow_tiers" label={label("overflow_tiers")} help={help("overflow_tiers")} wide group>
            <TierRows rows={draft.tiers} onChange={(rows) => set({ tiers: rows })} />
          </Field>
        </FormSection>
        <FormSection title={t("queues.s.hours")} help={t("queues.sh.hours")}>
          <Field name="calendar" label={label("calendar")} help={help("calendar")}>
            <select id="queue-calendar" value={draft.calendar} onChange={(e) => set({ calendar: e.currentTarget.value })}>
              <option value="">{t("queues.calendar.none")}</option>
              {[...new Set([...calendars, draft.calendar].filter(Boolean))].map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </Field>
          {draft.calendar && (
            <TargetFields field="closed" label={label("closed")} help={help("closed")} kind={draft.closedKind}
              target={draft.closedTarget} onChange={(closedKind, closedTarget) => set({ closedKind, closedTarget })} />
          )}
        </FormSection>
        <FormSection title={t("queues.s.callers")} help={t("queues.sh.callers")}>
          <Field name="music" label={label("music")} help={help("music")} wide>
            <MusicPicker id="queue-music" value={draft.music} onChange={(music) => set({ music })} />
          </Field>
          {text("voice")}
          {num("comfort_every_s")}
          {num("announce_every_s")}
          {check("announce_position")}
          {text("comfort_text", true)}
        </FormSection>
        <FormSection title={t("queues.s.callbacks")} help={t("queues.sh.callbacks")}>
          {text("callback_key")}
          {num("callback_attempts")}
          {num("callback_retry_s")}
        </FormSection>
        <FormSection title={t("queues.s.alerts")} help={t("queues.sh.alerts")}>
          {num("alert_wait_s")}
          {num("alert_waiting")}
          {num("alert_service_level_pct")}
        </FormSection>
      </RecordForm>
    </RecordPage>
  );
}

/** A list of skills with a level each: "skills[i].skill", "skills[i].<levelField>". */
export function SkillRows<R extends { skill: string }>({ rows, skills, onChange, levelField = "min_level" as keyof R & string, prefix = "skills" }: {
  rows: R[]; skills: Skill[]; onChange: (rows: R[]) => void; levelField?: keyof R & string; prefix?: string;
}) {
  const readOnly = useReadOnly();
  const change = (i: number, patch: Partial<R>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const levelLabel = t(levelField === "min_level" ? "queues.minLevel" : "agentsConfig.level");
  return (
    <div class="rows" data-rows={prefix}>
      {rows.map((row, i) => (
        <div class="row-item" key={i}>
          <Field name={`${prefix}[${i}].skill`} label={t("queues.skill")} hideLabel>
            <select value={row.skill} data-row={i} class="row-skill" onChange={(e) => change(i, { skill: e.currentTarget.value } as Partial<R>)}>
              {!skills.some((s) => s.name === row.skill) && <option value={row.skill}>{row.skill}</option>}
              {skills.map((s) => <option key={s.name} value={s.name}>{s.name}{s.description ? ` — ${s.description}` : ""}</option>)}
            </select>
          </Field>
          <Field name={`${prefix}[${i}].${levelField}`} label={levelLabel} hideLabel>
            <input inputMode="numeric" class="row-level narrow-input" aria-label={levelLabel} placeholder={levelLabel}
              value={String(row[levelField] ?? "")} onInput={(e) => change(i, { [levelField]: e.currentTarget.value } as Partial<R>)} />
          </Field>
          {!readOnly && <button type="button" class="small quiet-remove" aria-label={t("console.remove")} title={t("console.remove")}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</button>}
        </div>
      ))}
      {rows.length === 0 && <span class="muted small">{t("queues.noSkills")}</span>}
      {!readOnly && (
        <button type="button" class="small add-row" id={`${prefix}-add`} disabled={skills.length === 0}
          onClick={() => onChange([...rows, { skill: skills.find((s) => !rows.some((r) => r.skill === s.name))?.name ?? skills[0]?.name ?? "", [levelField]: "1" } as unknown as R])}>
          + {t("queues.addSkill")}
        </button>
      )}
    </div>
  );
}

function TierRows({ rows, onChange }: { rows: Draft["tiers"]; onChange: (rows: Draft["tiers"]) => void }) {
  const readOnly = useReadOnly();
  const change = (i: number, patch: Partial<Draft["tiers"][number]>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <div class="rows">
      {rows.map((row, i) => (
        <div class="row-item tier-row" key={i}>
          <Field name={`overflow_tiers[${i}].after_s`} label={t("queues.tierAfter")} hideLabel>
            <input inputMode="numeric" aria-label={t("queues.tierAfter")} placeholder={t("queues.tierAfter")} value={row.after_s}
              onInput={(e) => change(i, { after_s: e.currentTarget.value })} />
          </Field>
          <Field name={`overflow_tiers[${i}].queue`} label={t("queues.tierQueue")} hideLabel>
            <input list="queue-names" aria-label={t("queues.tierQueue")} placeholder={t("queues.tierQueue")} value={row.queue}
              onInput={(e) => change(i, { queue: e.currentTarget.value })} />
          </Field>
          {!readOnly && <button type="button" class="small quiet-remove" aria-label={t("console.remove")} title={t("console.remove")}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</button>}
        </div>
      ))}
      {rows.length === 0 && <span class="muted small">{t("queues.noTiers")}</span>}
      {!readOnly && <button type="button" class="small add-row" id="tier-add" onClick={() => onChange([...rows, { after_s: "60", queue: "" }])}>+ {t("queues.addTier")}</button>}
    </div>
  );
}
