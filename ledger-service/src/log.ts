import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// Until configured (npm start does, with LOG_LEVEL): warnings and errors only, so that scripts and benchmarks that
// build the app print their own output, not a line per request.
const env = process.env.LOG_LEVEL;
let root: Logger = make(env && (LOG_LEVELS as readonly string[]).includes(env) ? (env as LogLevel) : "warn");

function make(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: "partledger" }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Sets the process's logger: one JSON object a line on stdout (or `destination`) at `level` and above. `npm start`
 * calls it with LOG_LEVEL; the test setup with `silent`.
 */
export function configureLogging(level: LogLevel, destination?: DestinationStream): Logger {
  root = make(level, destination);
  return root;
}

/** The process's logger, or a child whose lines carry `component` (anchor, lifecycle, audit, webhooks, http, …). */
export function logger(component?: string): Logger {
  return component ? root.child({ component }) : root;
}

/** A `(line) => void` sink (what the chain and worker options take) writing info lines of `component`. */
export function lineLog(component: string): (line: string) => void {
  return (line) => logger(component).info(line);
}
