// What the server said was wrong with a record, for the console's forms: the field an
// error names (400 `invalid_field`: "skills[0].min_level: must be an integer from 1 to
// 10", "field 'extension' must be 2-16 digits", "unknown field 'x'"), the 422
// `invalid` details, and the server's English phrases in the user's language (the
// ones the ACD and user rules write; any other text is shown as the server wrote it).
import { ApiError } from "../api";
import { t, type MessageKey } from "../i18n";

export type Problem = {
  /** The field the server named, as a path ("skills[0].min_level"), or null. */
  field: string | null;
  /** The problem in words (without the field's path). */
  text: string;
  /** 422 `invalid` / 409 `in_use`: each problem the server listed, in words. */
  details: string[];
  code: string;
};

const phrases: [RegExp, MessageKey][] = [
  [/^must be an integer from (?<min>-?\d+) to (?<max>-?\d+)$/, "console.problem.integer"],
  [/^must be between (?<min>-?\d+) and (?<max>-?\d+)$/, "console.problem.integer"],
  [/^expected an integer$/, "console.problem.wholeNumber"],
  [/^expected a string$/, "console.problem.string"],
  [/^expected true or false$/, "console.problem.boolean"],
  [/^expected an array of strings$/, "console.problem.stringList"],
  [/^must be digits \(0-9, \*, #, \+\)$/, "console.problem.dialDigits"],
  [/^must be a string$/, "console.problem.string"],
  [/^must be true or false$/, "console.problem.boolean"],
  [/^must be an array$/, "console.problem.array"],
  [/^is required for an agent$/, "console.problem.agentExtension"],
  [/^is required$/, "console.problem.required"],
  [/^(must not be empty|must be a non-empty string)$/, "console.problem.empty"],
  [/^unknown field$/, "console.problem.unknown"],
  [/^must be 1-32 characters of a-z, 0-9, _ and -$/, "console.problem.codeName"],
  [/^must have 1 to (?<max>\d+) codes$/, "console.problem.codeCount"],
  [/^'(?<name>.*)' is listed twice$/, "console.problem.twice"],
  [/^must be one DTMF key/, "console.problem.dtmf"],
  [/^must be later than the tier before$/, "console.problem.tierOrder"],
  [/^is longer than (?<n>\d+) (bytes|characters)$/, "console.problem.tooLong"],
  [/^must be one of (?<list>.*)$/, "console.problem.oneOf"],
  [/^(must be 2-16 digits|2 to 16 digits)$/, "console.problem.digits"],
  [/^there is no SIP account (?<ext>\S+)$/, "console.problem.noSipAccount"],
  [/^must be a flow name/, "console.problem.flowName"],
  [/^must name one of queue, flow, voicemail or number$/, "console.problem.overflowOne"],
  [/^must match the URL \('(?<key>.*)'\)$/, "console.problem.url"],
  [/^'(?<key>.*)' is not a valid \w+ \(1 to 64/, "console.problem.key"],
  [/^skill '(?<name>.*)' does not exist$/, "console.problem.noSkill"],
  [/^overflow queue '(?<name>.*)' does not exist$/, "console.problem.noQueue"],
  [/^must be 1-32 digits, '\+', '\*' or '#'$/, "numbers.problem.number"],
  [/^queue '(?<name>.*)' does not exist$/, "numbers.problem.noQueue"],
  [/^flow '(?<name>.*)' is not published$/, "numbers.problem.flowUnpublished"],
  [/^(?<number>\S+) is answered by flow '(?<name>.*)' \(its dids\)$/, "numbers.problem.ownedByFlow"],
  [/^(?<number>\S+) is a \[\[did\]\] of the configuration file \((?<range>.*)\)$/, "numbers.problem.ownedByConfig"],
  [/^(?<number>\S+) is an extension's own number$/, "numbers.problem.isExtension"],
  [/^queue '(?<name>.*)' cannot overflow to itself$/, "console.problem.selfOverflow"],
  [/^queue '(?<name>.*)' requires it$/, "console.problem.queueNeeds"],
  [/^agent (?<ext>\S+) has it$/, "console.problem.agentHas"],
  [/^queue '(?<name>.*)' overflows to it$/, "console.problem.overflowsTo"],
  [/^queue '(?<name>.*)' sends its calls to it while closed$/, "queues.problem.closedTo"],
  [/^closed queue '(?<name>.*)' does not exist$/, "queues.problem.noClosedQueue"],
  [/^queue '(?<name>.*)' cannot be its own closed target$/, "queues.problem.selfClosed"],
  [/^no calendar is named '(?<name>.*)'$/, "queues.problem.noCalendar"],
  [/^password must be at least (?<n>\d+) characters long$/, "console.problem.passwordShort"],
  [/^password must use at least (?<n>\d+) different characters$/, "console.problem.passwordVariety"],
  [/^password must not be a run of keys or letters$/, "console.problem.passwordRun"],
  [/^password is on every guessing list$/, "console.problem.passwordKnown"],
  [/^the demo passwords are for --demo accounts only$/, "console.problem.passwordDemo"],
  [/^password must not be the user name$/, "console.problem.passwordUser"],
  [/^user name must be 1-64 characters/, "console.problem.username"],
  [/^extension (?<ext>\S+) belongs to another user$/, "console.problem.extensionTaken"],
  [/^user name '?(?<name>[^']*)'? is taken$/, "console.problem.usernameTaken"],
  [/^must be after from \((?<from>[^)]*)\); a range cannot cross midnight/, "calendars.problem.after"],
  [/^overlaps (?<other>\S+)$/, "calendars.problem.overlap"],
  [/^'(?<text>.*)' is not a time HH:MM/, "calendars.problem.time"],
  [/^must be before 24:00$/, "calendars.problem.beforeMidnight"],
  [/^unknown time zone '(?<zone>.*)'/, "calendars.problem.zone"],
  [/^'(?<date>.*)' is not a date YYYY-MM-DD$/, "calendars.problem.date"],
  [/^(?<date>\d{4}-\d\d-\d\d) is listed twice$/, "calendars.problem.twice"],
  [/^has more than (?<n>\d+) (ranges|dates)$/, "calendars.problem.tooMany"],
  [/^flow '(?<flow>.*)' v(?<version>\d+) \(node (?<node>.*)\)$/, "calendars.problem.flowUses"],
];

/** A problem found before asking the server, at a field. */
export class FieldProblem extends Error {
  constructor(readonly field: string, readonly key: MessageKey, readonly vars?: Record<string, string>) {
    super(key);
  }
}

/** A phrase of the server's in the user's language, or the text as it came. */
export function inWords(text: string): string {
  const trimmed = text.trim();
  for (const [pattern, key] of phrases) {
    const match = pattern.exec(trimmed);
    if (match) return t(key, match.groups);
  }
  return trimmed;
}

// A part of a path may have a hyphen after its first letter (a label's "zh-CN").
const PATH = /^([A-Za-z_][\w-]*(?:\[\d+\])?(?:\.[A-Za-z_][\w-]*(?:\[\d+\])?)*): (.*)$/s;

/** The field a 400 message names and the rest of it. */
export function namedField(message: string): { field: string | null; rest: string } {
  let match = /^(?:field|unknown field) '([^']+)'[:]?\s*(.*)$/s.exec(message);
  if (match) return { field: match[1]!, rest: message.startsWith("unknown") ? "unknown field" : match[2]! };
  match = PATH.exec(message);
  if (match) return { field: match[1]!, rest: match[2]! };
  return { field: null, rest: message };
}

/** A failed save as a Problem. `codeFields` puts other codes at a field
 *  (`{ weak_password: "password", extension_taken: "extension" }`). */
export function problemOf(failure: unknown, codeFields: Record<string, string> = {}): Problem {
  if (failure instanceof FieldProblem) return { field: failure.field, text: t(failure.key, failure.vars), details: [], code: "" };
  if (!(failure instanceof ApiError)) return { field: null, text: String(failure), details: [], code: "" };
  const details = Array.isArray(failure.details) ? failure.details.filter((d): d is string => typeof d === "string") : [];
  if (failure.code === "forbidden") return { field: null, text: t("error.forbidden"), details: [], code: failure.code };
  if (details.length > 0) {
    const head = failure.code === "in_use" ? t("console.head.inUse") : failure.code === "invalid" ? t("console.head.invalid")
      : failure.message.split(":")[0] ?? failure.message;
    return { field: null, text: head, details: details.map(inWords), code: failure.code };
  }
  const mapped = codeFields[failure.code];
  if (mapped) return { field: mapped, text: inWords(namedField(failure.message).rest), details: [], code: failure.code };
  if (failure.code === "invalid_field" || failure.code === "missing_field" || failure.code === "unknown_field") {
    const { field, rest } = namedField(failure.message);
    return { field, text: inWords(rest), details: [], code: failure.code };
  }
  return { field: null, text: failure.message, details: [], code: failure.code };
}
