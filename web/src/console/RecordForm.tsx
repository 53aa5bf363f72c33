// The console's record form: sections of labelled fields with short help, Save (Enter
// submits) and the server's refusal shown where it belongs — a 400 at the field it
// names (the nearest field drawn for "skills[0].min_level": that input, else "skills"),
// focused and marked aria-invalid; 422 / 409 details as a list under the buttons.
// Read-only (supervisors) disables every input and hides the buttons.
import { createContext, type ComponentChildren } from "preact";
import { useContext, useLayoutEffect, useRef, useState } from "preact/hooks";
import { t, type MessageKey } from "../i18n";
import { FieldProblem, problemOf, type Problem } from "./problems";

type FormState = { id: string; at: string | null; problem: Problem | null; readOnly: boolean };
const FormContext = createContext<FormState>({ id: "", at: null, problem: null, readOnly: false });

// The notice of a save that opened another view (a new record, now under its key):
// the form mounted for it within a moment shows it.
let lastNotice: { text: MessageKey | ""; at: number } = { text: "", at: 0 };

/** Saving a record: busy, the server's problem, a "Saved" notice. `run` returns
 *  whether the work succeeded. */
export function useSave(codeFields: Record<string, string> = {}) {
  const [busy, setBusy] = useState(false);
  // The failure is kept, and put in words as the form is drawn: in the language of the moment.
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [notice, setNotice] = useState<MessageKey | "">(() => {
    const recent = Date.now() - lastNotice.at < 2000 ? lastNotice.text : "";
    lastNotice = { text: "", at: 0 };
    return recent;
  });
  /** `done`: the notice when it worked (a key: shown in the language of the moment). */
  const run = async (work: () => Promise<unknown>, done: MessageKey = "console.saved"): Promise<boolean> => {
    setBusy(true);
    setNotice("");
    try {
      await work();
      setFailure(null);
      setNotice(done);
      lastNotice = { text: done, at: Date.now() };
      return true;
    } catch (error) {
      setFailure({ error });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const problem: Problem | null = failure && problemOf(failure.error, codeFields);
  return { busy, failure, problem, notice, setNotice, run };
}
export type Save = ReturnType<typeof useSave>;

/** The path's nearest field drawn in `form`: "a[1].b" → "a[1].b", "a[1]", "a". */
export function nearestField(form: HTMLElement, path: string): string | null {
  let name = path;
  for (;;) {
    if (form.querySelector(`[data-field="${CSS.escape(name)}"]`)) return name;
    const parent = name.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (parent === name || parent === "") return null;
    name = parent;
  }
}

type RecordFormProps = {
  id: string; save: Save; onSubmit: () => void; readOnly?: boolean;
  /** Buttons after Save (Delete, Disable). */
  actions?: ComponentChildren; submitLabel?: string; children: ComponentChildren;
  /** Whether the form has unsaved edits (default: yes): without, Save is not highlighted. */
  pending?: boolean;
};

export function RecordForm({ id, save, onSubmit, readOnly = false, actions, submitLabel, children, pending = true }: RecordFormProps) {
  const ref = useRef<HTMLFormElement>(null);
  const [at, setAt] = useState<string | null>(null);
  const { problem } = save;
  useLayoutEffect(() => {
    const form = ref.current;
    const found = form && problem?.field ? nearestField(form, problem.field) : null;
    setAt(found);
    if (!form || !found) return undefined;
    const holder = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(found)}"]`);
    const input = holder?.querySelector<HTMLElement>("input, select, textarea");
    input?.setAttribute("aria-invalid", "true");
    input?.setAttribute("aria-describedby", `${id}-problem`);
    input?.focus();
    return () => {
      input?.removeAttribute("aria-invalid");
      input?.removeAttribute("aria-describedby");
    };
  }, [save.failure]);
  const general = problem && (!at || problem.details.length > 0);
  return (
    <FormContext.Provider value={{ id, at, problem, readOnly }}>
      <form ref={ref} id={id} class="record-form" noValidate
        onSubmit={(e) => { e.preventDefault(); if (!readOnly && !save.busy) onSubmit(); }}>
        <fieldset disabled={readOnly} class="record-fields">{children}</fieldset>
        {readOnly && <p class="muted small read-only-note">{t("console.readOnly")}</p>}
        <div class="form-actions record-actions">
          {!readOnly && (
            <button type="submit" class={pending ? "primary" : ""} id={`${id}-save`} disabled={save.busy}>{submitLabel ?? t("console.save")}</button>
          )}
          {save.notice && !problem && <span class="notice-text" role="status" id={`${id}-notice`}>{t(save.notice)}</span>}
          {!readOnly && actions && <span class="record-extra">{actions}</span>}
        </div>
        {general && (
          <div class="form-error record-problem" role="alert" id={`${id}-error`}>
            {problem.field && !at ? `${problem.field}: ${problem.text}` : problem.text}
            {problem.details.length > 0 && <ul>{problem.details.map((d) => <li key={d}>{d}</li>)}</ul>}
          </div>
        )}
      </form>
    </FormContext.Provider>
  );
}

type FieldProps = {
  /** The API's field (its path in the record): where the server's errors are shown. */
  name: string; label: string; help?: string; wide?: boolean; check?: boolean;
  /** The label for screen readers only (an input in a row of a list). */
  hideLabel?: boolean;
  /** Several inputs (a list of rows): a labelled group, not a <label>. */
  group?: boolean; children: ComponentChildren;
};

/** A labelled input with its help, and the server's problem when it names this field. */
export function Field({ name, label, help, wide, check, hideLabel, group, children }: FieldProps) {
  const { id, at, problem } = useContext(FormContext);
  const bad = at === name && problem;
  const labelId = `${id}-label-${name.replace(/[^\w-]/g, "_")}`;
  return (
    <div class={`field${wide ? " wide" : ""}${check ? " check" : ""}${bad ? " invalid" : ""}`} data-field={name}>
      {group ? (
        <div role="group" aria-labelledby={labelId} class="field-group">
          <span class={hideLabel ? "sr-only" : "field-label"} id={labelId}>{label}</span>
          {children}
        </div>
      ) : (
        <label>
          {check && children}
          <span class={hideLabel ? "sr-only" : "field-label"}>{label}</span>
          {!check && children}
        </label>
      )}
      {help && <span class="field-help">{help}</span>}
      {bad && <span class="field-problem" role="alert" id={`${id}-problem`}>{problem.text}</span>}
    </div>
  );
}

/** A titled group of fields with a line of help. */
export function FormSection({ title, help, children, id }: { title: string; help?: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="form-section" id={id}>
      <h3>{title}</h3>
      {help && <p class="muted small section-help">{help}</p>}
      <div class="form-grid">{children}</div>
    </section>
  );
}

/** Whether the surrounding form is read-only (to hide add/remove buttons of a list). */
export const useReadOnly = (): boolean => useContext(FormContext).readOnly;

/** Delete, asked again in place: "Delete?" with Delete / Cancel. */
export function DeleteButton({ id, question, onDelete, disabled }: {
  id: string; question: string; onDelete: () => void; disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => { if (asking) confirm.current?.focus(); }, [asking]);
  if (!asking) {
    return <button type="button" class="danger-quiet" id={id} disabled={disabled} onClick={() => setAsking(true)}>{t("console.delete")}</button>;
  }
  return (
    <span class="confirm" role="group" aria-label={question} onKeyDown={(e) => { if (e.key === "Escape") setAsking(false); }}>
      <span>{question}</span>
      <button type="button" class="danger" id={`${id}-confirm`} ref={confirm}
        onClick={() => { setAsking(false); onDelete(); }}>{t("console.delete")}</button>
      <button type="button" onClick={() => setAsking(false)}>{t("console.cancel")}</button>
    </span>
  );
}

/** A record's new-password form beside its main one (users, SIP accounts), with its own
 *  Save: an empty field is refused before asking, a weak password at the field by the
 *  server (`codeFields` maps its error code there). `idPrefix` names the form
 *  `{idPrefix}-password-form` and its input `{idPrefix}-new-password`. */
export function PasswordForm({ idPrefix, codeFields, labels, setPassword }: {
  idPrefix: string; codeFields: Record<string, string>;
  labels: { title: MessageKey; help: MessageKey; field: MessageKey; fieldHelp: MessageKey; submit: MessageKey; done: MessageKey };
  setPassword: (password: string) => Promise<unknown>;
}) {
  const [password, setValue] = useState("");
  const save = useSave(codeFields);
  const submit = () => void save.run(async () => {
    if (!password) throw new FieldProblem("password", "console.problem.required");
    await setPassword(password);
    setValue("");
  }, labels.done);
  return (
    <RecordForm id={`${idPrefix}-password-form`} save={save} onSubmit={submit} submitLabel={t(labels.submit)}>
      <FormSection title={t(labels.title)} help={t(labels.help)}>
        <Field name="password" label={t(labels.field)} help={t(labels.fieldHelp)}>
          <input id={`${idPrefix}-new-password`} type="password" autoComplete="new-password" value={password}
            onInput={(e) => setValue(e.currentTarget.value)} />
        </Field>
      </FormSection>
    </RecordForm>
  );
}
