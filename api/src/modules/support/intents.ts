import { vinCheckCharacter } from "../../../../ledger-service/src/gs1/vin.js";
import { LEXICON, REWRITES } from "./lexicon.js";
import { normalise } from "./segment.js";

/**
 * What a support question is about. `unknown` is what the classifier says when nothing it knows was asked: the
 * conversation goes to a person.
 */
export const INTENTS = [
  "order_status",
  "delivery",
  "return",
  "verify_part",
  "installation",
  "policy",
  "greeting",
  "handover",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

export interface Slots {
  orderId?: string;
  returnId?: string;
  gtin?: string;
  serial?: string;
  vin?: string;
}

export interface Classified {
  intent: Intent;
  /** 0..1: how far the best intent stands above the runner-up (below LOW_CONFIDENCE: to a person). */
  confidence: number;
  slots: Slots;
}

/** Below this the assistant does not guess: the conversation goes to a person. */
export const LOW_CONFIDENCE = 0.34;

const ORDER_ID = /\bord_[0-9a-f]{16}\b/i;
const RETURN_ID = /\brma_[0-9a-f]{16}\b/i;
const LINK = /\/01\/(\d{14})\/21\/([^/?#\s]{1,60})/;
const GTIN = /(?<!\d)(\d{14})(?!\d)/;
const SERIAL_AFTER = /(?:序列号|序号|编号|serial|sn|s\/n|码)\s*(?:是|为|:|：|#)?\s*([0-9A-Za-z]{6,20})/i;
const BASE32_16 = /(?<![0-9A-Za-z])([0-9A-HJKMNP-TV-Z]{16})(?![0-9A-Za-z])/;
const VIN_LIKE = /(?<![0-9A-Za-z])([A-HJ-NPR-Za-hj-npr-z0-9]{17})(?![0-9A-Za-z])/g;

/** A 17-character VIN whose check character (position 9) is right; the text may have it in lower case. */
export function findVins(text: string): string[] {
  return [...text.matchAll(VIN_LIKE)]
    .map((m) => m[1]!.toUpperCase())
    .filter((v) => /[A-Z]/.test(v) && /\d/.test(v) && vinCheckCharacter(v) === v[8]);
}

/** Order number, GS1 Digital Link / GTIN + serial, VIN: what the question names. */
export function extractSlots(text: string): Slots {
  const slots: Slots = {};
  const order = ORDER_ID.exec(text);
  if (order) slots.orderId = order[0].toLowerCase();
  const rma = RETURN_ID.exec(text);
  if (rma) slots.returnId = rma[0].toLowerCase();
  const link = LINK.exec(text);
  if (link) {
    slots.gtin = link[1]!;
    try {
      slots.serial = decodeURIComponent(link[2]!);
    } catch {
      slots.serial = link[2]!;
    }
  }
  const vins = findVins(text);
  if (vins.length) slots.vin = vins[0]!;
  const rest = text
    .replace(ORDER_ID, " ")
    .replace(RETURN_ID, " ")
    .replace(VIN_LIKE, (v) => (vins.includes(v.toUpperCase()) ? " " : v));
  if (!slots.gtin) {
    const g = GTIN.exec(rest);
    if (g) slots.gtin = g[1]!;
  }
  if (!slots.serial) {
    const after = SERIAL_AFTER.exec(rest.replace(GTIN, " "));
    const bare = BASE32_16.exec(rest.toUpperCase());
    if (after && !/^\d{14}$/.test(after[1]!)) slots.serial = after[1]!.toUpperCase();
    else if (bare && /\d/.test(bare[1]!) && /[A-Z]/.test(bare[1]!)) slots.serial = bare[1]!;
  }
  return slots;
}

/** The text as the lexicon reads it: normalised, spelling fixed, identifiers removed (they are slots). */
export function rewrite(text: string): string {
  let t = normalise(text)
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\b(ord|rma)_[0-9a-f]{16}\b/g, " ");
  for (const [re, to] of REWRITES) t = t.replace(re, to);
  return t;
}

/** Scores every intent by its keywords (each counted once; a word inside a longer matched word is not counted again). */
export function scores(text: string): Record<Exclude<Intent, "unknown">, number> {
  const t = rewrite(text);
  const out = {} as Record<Exclude<Intent, "unknown">, number>;
  for (const [intent, words] of Object.entries(LEXICON) as Array<
    [Exclude<Intent, "unknown">, Array<[string, number]>]
  >) {
    let score = 0;
    const matched: string[] = [];
    for (const [w, weight] of [...words].sort((a, b) => b[0].length - a[0].length)) {
      const ascii = /^[a-z ]+$/.test(w);
      const hit = ascii ? new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(t) : t.includes(w);
      if (!hit || matched.some((m) => m.includes(w))) continue;
      matched.push(w);
      score += weight;
    }
    out[intent] = score;
  }
  return out;
}

/**
 * The intent of one message, with slots. Slots tip the balance when words do not: an order number alone asks about
 * the order, a part's code about the part, a VIN about the car. Asking for a person wins over everything.
 */
export function classify(text: string): Classified {
  const slots = extractSlots(text);
  const s = scores(text);
  if (s.handover >= 4) return { intent: "handover", confidence: 1, slots };
  if (slots.orderId) {
    // The number names the order; what is asked about it (where, refund) is in the other words.
    const t = rewrite(text);
    const naming = ["订单", "单子", "order"].some((w) => t.includes(w));
    s.order_status += naming ? 0.5 : 3;
    s.delivery += 1;
    s.return += 1;
  }
  // A return's number asks about that return.
  if (slots.returnId) s.return += 3;
  if (slots.serial || slots.gtin) s.verify_part += 2;
  if (slots.vin) s.installation += 2.5;
  // A question that names an order and asks where it is, is about delivery; about a refund, about the return.
  const ranked = (Object.entries(s) as Array<[Exclude<Intent, "unknown">, number]>)
    .filter(([i]) => i !== "handover")
    .sort((a, b) => b[1] - a[1]);
  const [best, second] = [ranked[0]!, ranked[1]!];
  if (best[1] < 1.5) return { intent: "unknown", confidence: 0, slots };
  // Greetings mixed with a question are about the question; a greeting before something nobody here knows is not one.
  if (best[0] === "greeting" && second[1] >= 1.5) return finish(second[0], second[1], ranked[2]![1], slots);
  if (best[0] === "greeting" && leftover(text) > 3) return { intent: "unknown", confidence: 0, slots };
  return finish(best[0], best[1], second[0] === "greeting" ? ranked[2]![1] : second[1], slots);
}

/** Characters of a message left after its greeting words and punctuation. */
function leftover(text: string): number {
  let t = rewrite(text);
  for (const [w] of LEXICON.greeting) t = t.replaceAll(w, "");
  t = t.replace(/请问|问一下|问下|[啊呀哎吗呢吧哦嗯哈啦]/g, "");
  return [...t.replace(/[\s\p{P}\p{S}]/gu, "")].length;
}

function finish(intent: Exclude<Intent, "unknown">, top: number, next: number, slots: Slots): Classified {
  const margin = (top - next) / top;
  const strength = Math.min(1, top / 3);
  return { intent, confidence: Math.round(Math.min(1, 0.25 + 0.75 * margin) * strength * 100) / 100, slots };
}
