import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DemoWorld } from "./demo-world.js";

/** Display width of a string on a terminal (CJK characters take two columns). */
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));

/** The demo logins as a boxed table, with where to start. */
export function loginsBox(world: DemoWorld, origin: string): string {
  const rows = world.logins.map((l) => [l.company, l.who, l.roles.join("+"), l.login, l.password]);
  const head = ["公司 company", "姓名 who", "角色 roles", "登录 login", "密码 password"];
  const cols = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) => `│ ${cells.map((c, i) => pad(c, cols[i]!)).join(" │ ")} │`;
  const rule = (l: string, m: string, r: string) => l + cols.map((c) => "─".repeat(c + 2)).join(m) + r;
  const inner = width(rule("", "─", ""));
  const text = (s: string) => `│ ${pad(s, inner - 2)} │`;
  return [
    rule("┌", "─", "┐"),
    text("PartLedger demo world — logins (shown once; kept in DATA_DIR/demo-logins.txt, mode 0600)"),
    text(`console ${origin}/console · search "${world.passatFrontPads.query}" as the shop's mechanic`),
    rule("├", "┬", "┤"),
    line(head),
    rule("├", "┼", "┤"),
    ...rows.map(line),
    rule("└", "┴", "┘"),
    `a genuine part's page (open it on a phone, or in the console's scan page):`,
    `  ${world.genuinePart.url}`,
  ].join("\n");
}

/** Writes the logins box to DATA_DIR/demo-logins.txt, readable by its owner only. */
export function writeLogins(dataDir: string, box: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "demo-logins.txt");
  writeFileSync(file, box + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
