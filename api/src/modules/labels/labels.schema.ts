import { z } from "zod";
import { LABEL_LAYOUTS } from "./label-pdf.js";

export const partLabelParams = z
  .object({
    gtin: z.string().regex(/^\d{14}$/, "14 digits"),
    serial: z.string().min(1).max(20),
    format: z.enum(["png", "svg"]),
  })
  .strict();
export const runParams = z.object({ runId: z.string().regex(/^run_[0-9a-f]{16}$/, "a mint run id") }).strict();
/** `?layout=a4` (default: an A4 sheet of 24) or `?layout=roll-50x30` (a thermal roll, one 50 × 30 mm label a page). */
export const layoutQuery = z
  .object({ layout: z.enum(LABEL_LAYOUTS, { error: `one of ${LABEL_LAYOUTS.join(", ")}` }).default("a4") })
  .strict();

/** What the label screen shows: the base URL printed into codes, a warning when phones cannot open it, the layouts. */
export const labelSettingsSchema = z
  .object({
    publicBaseUrl: z.string(),
    publicBaseUrlWarning: z.object({ code: z.string(), message: z.string() }).nullable(),
    layouts: z.array(
      z.object({
        layout: z.enum(LABEL_LAYOUTS),
        widthMm: z.number(),
        heightMm: z.number(),
        labelsPerPage: z.number().int(),
        labelWidthMm: z.number(),
        labelHeightMm: z.number(),
      }),
    ),
  })
  .meta({ id: "LabelSettings" });
