// Administration › Settings (admins): the keys of the configuration file that change
// while the server runs (GET /api/v1/settings; docs/api.md, Settings changed while the
// server runs). Grouped in sections, each a form with its own Save that PUTs the rows
// edited in it; a row shows the file's value beside its control, and once changed who
// changed it, when, and "Reset to file value" (DELETE). A refusal is shown under its
// field (the 400 names the key). Beside the form, the trail of the setting last
// touched (the audit log filters by exact target: one setting at a time).
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { events } from "../../events";
import { listOf, typedNumber } from "../../console/Console";
import { Field, FormSection, RecordForm, useSave } from "../../console/RecordForm";
import { FieldProblem } from "../../console/problems";
import { formatDateTime, formatNumber } from "../../format";
import { t, tCode, type MessageKey } from "../../i18n";

type Value = string | number | boolean | string[];

export type Setting = {
  name: string; value: Value; file_value: Value; default: string; meaning: string;
  type: "string" | "integer" | "boolean" | "list"; changed: boolean; changed_by: string; changed_at: number | null;
};

/** What a row's control holds: the text typed (integers, lists as "a, b"), or a flag. */
type Draft = string | boolean;

type Section = { id: string; names: readonly string[] };

const SECTIONS: readonly Section[] = [
  { id: "logging", names: ["log.level"] },
  { id: "recording", names: ["media.record_calls", "media.recording_retention_days"] },
  { id: "calls", names: ["sip.ring_timeout_s"] },
  { id: "outbound", names: [
    "outbound.caller_id", "outbound.international_callers", "outbound.premium_callers",
    "outbound.calls_per_minute_per_caller", "outbound.calls_per_minute", "outbound.concurrent_per_caller", "outbound.concurrent",
  ] },
  { id: "signin", names: ["auth.token_ttl_s"] },
  { id: "reports", names: ["reports.sl_formula", "reports.short_abandon_s", "reports.fcr_window_h"] },
];

/** The keys offered as a list of choices: the catalogue prefixes of their names and,
 *  shown under the list, of what the chosen one means (the Reports page's words). */
const CHOICES: Record<string, { values: readonly string[]; names: string; meanings?: string }> = {
  "log.level": { values: ["trace", "debug", "info", "warn", "error", "critical", "off"], names: "settings.level" },
  "reports.sl_formula": {
    values: ["answered", "answered_abandoned", "answered_late_abandoned", "offered"], names: "reports.formulaName", meanings: "reports.formula",
  },
};

/** The unit after a number (a key's suffix says it). */
function unitOf(name: string): MessageKey | null {
  if (name.endsWith("_days")) return "settings.unit.days";
  if (name.endsWith("_s")) return "settings.unit.seconds";
  if (name.endsWith("_h")) return "settings.unit.hours";
  if (name.includes("calls_per_minute")) return "settings.unit.perMinute";
  if (name.startsWith("outbound.concurrent")) return "settings.unit.calls";
  return null;
}

const draftOf = (value: Value): Draft =>
  typeof value === "boolean" ? value : Array.isArray(value) ? value.join(", ") : String(value);

const edited = (setting: Setting, draft: Draft | undefined): boolean =>
  draft !== undefined && draft !== draftOf(setting.value);

/** The draft as PUT takes it; an empty number is refused here, anything else the server checks. */
function valueOf(setting: Setting, draft: Draft): Value {
  if (typeof draft === "boolean") return draft;
  if (setting.type === "list") return listOf(draft);
  if (setting.type === "integer") {
    const number = typedNumber(draft);
    if (number === undefined) throw new FieldProblem(setting.name, "console.problem.required");
    return number;
  }
  return draft;
}

/** A value in words: choices by their names, numbers in the user's locale with the unit. */
function shown(name: string, value: Value): string {
  if (typeof value === "boolean") return t(value ? "audit.yes" : "audit.no");
  if (Array.isArray(value)) return value.length ? value.join(", ") : t("audit.empty");
  if (typeof value === "number") {
    if (name === "media.recording_retention_days" && value === 0) return t("settings.keptForever");
    const unit = unitOf(name);
    return unit ? `${formatNumber(value)} ${t(unit)}` : formatNumber(value);
  }
  if (value === "") return t("audit.empty");
  const choice = CHOICES[name];
  return choice ? tCode(choice.names, value) : value;
}

export const settingLabel = (name: string): string => tCode("settings.label", name);
const settingHelp = (setting: Setting): string => {
  const help = tCode("settings.help", setting.name);
  return help === setting.name ? setting.meaning : help;
};
const inputId = (name: string) => `setting-${name.replace(/\./g, "-")}`;

export function SettingsTab() {
  const [settings, setSettings] = useState<Setting[] | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [error, setError] = useState("");
  // The setting whose trail is shown: the one last focused, saved or reset.
  const [chosen, setChosen] = useState("");
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const load = () => api<{ items: Setting[] }>("GET", "/settings")
      .then((answer) => { setSettings(answer.items); setError(""); })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
    void load();
    // A change made elsewhere (another admin, another tab) shows at once; a row being
    // edited here keeps its draft.
    const stops = [
      events.on("hello", () => void load()),
      events.on("setting", (event) => {
        const changed = event.record as Setting | undefined;
        if (!changed?.name) return;
        setSettings((all) => all && all.map((s) => (s.name === changed.name ? changed : s)));
        setVersion((v) => v + 1);
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);
  if (error) return <p class="form-error" role="alert">{error}</p>;
  if (!settings) return <p class="muted">{t("console.loading")}</p>;

  const byName = new Map(settings.map((s) => [s.name, s]));
  const known = new Set(SECTIONS.flatMap((section) => section.names));
  const sections: Section[] = [
    ...SECTIONS,
    // A key this page does not know yet (a newer server): listed with the server's words.
    { id: "other", names: settings.filter((s) => !known.has(s.name)).map((s) => s.name) },
  ].filter((section) => section.names.some((name) => byName.has(name)));
  const took = (answer: Setting) => {
    setSettings((all) => all && all.map((s) => (s.name === answer.name ? answer : s)));
    setDrafts((all) => {
      const { [answer.name]: _dropped, ...rest } = all;
      return rest;
    });
    setChosen(answer.name);
    setVersion((v) => v + 1);
  };
  const trailOf = chosen && byName.has(chosen) ? chosen : sections[0]?.names[0] ?? "";
  return (
    <div class="record-body settings-page">
      <div class="record-main panel">
        <p class="muted small settings-intro">{t("settings.intro")}</p>
        {sections.map((section) => (
          <SettingsSection key={section.id} section={section}
            settings={section.names.flatMap((name) => byName.get(name) ?? [])} drafts={drafts}
            setDraft={(name, draft) => setDrafts((all) => ({ ...all, [name]: draft }))}
            took={took} chosen={trailOf} choose={setChosen} />
        ))}
      </div>
      <aside class="record-aside">
        {trailOf && <AuditTrail target={`setting:${trailOf}`} version={version} fields="settings.audit"
          subject={settingLabel(trailOf)} />}
      </aside>
    </div>
  );
}

type SectionProps = {
  section: Section; settings: Setting[]; drafts: Record<string, Draft>;
  setDraft: (name: string, draft: Draft) => void; took: (answer: Setting) => void;
  chosen: string; choose: (name: string) => void;
};

function SettingsSection({ section, settings, drafts, setDraft, took, chosen, choose }: SectionProps) {
  const save = useSave();
  const pending = settings.filter((s) => edited(s, drafts[s.name]));
  // One PUT per edited row, in order; the first refusal stops and is shown at its row.
  const submit = () => void save.run(async () => {
    for (const setting of pending) {
      const value = valueOf(setting, drafts[setting.name]!);
      took(await api<Setting>("PUT", `/settings/${encodeURIComponent(setting.name)}`, { value }));
    }
  }, pending.length ? "console.saved" : "settings.nothingToSave");
  const reset = (setting: Setting) => void save.run(async () => {
    took(await api<Setting>("DELETE", `/settings/${encodeURIComponent(setting.name)}`));
  }, "settings.resetDone");
  const title = section.id === "other" ? t("settings.section.other") : tCode("settings.section", section.id);
  const help = tCode("settings.sectionHelp", section.id);
  return (
    <RecordForm id={`settings-${section.id}`} save={save} onSubmit={submit} pending={pending.length > 0}>
      <FormSection id={`settings-section-${section.id}`} title={title} help={help === section.id ? undefined : help}>
        {settings.map((setting) => (
          <SettingRow key={setting.name} setting={setting} draft={drafts[setting.name]} chosen={setting.name === chosen}
            onDraft={(draft) => setDraft(setting.name, draft)} onReset={() => reset(setting)}
            onChoose={() => choose(setting.name)} busy={save.busy} />
        ))}
      </FormSection>
    </RecordForm>
  );
}

type RowProps = {
  setting: Setting; draft: Draft | undefined; chosen: boolean; busy: boolean;
  onDraft: (draft: Draft) => void; onReset: () => void; onChoose: () => void;
};

function SettingRow({ setting, draft, chosen, busy, onDraft, onReset, onChoose }: RowProps) {
  const { name } = setting;
  const current = draft ?? draftOf(setting.value);
  const dirty = edited(setting, draft);
  const id = inputId(name);
  const choice = CHOICES[name];
  const unit = unitOf(name);
  let control;
  if (typeof current === "boolean") {
    control = <input id={id} type="checkbox" checked={current} onChange={(e) => onDraft(e.currentTarget.checked)} />;
  } else if (choice) {
    const values = choice.values.includes(current) ? choice.values : [current, ...choice.values];
    const select = (
      <select id={id} value={current} onChange={(e) => onDraft(e.currentTarget.value)}>
        {values.map((v) => <option key={v} value={v}>{tCode(choice.names, v)}</option>)}
      </select>
    );
    control = choice.meanings ? (
      <span class="setting-control below">
        {select}
        <span class="setting-formula">{tCode(choice.meanings, current)}</span>
      </span>
    ) : select;
  } else if (setting.type === "integer") {
    control = (
      <span class="setting-control">
        <input id={id} class="setting-number mono" inputMode="numeric" autoComplete="off" value={current}
          onInput={(e) => onDraft(e.currentTarget.value)} />
        {unit && <span class="setting-unit">{t(unit)}</span>}
      </span>
    );
  } else {
    control = (
      <input id={id} autoComplete="off" spellcheck={false} value={current} class={setting.type === "list" ? "" : "mono"}
        placeholder={setting.type === "list" ? t("settings.listPlaceholder") : t("settings.emptyPlaceholder")}
        onInput={(e) => onDraft(e.currentTarget.value)} />
    );
  }
  return (
    <div class={`setting-row${dirty ? " edited" : ""}${chosen ? " chosen" : ""}`} data-setting={name}
      onFocusIn={onChoose} onClick={onChoose}>
      <Field name={name} label={settingLabel(name)} help={settingHelp(setting)} check={typeof current === "boolean"}>
        {control}
      </Field>
      <div class="setting-meta small">
        <span class="setting-file muted" title={t("settings.defaultIs", { value: setting.default })}>
          {t("settings.file", { value: shown(name, setting.file_value) })}
        </span>
        {dirty && (
          <span class="setting-dirty">
            <span class="pill dirty">{t("settings.unsaved")}</span>
            <button type="button" class="small quiet setting-undo" disabled={busy} onClick={() => onDraft(draftOf(setting.value))}>
              {t("settings.undo")}
            </button>
          </span>
        )}
        {setting.changed && (
          <>
            <span class="setting-changed">
              {t("settings.changedBy", { who: setting.changed_by, when: setting.changed_at ? formatDateTime(setting.changed_at) : "" })}
            </span>
            <button type="button" class="small setting-reset" disabled={busy} onClick={onReset}>{t("settings.reset")}</button>
          </>
        )}
      </div>
    </div>
  );
}
