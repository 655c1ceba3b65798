// Builds the DOM for messages. Text only ever goes in through textContent or text
// nodes: nothing from the bot or the user is parsed as HTML.
import { cardActions, cardKind, smsHref, telHref, tokenize } from "./links.js";

const CARD_TITLES = {
  crisis: "Crisis support",
  resources: "Support lines",
};
// Said before each message, for screen readers: who is speaking.
const SPEAKERS = { bot: "Harbor said:", user: "You said:" };
const PICTURE_ALT = "A picture from Harbor.";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Paragraphs of plain text (blank lines split paragraphs; CSS keeps single newlines). */
function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .filter((part) => part.trim())
    .map((part) => el("p", "", part.trim()));
}

/** A label only screen readers hear: who sent the message. */
function speaker(who) {
  return el("span", "visually-hidden speaker", `${SPEAKERS[who]} `);
}

function link(href, text, external) {
  const a = el("a", "", text);
  a.href = href;
  if (external) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
}

/** A paragraph whose numbers and web addresses are links. */
function linkedParagraph(text) {
  const p = el("p");
  for (const piece of tokenize(text)) {
    if (typeof piece === "string") {
      p.append(document.createTextNode(piece));
    } else if (piece.kind === "web") {
      p.append(link(piece.href, piece.shown, true));
    } else {
      const href = piece.call ? telHref(piece.digits) : smsHref(piece.digits, piece.body);
      p.append(link(href, piece.shown, false));
    }
  }
  return p;
}

/** The crisis card: unmistakable, with big tap-to-call and tap-to-text buttons. */
export function crisisCard(message, kind, id) {
  const card = el("section", "card-crisis");
  card.setAttribute("role", "group");
  card.dataset.card = kind;
  const title = el("h2", "card-title", CARD_TITLES[kind] || CARD_TITLES.crisis);
  title.id = `card-${id}`;
  card.setAttribute("aria-labelledby", title.id);
  card.append(speaker("bot"), title);
  const text = typeof message.text === "string" ? message.text : "";
  for (const part of text.split(/\n\s*\n/).filter((p) => p.trim())) {
    card.append(linkedParagraph(part.trim()));
  }
  const explicit = message.custom?.harbor?.links;
  const actions = cardActions(text, explicit);
  if (actions.length) {
    const row = el("div", "card-actions");
    for (const action of actions) {
      const a = link(action.href, action.label, action.kind === "web");
      a.className = `action action-${action.kind}`;
      row.append(a);
    }
    card.append(row);
  }
  return card;
}

/**
 * A picture with the message's text as its caption. Screen readers get the text once,
 * as the picture's description; the visible caption is the same words.
 */
function figure(src, text) {
  const fig = el("figure", "msg-figure");
  const img = el("img");
  img.src = src;
  img.alt = text.trim() || PICTURE_ALT;
  img.decoding = "async";
  img.referrerPolicy = "no-referrer";
  fig.append(img);
  const caption = el("figcaption");
  if (text) {
    caption.setAttribute("aria-hidden", "true");
    caption.append(...paragraphs(text));
    fig.append(caption);
  }
  // A picture that no longer loads (its short-lived address expired): the words stay.
  img.addEventListener("error", () => {
    img.remove();
    caption.removeAttribute("aria-hidden");
  });
  return fig;
}

/**
 * A bot message: a bubble, or a crisis card when the message is one.
 * @param {object} message the bot's message
 * @param {number} id a number unique on the page (for the card's heading id)
 * @param {string} [image] a safe address for the message's picture (see media.js)
 */
export function botMessage(message, id, image = "") {
  const kind = cardKind(message);
  if (kind) return crisisCard(message, kind, id);
  const bubble = el("div", "msg msg-bot");
  bubble.append(speaker("bot"));
  const text = typeof message.text === "string" ? message.text : "";
  if (image) bubble.append(figure(image, text));
  else if (text) bubble.append(...paragraphs(text));
  else bubble.append(el("p", "", "(Harbor sent something this page can't show.)"));
  return bubble;
}

/**
 * The person's data export, delivered once: a download link to a copy held only in this
 * tab's memory (never in sessionStorage, never on the server after it was sent).
 * @param {{filename?: string, data: object}} exported
 */
export function exportMessage(exported) {
  const name = /^[\w.-]{1,80}\.json$/.test(exported.filename || "")
    ? exported.filename
    : "harbor-export.json";
  const blob = new Blob([JSON.stringify(exported.data, null, 2)], { type: "application/json" });
  const bubble = el("div", "msg msg-bot msg-export");
  bubble.append(speaker("bot"));
  bubble.append(el("p", "", "Here is a copy of everything I keep about you."));
  const download = link(URL.createObjectURL(blob), `Download ${name}`, false);
  download.download = name;
  const p = el("p");
  p.append(download);
  bubble.append(p);
  bubble.append(el("p", "", "It is not kept anywhere: save it now if you want it."));
  return bubble;
}

/** The user's own message. */
export function userMessage(text) {
  const bubble = el("div", "msg msg-user");
  bubble.append(speaker("user"), ...paragraphs(text));
  return bubble;
}

/** A small centred note from the page itself (not from the bot). */
export function note(text) {
  return el("div", "msg msg-note", text);
}

/**
 * Quick-reply buttons: each shows its title and sends its payload.
 * @param {Array<{title: string, payload: string}>} replies
 * @param {(reply: {title: string, payload: string}, event: MouseEvent) => void} onChoose
 */
export function quickReplies(replies, onChoose) {
  const group = el("div", "replies");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Suggested replies");
  for (const reply of replies) {
    const button = el("button", "reply", reply.title);
    button.type = "button";
    button.addEventListener("click", (event) => onChoose(reply, event));
    group.append(button);
  }
  return group;
}

/** The quick replies of a bot message that are safe to show. */
export function repliesOf(message) {
  const raw = Array.isArray(message.quick_replies)
    ? message.quick_replies
    : Array.isArray(message.buttons)
      ? message.buttons
      : [];
  return raw
    .filter((r) => r && typeof r.title === "string" && typeof r.payload === "string")
    .map((r) => ({ title: r.title, payload: r.payload }))
    .slice(0, 12);
}
