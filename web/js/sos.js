// SOS without the server: the crisis card drawn from the page's own copy of the lines
// (crisis-lines.js, generated from bot/safety/resources.yml), for the person's country
// when the page knows it. Pure functions: no DOM, no storage.
import { CRISIS_LINES } from "./crisis-lines.js";

const SOS = /^\/?sos$/i;
const INFORM_COUNTRY = /^\/inform_country(\{.*\})$/s;

/** Whether a message is just "SOS" ("sos", "/sos", any case). */
export function isSos(text) {
  return typeof text === "string" && SOS.test(text.trim());
}

/** Whether the page has lines for `code` ("GB", or "OTHER" for elsewhere). */
export function knownCountry(code) {
  return (
    typeof code === "string" &&
    Object.prototype.hasOwnProperty.call(CRISIS_LINES.countries, code)
  );
}

/** The country a button payload sets (`/inform_country{"country":"GB"}`), or "". */
export function countryFromPayload(payload) {
  const match = typeof payload === "string" ? payload.trim().match(INFORM_COUNTRY) : null;
  if (!match) return "";
  try {
    const code = JSON.parse(match[1])?.country;
    return knownCountry(code) ? code : "";
  } catch {
    return "";
  }
}

/** The country a bot answer shows was saved ("Got it: the UK."), or "". */
export function countryFromText(text) {
  if (typeof text !== "string" || !text) return "";
  for (const [code, entry] of Object.entries(CRISIS_LINES.countries)) {
    if (entry.markers.some((marker) => text.includes(marker))) return code;
  }
  return "";
}

/** The crisis card for `country` (or the no-country card), as a bot message. */
export function sosMessage(country) {
  const entry = knownCountry(country) ? CRISIS_LINES.countries[country] : CRISIS_LINES.fallback;
  return { text: entry.text, custom: { harbor: { card: "resources", links: entry.links } } };
}
