// A prompt field (docs/ivr.md, Prompts) edited in both languages side by side: the
// Chinese and English text-to-speech items of the prompt list, and below them any
// other item (a sound file, another language) as it is. Items keep their order and
// their other fields; a language's text emptied is dropped when the box is left.
// A text has ▶ to hear it from the server's TTS; a sound file is picked from the
// prompt library (typing any other path still works) and played with ▶.
import { useEffect } from "preact/hooks";
import { formatMs } from "../format";
import { t } from "../i18n";
import { AudioOut, ensurePrompts, promptAudio, promptLibrary, promptOfFile, spoken, useAudio, VOICES } from "../prompts";
import { useStore } from "../store";
import { Field, fieldLabel } from "./fields";
import { promptLanguage, type Problem } from "./graph";
import { isArray, isObject, type JObject, type JValue, str, withKey, withKeyAfter, withoutKey } from "./json";

export function PromptEditor({ object, field, problems, onChange, disabled }: {
  object: JObject; field: string; problems: Problem[]; onChange: (object: JObject) => void; disabled?: boolean;
}) {
  const library = useStore(promptLibrary);
  useEffect(ensurePrompts, []);
  const audio = useAudio();
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
  const filesId = `prompt-files-${field}`;
  /** ▶ for a TTS item: the text read as a call would hear it. */
  const speakButton = (key: string, item: JValue | undefined, language: "zh" | "en") => {
    const text = isObject(item) ? str(item.get("text")).trim() : "";
    const voice = isObject(item) ? str(item.get("voice")) || VOICES[language] : VOICES[language];
    const spokenIn = isObject(item) && str(item.get("language")) ? str(item.get("language")) : language;
    return (
      <button type="button" class="small quiet prompt-play" data-preview={key} disabled={!text || audio.busy === key}
        title={t("flows.previewTitle")} aria-label={`${t("flows.previewTitle")} — ${fieldLabel(field)} ${key}`}
        onClick={() => void audio.play(key, text, spoken(text, spokenIn as "zh" | "en", voice))}>▶</button>
    );
  };
  return (
    <Field field={field} problems={problems} wide>
      <div class="prompt-pair">
        {languages.map((language) => {
          const at = indexOf(language);
          const item = items[at];
          const id = `prompt-${field}-${language}`;
          return (
            <div key={language} class="prompt-lang">
              <span class="prompt-lang-head">
                <label for={id}>{t(language === "zh" ? "flows.promptZh" : "flows.promptEn")}</label>
                {speakButton(language, item, language)}
              </span>
              <textarea id={id} rows={3} disabled={disabled} data-lang={language} lang={language === "zh" ? "zh-CN" : "en"}
                aria-label={`${fieldLabel(field)} — ${t(language === "zh" ? "flows.promptZh" : "flows.promptEn")}`}
                value={isObject(item) ? str(item.get("text")) : ""}
                onInput={(e) => setText(language, e.currentTarget.value)} onBlur={() => dropEmpty(language)} />
            </div>
          );
        })}
      </div>
      {others.map(({ item, i }) => {
        const file = isObject(item) ? str(item.get("file")) : "";
        const known = promptOfFile(library, file);
        return (
          <div class="flow-row" key={i}>
            {isObject(item) && item.has("file") ? (
              <>
                <input type="text" value={file} disabled={disabled} aria-label={t("flows.promptFile")} list={filesId}
                  class="prompt-file" placeholder={t("flows.promptFilePlaceholder")} spellcheck={false}
                  title={known ? t("flows.promptFileKnown", { duration: formatMs(known.duration_ms) }) : file ? t("flows.promptFileUnknown") : undefined}
                  onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "file", e.currentTarget.value) : x)))} />
                <button type="button" class="small quiet prompt-play" data-preview={`file${i}`} disabled={!known || audio.busy === `file${i}`}
                  title={known ? t("flows.playFile", { file: known.file }) : t("flows.promptFileUnknown")}
                  aria-label={t("flows.playFile", { file: file || "—" })}
                  onClick={() => known && void audio.play(`file${i}`, known.file, promptAudio(known))}>▶</button>
              </>
            ) : isObject(item) ? (
              <>
                <input type="text" value={str(item.get("text"))} disabled={disabled} aria-label={t("flows.promptText")}
                  onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "text", e.currentTarget.value) : x)))} />
                <input type="text" class="tiny" value={str(item.get("voice"))} disabled={disabled} aria-label={t("flows.promptVoice")}
                  placeholder={t("flows.promptVoice")}
                  onInput={(e) => write(items.map((x, j) => (j === i && isObject(x) ? withKey(x, "voice", e.currentTarget.value) : x)))} />
                {speakButton(`text${i}`, item, str(item.get("language")).startsWith("zh") ? "zh" : "en")}
              </>
            ) : <code class="flow-raw">{JSON.stringify(item)}</code>}
            <button type="button" class="small quiet" disabled={disabled} title={t("flows.removeRow")} aria-label={t("flows.removeRow")}
              onClick={() => write(items.filter((_, j) => j !== i))}>×</button>
          </div>
        );
      })}
      <datalist id={filesId}>
        {(library ?? []).map((p) => <option key={`${p.source}/${p.name}`} value={p.file}>{`${p.name} · ${formatMs(p.duration_ms)}`}</option>)}
      </datalist>
      <div>
        <button type="button" class="small" disabled={disabled}
          onClick={() => write([...items, new Map<string, JValue>([["file", ""]])])}>{t("flows.addFile")}</button>
      </div>
      <AudioOut audio={audio} />
    </Field>
  );
}
