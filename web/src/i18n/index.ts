import { Store } from "../store";
import { en, type MessageKey, type Messages } from "./en";
import { zhCN } from "./zh-CN";

export type { MessageKey } from "./en";
export type Lang = "en" | "zh-CN";
export const languages: readonly Lang[] = ["en", "zh-CN"];

const catalogs: Record<Lang, Messages> = { en, "zh-CN": zhCN };
const storageKey = "unicc.lang";

function initialLang(): Lang {
  const saved = localStorage.getItem(storageKey);
  if (saved === "en" || saved === "zh-CN") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** The user's language, remembered in localStorage. */
export const lang = new Store<Lang>(initialLang());
document.documentElement.lang = lang.get();

export function setLang(value: Lang): void {
  localStorage.setItem(storageKey, value);
  document.documentElement.lang = value;
  lang.set(value);
}

export type Vars = Record<string, string | number>;

/** The message in the current language with its {placeholders} filled in. */
export function t(key: MessageKey, vars?: Vars): string {
  const text = catalogs[lang.get()][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** For codes the server sends (states, dispositions, reasons): the translation when
 *  there is one, else the code itself. */
export function tCode(prefix: string, code: string, vars?: Vars): string {
  const key = `${prefix}.${code}`;
  return key in en ? t(key as MessageKey, vars) : code;
}
