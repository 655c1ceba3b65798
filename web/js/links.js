// Finds phone numbers and web addresses in a crisis message so they can be tapped.
// Pure functions over strings: no DOM here, so the rules are easy to test.

// A run of digits with spaces or dashes inside, optionally starting with "+".
const NUMBER = /\+?\d(?:[\d -]*\d)?/g;
// What may not touch a number: letters, digits, "/" ("24/7"), "." ("1.5"), "-", "+".
const BLOCKED_BEFORE = /[\p{L}\p{N}/.+-]/u;
const BLOCKED_AFTER = /[\p{L}\p{N}/-]/u;
const WEB = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+(?:org|com|net|gov|ca|uk|ie|au|nz|de|fr|in)(?:\/[\w\-./?=&%#]*)?/gi;
// Clause boundaries: the words just before a number ("call", "text HOME to") say what it is.
const CLAUSE_END = /[.!?\n;,]/g;
const TEXT_WORD = /\b(?:text|texting|sms|texto)\b/i;
const CALL_WORD = /\b(?:call|calling|ring|phone|dial|tel|freephone)\b/i;
const TEXT_BODY = /\btext(?:ing)?\s+([A-Za-z][A-Za-z0-9]{1,15})\s+to\s*$/i;
// Numbers that take both calls and texts wherever they are shown (US and Canada).
const CALL_AND_TEXT = new Set(["988"]);

/**
 * One tappable number: digits for the href, and whether it takes calls and/or texts.
 * @typedef {{kind: "phone", start: number, end: number, shown: string, digits: string,
 *            call: boolean, text: boolean, body: string}} Phone
 * @typedef {{kind: "web", start: number, end: number, shown: string, href: string}} Web
 */

function digitsOf(shown) {
  return shown.replace(/[^\d+]/g, "");
}

function isPhoneShaped(shown) {
  const digits = shown.replace(/\D/g, "");
  if (digits.length < 3 || digits.length > 15) return false;
  // "4-7-8" breathing, "5 4 3 2 1" grounding: single digits in a row are not a number.
  const groups = shown.replace(/^\+/, "").split(/[ -]+/);
  return !(groups.length > 1 && groups.every((g) => g.length === 1));
}

// The words between the previous number (or clause boundary) and this one: in "call
// 1-800-799-7233 or text START to 88788" the second number's words are "or text START to".
function clauseBefore(text, from, index) {
  let start = from;
  for (const match of text.slice(from, index).matchAll(CLAUSE_END)) {
    start = from + match.index + 1;
  }
  return text.slice(start, index);
}

/** Phone numbers in `text`, in order. @returns {Phone[]} */
export function findPhones(text) {
  const found = [];
  let previousEnd = 0;
  for (const match of text.matchAll(NUMBER)) {
    const start = match.index;
    const end = start + match[0].length;
    const before = start > 0 ? text[start - 1] : "";
    const after = end < text.length ? text[end] : "";
    if ((before && BLOCKED_BEFORE.test(before)) || (after && BLOCKED_AFTER.test(after))) continue;
    if (!isPhoneShaped(match[0])) continue;
    const digits = digitsOf(match[0]);
    const clause = clauseBefore(text, previousEnd, start);
    previousEnd = end;
    const textWord = TEXT_WORD.test(clause);
    const callWord = CALL_WORD.test(clause);
    const both = CALL_AND_TEXT.has(digits);
    const body = (clause.match(TEXT_BODY) || [])[1] || "";
    found.push({
      kind: "phone",
      start,
      end,
      shown: match[0],
      digits,
      call: both || callWord || !textWord,
      text: both || textWord,
      body,
    });
  }
  return found;
}

/** Web addresses in `text`, in order. @returns {Web[]} */
export function findWebAddresses(text) {
  const found = [];
  for (const match of text.matchAll(WEB)) {
    const shown = match[0].replace(/[.,)]+$/, "");
    const start = match.index;
    const before = start > 0 ? text[start - 1] : "";
    if (before && /[\w@.]/.test(before)) continue;
    const href = /^https?:\/\//i.test(shown) ? shown : `https://${shown}`;
    found.push({ kind: "web", start, end: start + shown.length, shown, href });
  }
  return found;
}

/**
 * `text` cut into plain strings and tappable pieces, for a crisis card.
 * @returns {Array<string | Phone | Web>}
 */
export function tokenize(text) {
  const pieces = [...findPhones(text), ...findWebAddresses(text)].sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const piece of pieces) {
    if (piece.start < at) continue; // overlaps an earlier piece ("988lifeline.org")
    if (piece.start > at) out.push(text.slice(at, piece.start));
    out.push(piece);
    at = piece.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The href of a call link. */
export function telHref(digits) {
  return `tel:${digits}`;
}

/** The href of a text link, with the keyword some lines ask for ("HOME") as its body. */
export function smsHref(digits, body = "") {
  return body ? `sms:${digits}?&body=${encodeURIComponent(body)}` : `sms:${digits}`;
}

/**
 * The big buttons under a crisis card: "Call" and/or "Text" per number, "Open" per site.
 * `explicit` (from the message's custom payload) wins over numbers found in the text.
 * @returns {Array<{label: string, href: string, kind: "call" | "text" | "web"}>}
 */
export function cardActions(text, explicit) {
  const fromPayload = explicitActions(explicit);
  if (fromPayload.length) return fromPayload;
  const actions = [];
  const seen = new Set();
  for (const phone of findPhones(text)) {
    if (phone.call && !seen.has(`call:${phone.digits}`)) {
      seen.add(`call:${phone.digits}`);
      actions.push({ kind: "call", label: `Call ${phone.shown}`, href: telHref(phone.digits) });
    }
    if (phone.text && !seen.has(`text:${phone.digits}`)) {
      seen.add(`text:${phone.digits}`);
      const label = phone.body ? `Text ${phone.body} to ${phone.shown}` : `Text ${phone.shown}`;
      actions.push({ kind: "text", label, href: smsHref(phone.digits, phone.body) });
    }
  }
  for (const web of findWebAddresses(text)) {
    if (seen.has(web.href)) continue;
    seen.add(web.href);
    actions.push({ kind: "web", label: `Open ${web.shown}`, href: web.href });
  }
  return actions.slice(0, 6);
}

const EXPLICIT_NUMBER = /^\+?\d[\d -]{0,20}$/;
const EXPLICIT_BODY = /^[A-Za-z0-9]{1,16}$/;
const EXPLICIT_ADDRESS = /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?:\/[\w\-./]*)?$/;

function labelOf(link, fallback) {
  return typeof link.label === "string" && link.label.trim() && link.label.length <= 60
    ? link.label.trim()
    : fallback;
}

/** An *Open* button for `{kind: "web", address: "findahelpline.com"}` (https only). */
function webAction(link) {
  const address = typeof link.address === "string" ? link.address.trim() : "";
  if (!EXPLICIT_ADDRESS.test(address)) return null;
  return { kind: "web", label: labelOf(link, `Open ${address}`), href: `https://${address}` };
}

function explicitActions(links) {
  if (!Array.isArray(links)) return [];
  const actions = [];
  for (const link of links) {
    if (!link || typeof link !== "object") continue;
    if (link.kind === "web") {
      const action = webAction(link);
      if (action) actions.push(action);
      continue;
    }
    const kind = link.kind === "text" ? "text" : link.kind === "call" ? "call" : null;
    const number = typeof link.number === "string" ? link.number.trim() : "";
    if (!kind || !EXPLICIT_NUMBER.test(number)) continue;
    const digits = digitsOf(number);
    if (digits.replace("+", "").length < 2) continue;
    const body = typeof link.body === "string" && EXPLICIT_BODY.test(link.body) ? link.body : "";
    const label = labelOf(link, kind === "call" ? `Call ${number}` : `Text ${number}`);
    const href = kind === "call" ? telHref(digits) : smsHref(digits, body);
    actions.push({ kind, label, href });
  }
  return actions.slice(0, 8);
}

const CRISIS_WORDS = /\b(?:crisis|helpline|hotline|lifeline|samaritans|emergency|suicide)\b/i;

/**
 * Which card a bot message gets: "crisis", "resources" or "" (a plain bubble).
 * The contract is `custom.harbor.card`; as a safety net, a message that names 988, or
 * pairs a phone number or web address with crisis words, is shown as a crisis card too.
 */
export function cardKind(message) {
  const card = message && message.custom && message.custom.harbor && message.custom.harbor.card;
  if (card === "crisis" || card === "resources") return card;
  const text = typeof message?.text === "string" ? message.text : "";
  const phones = findPhones(text);
  if (phones.some((p) => p.digits === "988")) return "crisis";
  const reachable = phones.length > 0 || findWebAddresses(text).length > 0;
  if (reachable && CRISIS_WORDS.test(text)) return "crisis";
  return "";
}
