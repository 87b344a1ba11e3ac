/** An application's steps as a timeline: who did what, when, and a refusal's reason. */
import { Timeline, Typography } from "antd";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

export interface Step {
  seq: number;
  round: number;
  step: "submitted" | "first_approved" | "approved" | "refused" | "withdrawn";
  actor: string | null;
  reason: string | null;
  at: string;
}

const COLOR: Record<Step["step"], string> = {
  submitted: "blue",
  first_approved: "blue",
  approved: "green",
  refused: "red",
  withdrawn: "gray",
};

export function ApplicationSteps({ steps }: { steps: readonly Step[] }) {
  const t = useT();
  return (
    <Timeline
      data-testid="application-steps"
      items={steps.map((s) => ({
        color: COLOR[s.step],
        children: (
          <>
            <Typography.Text strong>{t(`onboarding.step.${s.step}`)}</Typography.Text>{" "}
            <Typography.Text type="secondary">
              {t("onboarding.round", { n: s.round })} · <DateTime at={s.at} />
            </Typography.Text>
            {s.reason && <div>{t("onboarding.reason", { reason: s.reason })}</div>}
          </>
        ),
      }))}
    />
  );
}
