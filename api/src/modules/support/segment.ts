/**
 * Chinese word segmentation for the support assistant, without a segmenter package: `@node-rs/jieba` is not among
 * the project's dependencies and helpers may not add one (DECISIONS 85). Text is split into runs of Han characters
 * and runs of Latin letters/digits; a Han run is cut by forward maximum matching against a small domain dictionary
 * (the intents' keywords and the knowledge base's words), and every Han run also yields its character bigrams, so
 * a word the dictionary lacks still matches on its pairs (BM25 over words + bigrams, the usual fallback of Chinese
 * search engines without a segmenter).
 */

/** Full-width ASCII to half-width, ideographic space to space, lower case. */
export function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .toLowerCase();
}

const HAN = /\p{Script=Han}/u;

export class Segmenter {
  private readonly words = new Set<string>();
  private longest = 1;

  constructor(words: Iterable<string> = []) {
    this.add(words);
  }

  add(words: Iterable<string>) {
    for (const w of words) {
      const n = normalise(w).trim();
      if (n.length < 2 || ![...n].every((c) => HAN.test(c))) continue;
      this.words.add(n);
      this.longest = Math.max(this.longest, [...n].length);
    }
  }

  /** Dictionary words and single characters of a Han run, longest match first, left to right. */
  private cut(run: string): string[] {
    const chars = [...run];
    const out: string[] = [];
    let i = 0;
    while (i < chars.length) {
      let taken = 1;
      for (let len = Math.min(this.longest, chars.length - i); len >= 2; len--) {
        if (this.words.has(chars.slice(i, i + len).join(""))) {
          taken = len;
          break;
        }
      }
      out.push(chars.slice(i, i + taken).join(""));
      i += taken;
    }
    return out;
  }

  /** Words (dictionary cuts of Han runs, Latin/digit tokens) in order. */
  segment(text: string): string[] {
    const out: string[] = [];
    for (const m of normalise(text).matchAll(/(\p{Script=Han}+)|([a-z0-9_]+)/gu)) {
      if (m[1]) out.push(...this.cut(m[1]));
      else if (m[2]) out.push(m[2]);
    }
    return out;
  }

  /** Index terms: the words plus every Han bigram (for retrieval). */
  terms(text: string): string[] {
    // Single characters match too much (天 in "7 天内" and in 天气): words of two or more, and bigrams.
    const out = this.segment(text).filter((w) => [...w].length > 1);
    for (const m of normalise(text).matchAll(/\p{Script=Han}+/gu)) {
      const chars = [...m[0]];
      for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
    }
    return out;
  }
}
