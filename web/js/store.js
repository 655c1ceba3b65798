// The conversation lives in sessionStorage only: it survives a reload in this tab and is
// gone when the tab closes. Nothing goes to persistent storage: phones and laptops get shared.
// `country` is the code the person chose ("GB"), so SOS can show local lines at once.
const KEY = "harbor.chat.v1";
const KEEP = 200; // messages kept for a reload; older ones are dropped

function empty() {
  return { sessionId: null, country: "", messages: [] };
}

/** The saved conversation, or an empty one if there is none (or storage is blocked). */
export function load() {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return empty();
    const data = JSON.parse(raw);
    if (!data || !Array.isArray(data.messages)) return empty();
    return {
      sessionId: typeof data.sessionId === "string" ? data.sessionId : null,
      country: typeof data.country === "string" ? data.country : "",
      messages: data.messages.filter((m) => m && (m.from === "user" || m.from === "bot")),
    };
  } catch {
    return empty();
  }
}

/** Saves the conversation; a full or blocked storage only costs the reload copy. */
export function save(state) {
  try {
    const messages = state.messages.slice(-KEEP);
    const { sessionId, country } = state;
    window.sessionStorage.setItem(KEY, JSON.stringify({ sessionId, country, messages }));
  } catch {
    /* private mode or quota: the chat still works, it just won't survive a reload */
  }
}

/** Forgets everything this page stored in the tab. */
export function clearAll() {
  try {
    window.sessionStorage.clear();
  } catch {
    /* nothing stored */
  }
}
