import type { Segmenter } from "./segment.js";

export interface Article {
  id: string;
  title: string;
  body: string;
  keywords: string[];
}

/** Question words and fillers: they say how something is asked, not what about (never matched on). */
const STOP = new Set(
  "怎么 什么 多少 可以 如何 请问 是否 能不 不能 哪里 哪个 为什 为何 今天 明天 现在 一下 我们 你们 他们 这个 那个 是不 有没 没有 怎样 么样 怎么样".split(
    " ",
  ),
);

/** Below this BM25 score an article is not an answer (BM25 idf is small in a knowledge base of a few articles). */
export const MIN_SCORE = 0.8;

/**
 * BM25 (k1 1.2, b 0.75) over words and Han bigrams of each article's title (counted twice), keywords (three times)
 * and body. Built from the published articles; rebuilt when one changes (a knowledge base has hundreds, not millions).
 */
export class KnowledgeIndex {
  private docs: Array<{ article: Article; tf: Map<string, number>; len: number }> = [];
  private df = new Map<string, number>();
  private avg = 1;

  constructor(
    private readonly seg: Segmenter,
    articles: Article[],
  ) {
    seg.add(articles.flatMap((a) => a.keywords));
    for (const article of articles) {
      const terms = [
        ...seg.terms(article.title),
        ...seg.terms(article.title),
        ...article.keywords.flatMap((k) => [...seg.terms(k), ...seg.terms(k), ...seg.terms(k)]),
        ...seg.terms(article.body),
      ];
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.docs.push({ article, tf, len: terms.length });
    }
    this.avg = this.docs.reduce((s, d) => s + d.len, 0) / Math.max(this.docs.length, 1) || 1;
  }

  /** The best articles for a question, best first, with their scores (only those at or above MIN_SCORE). */
  search(question: string, limit = 3): Array<{ article: Article; score: number }> {
    const q = [...new Set(this.seg.terms(question))].filter((t) => !STOP.has(t));
    const n = this.docs.length;
    return this.docs
      .map((d) => {
        let score = 0;
        for (const t of q) {
          const f = d.tf.get(t);
          if (!f) continue;
          const df = this.df.get(t)!;
          const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
          score += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.len) / this.avg));
        }
        return { article: d.article, score: Math.round(score * 100) / 100 };
      })
      .filter((r) => r.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
}
