// The side form of the designer: the selected node's fields by its type (docs/ivr.md,
// Node types), or the flow's own settings when no node is selected. Problems the check
// found are shown under their field; the rest of a node's above the form.
import { useEffect, useState } from "preact/hooks";
import { t, tCode } from "../i18n";
import {
  CheckField, Field, fieldLabel, ListField, ListInput, MapField, NodeSelect, NumberField, SelectField, TextField,
} from "./fields";
import {
  exitsOf, isNodeType, MENU_KEYS, nodesOf, problemIn, type Problem, simpleExits, typeOf, VALID_ID,
} from "./graph";
import { isArray, isObject, type JObject, type JValue, str, withKey, withoutKey } from "./json";
import { PromptEditor } from "./PromptEditor";

/** The fields each type has (docs/ivr.md); any other field is shown as kept. */
const FIELDS: Record<string, readonly string[]> = {
  play: ["prompt", "barge_in", "next"],
  menu: ["prompt", "options", "invalid_prompt", "timeout_prompt", "timeout_ms", "retries", "on_failure"],
  collect: ["prompt", "variable", "min_digits", "max_digits", "terminator", "pattern", "timeout_ms", "inter_digit_timeout_ms",
    "invalid_prompt", "timeout_prompt", "retries", "next", "on_failure"],
  set: ["variables", "next"],
  condition: ["rules", "else"],
  schedule: ["calendar", "time_zone", "hours", "holidays", "open", "closed", "holiday"],
  http: ["url", "method", "body", "timeout_ms", "assign", "next", "on_error"],
  queue: ["queue", "priority", "skills", "on_failure"],
  transfer: ["to", "on_failure"],
  voicemail: ["mailbox", "max_seconds", "prompt"],
  hangup: [],
};
/** A schedule naming a shared calendar has none of its own hours. */
const OWN_HOURS = ["time_zone", "hours", "holidays"];
const DOC_FIELDS = ["name", "description", "dids", "start", "time_zone", "variables", "nodes"];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const SUBJECTS = ["caller", "did", "digits", "time", "weekday", "date"];
const OPS: Record<string, readonly string[]> = {
  time: ["between"],
  weekday: ["equals", "in"],
  date: ["equals", "in"],
  variable: ["equals", "not_equals", "prefix", "in", "matches", "empty", "not_empty", "less_than", "greater_than"],
};

type NodeList = { id: string; type: string }[];

export type NodeFormProps = {
  doc: JObject;
  id: string;
  problems: Problem[];
  disabled: boolean;
  queues: string[];
  /** The shared calendars' names, for schedule nodes. */
  calendars: string[];
  onChange: (node: JObject) => void;
  onRename: (to: string) => void;
  onDelete: () => void;
  onSetStart: () => void;
  onPick: (path: string) => void;
};

export function NodeForm({ doc, id, problems, disabled, queues, calendars, onChange, onRename, onDelete, onSetStart, onPick }: NodeFormProps) {
  const node = nodesOf(doc).get(id);
  const nodes: NodeList = [...nodesOf(doc)].map(([n, v]) => ({ id: n, type: typeOf(v) }));
  const [name, setName] = useState(id);
  useEffect(() => setName(id), [id]);
  if (!isObject(node)) {
    return <div class="flow-form"><p class="flow-field-problem">{t("flows.nodeNotObject", { id })}</p></div>;
  }
  const type = typeOf(node);
  const fields = (FIELDS[type] ?? []).filter((f) => !(node.has("calendar") && OWN_HOURS.includes(f)));
  const known = new Set(["type", "description", ...fields]);
  const others = [...node.keys()].filter((k) => !known.has(k));
  const shownFields = new Set(["description", ...fields]);
  const loose = problems.filter((p) => p.field === "" || ![...shownFields].some((f) => problemIn(p, f)));
  const props = { object: node, problems, onChange, disabled };
  const exit = (field: string) => (
    <ExitField key={field} node={node} field={field} nodes={nodes} problems={problems} disabled={disabled}
      onChange={onChange} onPick={onPick} />
  );
  const nameError = name !== id && !VALID_ID.test(name) ? t("flows.badId")
    : name !== id && nodesOf(doc).has(name) ? t("flows.idTaken", { id: name }) : "";
  const isStart = str(doc.get("start")) === id;
  return (
    <div class="flow-form" id="node-form" data-node={id}>
      <div class="flow-form-head">
        <span class={`flow-type type-${type}`}>{tCode("flows.type", type)}</span>
        {isStart && <span class="badge">{t("flows.start")}</span>}
        <span class="gap" />
        {!isStart && <button type="button" class="small" disabled={disabled} onClick={onSetStart}>{t("flows.makeStart")}</button>}
        <button type="button" class="small danger-text" id="node-delete" disabled={disabled} onClick={onDelete}
          title={t("flows.deleteTitle")}>{t("flows.delete")}</button>
      </div>
      <div class="flow-field" data-field="id">
        <span class="flow-field-label">{t("flows.nodeId")}</span>
        <div class="flow-row">
          <input type="text" id="node-id" value={name} disabled={disabled} aria-label={t("flows.nodeId")}
            onInput={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === "Enter" && !nameError && name !== id) onRename(name); }} />
          <button type="button" class="small" disabled={disabled || name === id || nameError !== ""}
            onClick={() => onRename(name)}>{t("flows.rename")}</button>
        </div>
        {nameError && <span class="flow-field-problem" role="alert">{nameError}</span>}
      </div>
      {loose.length > 0 && (
        <ul class="flow-loose">{loose.map((p, i) => <li key={i} role="alert">{p.field ? `${p.field}: ` : ""}{p.message}</li>)}</ul>
      )}
      {!isNodeType(type) && <p class="muted small">{t("flows.unknownType", { type })}</p>}
      <TextField {...props} field="description" optional />
      {fields.map((field) => {
        if (simpleExits(type).some((e) => e.field === field)) return exit(field);
        switch (field) {
          case "prompt": case "invalid_prompt": case "timeout_prompt":
            return <PromptEditor key={`${id}/${field}`} {...props} field={field} />;
          case "barge_in":
            return <CheckField key={field} {...props} field={field} />;
          case "timeout_ms": case "retries": case "min_digits": case "max_digits": case "inter_digit_timeout_ms": case "max_seconds":
            return <NumberField key={field} {...props} field={field} placeholder={defaults(type, field)} />;
          case "priority":
            return <TextField key={field} {...props} field={field} optional placeholder="0" />;
          case "terminator":
            return <SelectField key={field} {...props} field={field} choices={["#", "*", ""]} fallback="#" />;
          case "method":
            return <SelectField key={field} {...props} field={field} choices={["GET", "POST"]} fallback="GET" />;
          case "options":
            return <OptionsField key={field} {...props} nodes={nodes} onPick={onPick} />;
          case "rules":
            return <RulesField key={field} {...props} nodes={nodes} onPick={onPick} />;
          case "hours":
            return <HoursField key={field} {...props} />;
          case "calendar":
            return <CalendarField key={field} {...props} calendars={calendars} />;
          case "holidays": case "skills":
            return <ListField key={field} {...props} field={field} placeholder={field === "holidays" ? "2026-10-01, 2026-10-02" : "english, vip:5"} />;
          case "variables": case "body":
            return <MapField key={field} {...props} field={field} keyLabel={t("flows.varName")} valueLabel={t("flows.varValue")} />;
          case "assign":
            return <MapField key={field} {...props} field={field} keyLabel={t("flows.varName")} valueLabel={t("flows.pointer")} />;
          case "queue":
            return (
              <Field key={field} field={field} problems={problems}>
                <input type="text" list="flow-queues" value={str(node.get("queue"))} disabled={disabled} aria-label={fieldLabel(field)}
                  onInput={(e) => onChange(withKey(node, "queue", e.currentTarget.value))} />
              </Field>
            );
          default:
            return <TextField key={field} {...props} field={field} optional={!["url", "to", "mailbox", "variable", "time_zone"].includes(field)} />;
        }
      })}
      <datalist id="flow-queues">{queues.map((q) => <option key={q} value={q} />)}</datalist>
      {others.length > 0 && <KeptFields object={node} keys={others} />}
    </div>
  );
}

function defaults(type: string, field: string): string {
  const values: Record<string, string> = {
    timeout_ms: type === "http" ? "3000" : "5000", retries: "2", min_digits: "1", max_digits: "20",
    inter_digit_timeout_ms: "3000", max_seconds: "120",
  };
  return values[field] ?? "";
}

/** Fields the form does not know, kept as they are (the check names them if wrong). */
function KeptFields({ object, keys }: { object: JObject; keys: string[] }) {
  return (
    <div class="flow-kept">
      <span class="flow-field-label">{t("flows.keptFields")}</span>
      {keys.map((k) => <code key={k} class="flow-raw">{k}: {JSON.stringify(plain(object.get(k)))}</code>)}
    </div>
  );
}

const plain = (value: JValue | undefined): unknown =>
  isObject(value) ? Object.fromEntries([...value].map(([k, v]) => [k, plain(v)])) : isArray(value) ? value.map(plain) : value;

function ExitField({ node, field, nodes, problems, disabled, onChange, onPick }: {
  node: JObject; field: string; nodes: NodeList; problems: Problem[]; disabled: boolean;
  onChange: (node: JObject) => void; onPick: (path: string) => void;
}) {
  return (
    <Field field={field} problems={problems}>
      <div class="flow-row">
        <NodeSelect value={str(node.get(field))} nodes={nodes} disabled={disabled} label={fieldLabel(field)} id={`exit-${field}`}
          onChange={(target) => onChange(target ? withKey(node, field, target)
            : exitsOf(node).find((e) => e.path === field)?.required ? withKey(node, field, "") : withoutKey(node, field))} />
        <PickButton disabled={disabled} onClick={() => onPick(field)} />
      </div>
    </Field>
  );
}

function PickButton({ disabled, onClick }: { disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" class="small" disabled={disabled} title={t("flows.pickTitle")} onClick={onClick}>{t("flows.pick")}</button>
  );
}

function OptionsField({ object, problems, onChange, disabled, nodes, onPick }: {
  object: JObject; problems: Problem[]; onChange: (node: JObject) => void; disabled: boolean; nodes: NodeList;
  onPick: (path: string) => void;
}) {
  const value = object.get("options");
  const options: [string, JValue][] = isObject(value) ? [...value] : [];
  const write = (next: [string, JValue][]) => onChange(withKey(object, "options", new Map(next)));
  const free = MENU_KEYS.filter((k) => !options.some(([key]) => key === k));
  return (
    <Field field="options" problems={problems} wide>
      {options.map(([key, target], i) => (
        <div class="flow-row" key={key} data-option={key}>
          <select class="key-select" value={key} disabled={disabled} aria-label={t("flows.optionKey")}
            onChange={(e) => write(options.map((o, j) => (j === i ? [e.currentTarget.value, o[1]] : o)))}>
            {[key, ...free].map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <NodeSelect value={str(target)} nodes={nodes} disabled={disabled} label={t("flows.optionTarget", { key })}
            onChange={(to) => write(options.map((o, j) => (j === i ? [o[0], to] : o)))} />
          <PickButton disabled={disabled} onClick={() => onPick(`options.${key}`)} />
          <button type="button" class="small quiet" disabled={disabled} title={t("flows.removeRow")} aria-label={t("flows.removeRow")}
            onClick={() => write(options.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <div>
        <button type="button" class="small" id="add-option" disabled={disabled || free.length === 0}
          onClick={() => write([...options, [free[0]!, ""]])}>{t("flows.addOption")}</button>
      </div>
    </Field>
  );
}

function RulesField({ object, problems, onChange, disabled, nodes, onPick }: {
  object: JObject; problems: Problem[]; onChange: (node: JObject) => void; disabled: boolean; nodes: NodeList;
  onPick: (path: string) => void;
}) {
  const value = object.get("rules");
  const rules: JValue[] = isArray(value) ? value : [];
  const write = (next: JValue[]) => onChange(withKey(object, "rules", next));
  const change = (i: number, rule: JObject) => write(rules.map((r, j) => (j === i ? rule : r)));
  const move = (i: number, by: number) => {
    const next = [...rules];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    write(next);
  };
  return (
    <Field field="rules" problems={problems} wide shownInside={(p) => p.field.startsWith("rules[")}>
      <datalist id="flow-subjects">{SUBJECTS.map((s) => <option key={s} value={s} />)}</datalist>
      {rules.map((rule, i) => {
        if (!isObject(rule)) return <code key={i} class="flow-raw">{JSON.stringify(plain(rule))}</code>;
        const subject = str(rule.get("subject"));
        const op = str(rule.get("op"));
        const ops = OPS[["time", "weekday", "date"].includes(subject) ? subject : "variable"]!;
        const v = rule.get("value");
        const mine = problems.filter((p) => problemIn(p, `rules[${i}]`));
        return (
          <div class={`flow-rule${mine.length ? " has-problem" : ""}`} key={i} data-field={`rules[${i}]`}>
            <div class="flow-row">
              <input type="text" list="flow-subjects" class="short" value={subject} disabled={disabled} aria-label={t("flows.subject")}
                placeholder={t("flows.subject")} onInput={(e) => change(i, withKey(rule, "subject", e.currentTarget.value))} />
              <select value={op} disabled={disabled} aria-label={t("flows.op")}
                onChange={(e) => {
                  const next = e.currentTarget.value;
                  let changed = withKey(rule, "op", next);
                  if (next === "empty" || next === "not_empty") changed = withoutKey(changed, "value");
                  else if ((next === "in" || next === "between") && !isArray(v)) changed = withKey(changed, "value", v === undefined || v === "" ? [] : [str(v)]);
                  else if (next !== "in" && next !== "between" && isArray(v)) changed = withKey(changed, "value", str(v[0]));
                  change(i, changed);
                }}>
                {!ops.includes(op) && <option value={op}>{op || "—"}</option>}
                {ops.map((o) => <option key={o} value={o}>{tCode("flows.op", o)}</option>)}
              </select>
              {op !== "empty" && op !== "not_empty" && (isArray(v) ? (
                <ListInput value={v} disabled={disabled} label={t("flows.ruleValue")}
                  placeholder={op === "between" ? "22:00, 06:00" : "sat, sun"}
                  onChange={(list) => change(i, withKey(rule, "value", list))} />
              ) : (
                <input type="text" value={typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v)} disabled={disabled}
                  aria-label={t("flows.ruleValue")} placeholder={t("flows.ruleValue")}
                  onInput={(e) => {
                    const text = e.currentTarget.value;
                    const number = (op === "less_than" || op === "greater_than") && /^-?\d+(\.\d+)?$/.test(text.trim());
                    change(i, withKey(rule, "value", number ? Number(text.trim()) : text));
                  }} />
              ))}
            </div>
            <div class="flow-row">
              <span class="muted small">→</span>
              <NodeSelect value={str(rule.get("next"))} nodes={nodes} disabled={disabled} label={t("flows.ruleNext", { n: i + 1 })}
                onChange={(to) => change(i, withKey(rule, "next", to))} />
              <PickButton disabled={disabled} onClick={() => onPick(`rules[${i}].next`)} />
              <button type="button" class="small quiet" disabled={disabled || i === 0} title={t("flows.moveUp")} aria-label={t("flows.moveUp")}
                onClick={() => move(i, -1)}>↑</button>
              <button type="button" class="small quiet" disabled={disabled || i === rules.length - 1} title={t("flows.moveDown")}
                aria-label={t("flows.moveDown")} onClick={() => move(i, 1)}>↓</button>
              <button type="button" class="small quiet" disabled={disabled} title={t("flows.removeRow")} aria-label={t("flows.removeRow")}
                onClick={() => write(rules.filter((_, j) => j !== i))}>×</button>
            </div>
            {mine.map((p, k) => <span key={k} class="flow-field-problem" role="alert">{p.field}: {p.message}</span>)}
          </div>
        );
      })}
      <div>
        <button type="button" class="small" disabled={disabled} onClick={() => write([...rules,
          new Map<string, JValue>([["subject", "caller"], ["op", "prefix"], ["value", ""], ["next", ""]])])}>{t("flows.addRule")}</button>
      </div>
    </Field>
  );
}

function HoursField({ object, problems, onChange, disabled }: {
  object: JObject; problems: Problem[]; onChange: (node: JObject) => void; disabled: boolean;
}) {
  const value = object.get("hours");
  const hours: JObject = isObject(value) ? value : new Map();
  return (
    <Field field="hours" problems={problems} wide>
      <div class="flow-hours">
        {DAYS.map((day) => (
          <label key={day} class="flow-row">
            <span class="day">{tCode("flows.day", day)}</span>
            <ListInput value={hours.get(day)} disabled={disabled} label={tCode("flows.day", day)} placeholder={t("flows.closedDay")}
              onChange={(list) => onChange(withKey(object, "hours", list.length ? withKey(hours, day, list) : withoutKey(hours, day)))} />
          </label>
        ))}
      </div>
    </Field>
  );
}

/** The flow's own settings: name, numbers, start node, time zone, variables. */
export function FlowForm({ doc, problems, disabled, onChange }: {
  doc: JObject; problems: Problem[]; disabled: boolean; onChange: (doc: JObject) => void;
}) {
  const nodes: NodeList = [...nodesOf(doc)].map(([n, v]) => ({ id: n, type: typeOf(v) }));
  const props = { object: doc, problems, onChange, disabled };
  const others = [...doc.keys()].filter((k) => !DOC_FIELDS.includes(k));
  const loose = problems.filter((p) => !DOC_FIELDS.some((f) => problemIn(p, f)) || p.field === "");
  return (
    <div class="flow-form" id="flow-form">
      <div class="flow-form-head"><strong>{t("flows.settings")}</strong></div>
      {loose.length > 0 && <ul class="flow-loose">{loose.map((p, i) => <li key={i} role="alert">{p.message}</li>)}</ul>}
      <TextField {...props} field="name" />
      <TextField {...props} field="description" optional />
      <ListField {...props} field="dids" placeholder="4000, 4001" />
      <Field field="start" problems={problems}>
        <NodeSelect value={str(doc.get("start"))} nodes={nodes} disabled={disabled} label={fieldLabel("start")} id="flow-start"
          onChange={(to) => onChange(withKey(doc, "start", to))} />
      </Field>
      <TextField {...props} field="time_zone" optional placeholder="UTC" />
      <MapField {...props} field="variables" keyLabel={t("flows.varName")} valueLabel={t("flows.varValue")} />
      {others.length > 0 && <KeptFields object={doc} keys={others} />}
    </div>
  );
}

/** A schedule's hours: a shared calendar by name (Administration › Calendars), or the
 *  node's own time zone, hours and holidays. Choosing a calendar drops the own ones. */
function CalendarField({ object, problems, onChange, disabled, calendars }: {
  object: JObject; problems: Problem[]; onChange: (node: JObject) => void; disabled: boolean; calendars: string[];
}) {
  const current = str(object.get("calendar"));
  const named = object.has("calendar");
  const choices = named && !calendars.includes(current) ? [current, ...calendars] : calendars;
  return (
    <Field field="calendar" problems={problems}>
      <select id="node-calendar" value={named ? current : ""} disabled={disabled} aria-label={fieldLabel("calendar")}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (value === "") return onChange(withoutKey(object, "calendar"));
          onChange(withKey(OWN_HOURS.reduce((node, f) => withoutKey(node, f), object), "calendar", value));
        }}>
        <option value="">{t("flows.ownHours")}</option>
        {choices.map((name) => <option key={name} value={name}>{name}</option>)}
      </select>
    </Field>
  );
}
