// Administration › Numbers: every number (DID) unicc answers, in one list — those an
// administrator points here at a flow, a queue or an extension (changed here, audited),
// and, read-only, those a published flow claims (its dids; changed in the flow) and
// the configuration file's [[did]] entries. REST: /api/v1/numbers.
import { useEffect, useState } from "preact/hooks";
import { api, type Extension, type QueueConfig } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { DeleteButton, Field, FormSection, RecordForm, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { formatDateTime } from "../../format";
import { t, tCode } from "../../i18n";

const TAB = "numbers";
const kinds = ["queue", "flow", "extension"] as const;

export type NumberItem = {
  number: string; target: string; source: "config" | "flow" | "database"; description: string;
  flow?: string; updated_by?: string; updated_at?: number;
};
type Choices = { queue: string[]; flow: string[]; extension: string[] };

const split = (target: string): [string, string] => {
  const colon = target.indexOf(":");
  return colon < 0 ? ["", target] : [target.slice(0, colon), target.slice(colon + 1)];
};

/** "Queue sales", "队列 sales". */
function TargetText({ target }: { target: string }) {
  const [kind, name] = split(target);
  return <>{tCode("numbers.kind", kind)} <span class="mono">{name}</span></>;
}

export function NumbersTab({ route }: { route: ConsoleRoute }) {
  const [items, setItems] = useState<NumberItem[] | null>(null);
  const [choices, setChoices] = useState<Choices>({ queue: [], flow: [], extension: [] });
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: NumberItem[] }>("GET", "/numbers").then((a) => { setItems(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(() => {
    load();
    Promise.all([
      api<{ items: QueueConfig[] }>("GET", "/queues").then((a) => a.items.map((q) => q.name)).catch(() => []),
      api<{ items: { name: string; current_version: number }[] }>("GET", "/flows")
        .then((a) => a.items.filter((f) => f.current_version > 0).map((f) => f.name)).catch(() => []),
      api<{ items: Extension[] }>("GET", "/extensions").then((a) => a.items.map((x) => x.extension)).catch(() => []),
    ]).then(([queue, flow, extension]) => setChoices({ queue, flow, extension }));
  }, []);

  if (route.key || route.isNew) {
    const item = items?.find((n) => n.number === route.key) ?? null;
    if (route.key && items && !item) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (route.key && !item) return null;
    return <NumberRecord key={route.key || "new"} item={item} choices={choices} admin={admin} onChanged={load} />;
  }
  return (
    <RecordList id="number-list" items={items} error={error} keyOf={(n) => n.number}
      text={(n) => `${n.number} ${n.target} ${n.description} ${tCode("numbers.source", n.source)}`}
      searchLabel={t("numbers.search")} empty={t("numbers.empty")} newLabel={t("numbers.new")}
      onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined}
      onOpen={(n) => openRecord("admin", TAB, n.number)}
      columns={[
        { label: t("numbers.col.number"), cell: (n) => n.number, class: "mono col-key" },
        { label: t("numbers.col.target"), cell: (n) => <TargetText target={n.target} /> },
        { label: t("numbers.col.source"), cell: (n) => <span class={`tag source-${n.source}`}>{tCode("numbers.source", n.source)}</span> },
        { label: t("numbers.col.description"), cell: (n) => n.description },
      ]} />
  );
}

function NumberRecord({ item, choices, admin, onChanged }: {
  item: NumberItem | null; choices: Choices; admin: boolean; onChanged: () => void;
}) {
  const [number, setNumber] = useState(item?.number ?? "");
  const [kind, setKind] = useState(item ? split(item.target)[0] : "queue");
  const [name, setName] = useState(item ? split(item.target)[1] : "");
  const [description, setDescription] = useState(item?.description ?? "");
  const [version, setVersion] = useState(0);
  const save = useSave({ number_owned_by_flow: "number", number_owned_by_config: "number", number_is_extension: "number" });
  const owned = item !== null && item.source !== "database";
  const submit = () => void save.run(async () => {
    const key = number.trim();
    if (!key) throw new FieldProblem("number", "console.problem.required");
    if (!/^[0-9+*#]{1,32}$/.test(key)) throw new FieldProblem("number", "numbers.problem.number");
    if (!name) throw new FieldProblem("target", "console.problem.required");
    await api<NumberItem>("PUT", `/numbers/${encodeURIComponent(key)}`, { target: `${kind}:${name}`, description });
    onChanged();
    setVersion((v) => v + 1);
    if (!item) openRecord("admin", TAB, key);
  });
  const remove = () => void save.run(async () => {
    await api("DELETE", `/numbers/${encodeURIComponent(item!.number)}`);
    onChanged();
    openRecord("admin", TAB);
  }, "console.deleted");
  const options = choices[kind as keyof Choices] ?? [];
  return (
    <RecordPage backLabel={t("admin.tab.numbers")} onBack={() => openRecord("admin", TAB)}
      title={item ? item.number : t("numbers.new")}
      subtitle={item && tCode("numbers.source", item.source)}
      aside={item && <>
        <section class="panel facts-panel" id="number-facts">
          <h2>{t("numbers.col.source")}</h2>
          <p class="small">{tCode("numbers.sourceHelp", item.source)}</p>
          {item.flow && <a class="tag" id="number-flow-link" href={`#/flows?name=${encodeURIComponent(item.flow)}`}>{t("numbers.openFlow", { name: item.flow })}</a>}
          {item.updated_at ? <p class="muted small">{t("numbers.updated", { who: item.updated_by ?? "", at: formatDateTime(item.updated_at) })}</p> : null}
        </section>
        {!owned && <AuditTrail target={`number:${item.number}`} version={version} fields="numbers.col" />}
      </>}>
      {owned ? (
        <div class="record-form" id="number-owned">
          <FormSection title={t("numbers.section")} help={tCode("numbers.sourceHelp", item.source)}>
            <dl class="facts">
              <dt>{t("numbers.col.number")}</dt><dd class="mono">{item.number}</dd>
              <dt>{t("numbers.col.target")}</dt><dd><TargetText target={item.target} /></dd>
              {item.description && <><dt>{t("numbers.col.description")}</dt><dd>{item.description}</dd></>}
            </dl>
          </FormSection>
        </div>
      ) : (
        <RecordForm id="number-form" save={save} onSubmit={submit} readOnly={!admin}
          actions={item && <DeleteButton id="number-delete" question={t("numbers.deleteQuestion", { number: item.number })} onDelete={remove} />}>
          <FormSection title={t("numbers.section")} help={t("numbers.sectionHelp")}>
            <Field name="number" label={t("numbers.col.number")} help={item ? undefined : t("numbers.help.number")}>
              <input id="number-number" class="mono" value={number} readOnly={!!item} required inputMode="tel"
                onInput={(e) => setNumber(e.currentTarget.value)} />
            </Field>
            <Field name="kind" label={t("numbers.kindLabel")} help={t("numbers.help.target")}>
              <select id="number-kind" value={kind} onChange={(e) => { setKind(e.currentTarget.value); setName(""); }}>
                {kinds.map((k) => <option key={k} value={k}>{tCode("numbers.kind", k)}</option>)}
              </select>
            </Field>
            <Field name="target" label={tCode("numbers.kind", kind)}>
              <select id="number-target" value={name} onChange={(e) => setName(e.currentTarget.value)}>
                <option value="">{t("numbers.pick")}</option>
                {name && !options.includes(name) && <option value={name}>{name}</option>}
                {options.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            </Field>
            <Field name="description" label={t("numbers.col.description")} wide>
              <input id="number-description" value={description} maxLength={200} onInput={(e) => setDescription(e.currentTarget.value)} />
            </Field>
          </FormSection>
        </RecordForm>
      )}
    </RecordPage>
  );
}
