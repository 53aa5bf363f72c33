// A prompt field (docs/ivr.md, Prompts) edited in both languages side by side: the
// Chinese and English text-to-speech items of the prompt list, and below them any
// other item (a sound file, another language) as it is. Items keep their order and
// their other fields; a language's text emptied is dropped when the box is left.
import { t } from "../i18n";
import { Field, fieldLabel } from "./fields";
import { promptLanguage, type Problem } from "./graph";
import { isArray, isObject, type JObject, type JValue, str, withKey, withKeyAfter, withoutKey } from "./json";

const VOICES = { zh: "cmn", en: "en" } as const;

export function PromptEditor({ object, field, problems, onChange, disabled }: {
  object: JObject; field: string; problems: Problem[]; onChange: (object: JObject) => void; disabled?: boolean;
}) {
  const value = object.get(field);
  const single = value !== undefined && !isArray(value);
  const items: JValue[] = isArray(value) ? value : value === undefined ? [] : [value];
  const write = (next: JValue[]) => {
    if (next.length === 0) onChange(withoutKey(object, field));
    // A new prompt goes after the node's type and description, where people write it.
    else onChange(withKeyAfter(object, field, single && next.length === 1 ? next[0]! : next, ["type", "description", "prompt"]));
  };
  const indexOf = (language: "zh" | "en") => items.findIndex((item) => isObject(item) && promptLanguage(item) === language);
  const setText = (language: "zh" | "en", text: string) => {
    const at = indexOf(language);
    if (at >= 0) {
      write(items.map((item, i) => (i === at && isObject(item) ? withKey(item, "text", text) : item)));
      return;
    }
    if (text === "") return;
    const created: JObject = new Map<string, JValue>([["text", text], ["voice", VOICES[language]], ["language", language]]);
    const next = [...items];
    const other = indexOf(language === "zh" ? "en" : "zh");
    if (language === "zh" && other >= 0) next.splice(other, 0, created);
    else next.push(created);
    write(next);
  };
  const dropEmpty = (language: "zh" | "en") => {
    const at = indexOf(language);
    const item = items[at];
    if (at >= 0 && isObject(item) && str(item.get("text")) === "") write(items.filter((_, i) => i !== at));
  };
  const languages = ["zh", "en"] as const;
  const others = items.map((item, i) => ({ item, i })).filter(({ item }) => !isObject(item) || promptLanguage(item) === "" ||
    items.findIndex((x) => isObject(x) && promptLanguage(x) === promptLanguage(item)) !== items.indexOf(item));
  return (
    <Field field={field} problems={problems} wide>
      <div class="prompt-pair">
        {languages.map((language) => {
          const at = indexOf(language);
          const item = items[at];
          return (
            <label key={language} class="prompt-lang">
              <span>{t(language === "zh" ? "flows.promptZh" : "flows.promptEn")}</span>
              <textarea rows={3} disabled={disabled} data-lang={language} lang={language === "zh" ? "zh-CN" : "en"}
                aria-label={`${fieldLabel(field)} — ${t(language === "zh" ? "flows.promptZh" : "flows.promptEn")}`}
                value={isObject(item) ? str(item.get("text")) : ""}
                onInput={(e) => setText(language, e.currentTarget.value)} onBlur={() => dropEmpty(language)} />
            </label>
          );
        })}
      </div>
      {others.map(({ item, i }) => (
        <div class="flow-row" key={i}>
          {isObject(item) && item.has("file") ? (
            <input type="text" value={str(item.get("file"))} disabled={disabled} aria-label={t("flows.promptFile")}
              placeholder={t("flows.promptFile")}
              onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "file", e.currentTarget.value) : x)))} />
          ) : isObject(item) ? (
            <>
              <input type="text" value={str(item.get("text"))} disabled={disabled} aria-label={t("flows.promptText")}
                onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "text", e.currentTarget.value) : x)))} />
              <input type="text" class="tiny" value={str(item.get("voice"))} disabled={disabled} aria-label={t("flows.promptVoice")}
                placeholder={t("flows.promptVoice")}
                onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "voice", e.currentTarget.value) : x)))} />
            </>
          ) : <code class="flow-raw">{JSON.stringify(item)}</code>}
          <button type="button" class="small quiet" disabled={disabled} title={t("flows.removeRow")} aria-label={t("flows.removeRow")}
            onClick={() => write(items.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <div>
        <button type="button" class="small" disabled={disabled}
          onClick={() => write([...items, new Map<string, JValue>([["file", ""]])])}>{t("flows.addFile")}</button>
      </div>
    </Field>
  );
}
